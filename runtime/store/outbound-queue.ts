import type Database from 'better-sqlite3';

/** What to do when an endpoint's queue is full. */
export type OverflowPolicy = 'drop-oldest' | 'refuse-new';

export interface QueueBound {
  readonly maxMessages: number;
  readonly overflow: OverflowPolicy;
}

export interface OutboundInput {
  readonly endpoint: string;
  readonly stream: string;
  /** Where it goes on the receiver (an MQTT topic); empty when the endpoint has none. */
  readonly topic: string;
  /** The message as the receiver gets it (JSON text of an object, without its id). */
  readonly body: string;
}

export interface OutboundRow {
  readonly id: number;
  readonly endpoint: string;
  readonly stream: string;
  readonly topic: string;
  readonly createdAt: number;
  readonly body: string;
  readonly attempts: number;
}

export interface EndpointQueueStats {
  readonly endpoint: string;
  readonly pending: number;
  /** Rows the receiver kept rejecting, set aside so the rest can go. */
  readonly dead: number;
  /** Rows dropped by the overflow policy or for age, exactly. */
  readonly dropped: number;
  readonly sent: number;
  /** The oldest pending row's time: now − this is the lag. */
  readonly oldestAt?: number;
}

/**
 * The outbound queue of the site's uplink, in the store's SQLite file: rows are enqueued by the
 * store's flush transaction (the same discipline as history), sent oldest first, deleted only
 * once the receiver acknowledged them, and counted when the bound drops them.
 */
export class OutboundQueue {
  private readonly insert: Database.Statement;
  private readonly countPending: Database.Statement;
  private readonly dropOldest: Database.Statement;
  private readonly peekRows: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly bump: Database.Statement;
  private readonly bury: Database.Statement;
  private readonly expire: Database.Statement;
  private readonly addStat: Database.Statement;
  private readonly statsRows: Database.Statement;
  private readonly oldest: Database.Statement;
  private readonly countDead: Database.Statement;
  private readonly deadRows: Database.Statement;
  private readonly revive: Database.Statement;
  private readonly logSent: Database.Statement;
  /** Pending rows per endpoint, kept with the table so a bound check never counts rows. */
  private readonly pending = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO outbound (endpoint, stream, topic, created_at, body) VALUES (?, ?, ?, ?, ?)');
    this.countPending = db.prepare('SELECT endpoint, count(*) AS n FROM outbound WHERE dead = 0 GROUP BY endpoint');
    this.dropOldest = db.prepare('DELETE FROM outbound WHERE id IN (SELECT id FROM outbound WHERE endpoint = ? AND dead = 0 ORDER BY id LIMIT ?)');
    this.peekRows = db.prepare('SELECT id, endpoint, stream, topic, created_at AS createdAt, body, attempts FROM outbound WHERE endpoint = ? AND dead = 0 AND id > ? ORDER BY id LIMIT ?');
    this.deleteRow = db.prepare('DELETE FROM outbound WHERE id = ? AND dead = 0');
    this.bump = db.prepare('UPDATE outbound SET attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.bury = db.prepare('UPDATE outbound SET dead = 1, attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.expire = db.prepare('DELETE FROM outbound WHERE endpoint = ? AND dead = 0 AND created_at < ?');
    this.addStat = db.prepare('INSERT INTO outbound_stats (endpoint, name, n) VALUES (?, ?, ?) ON CONFLICT (endpoint, name) DO UPDATE SET n = n + excluded.n');
    this.statsRows = db.prepare('SELECT endpoint, name, n FROM outbound_stats');
    // The first row in line, found through the index: rows are enqueued in id order, so its time
    // is the oldest (min(created_at) would read every pending row, on each status call).
    this.oldest = db.prepare('SELECT created_at FROM outbound WHERE endpoint = ? AND dead = 0 ORDER BY id LIMIT 1').pluck();
    this.countDead = db.prepare('SELECT count(*) FROM outbound WHERE endpoint = ? AND dead = 1').pluck();
    this.deadRows = db.prepare('SELECT id, endpoint, stream, topic, created_at AS createdAt, body, attempts, last_error AS lastError FROM outbound WHERE endpoint = ? AND dead = 1 ORDER BY id LIMIT ?');
    this.revive = db.prepare('UPDATE outbound SET dead = 0, attempts = 0 WHERE endpoint = ? AND dead = 1');
    this.logSent = db.prepare('INSERT INTO outbound_sent (endpoint, stream, hour, n) VALUES (?, ?, ?, ?) ON CONFLICT (endpoint, stream, hour) DO UPDATE SET n = n + excluded.n');
    for (const r of this.countPending.all() as { endpoint: string; n: number }[]) this.pending.set(r.endpoint, r.n);
  }

  /** Inside the flush transaction: applies each endpoint's bound, exactly. Returns the rows it refused or dropped. */
  enqueue(rows: readonly OutboundInput[], bounds: ReadonlyMap<string, QueueBound>, now: number): { added: number; dropped: number } {
    let added = 0;
    let dropped = 0;
    const byEndpoint = new Map<string, OutboundInput[]>();
    for (const r of rows) {
      const list = byEndpoint.get(r.endpoint);
      if (list) list.push(r);
      else byEndpoint.set(r.endpoint, [r]);
    }
    for (const [endpoint, list] of byEndpoint) {
      const bound = bounds.get(endpoint) ?? { maxMessages: Number.MAX_SAFE_INTEGER, overflow: 'drop-oldest' as const };
      let pending = this.pending.get(endpoint) ?? 0;
      let take = list;
      if (bound.overflow === 'refuse-new') {
        const room = Math.max(0, bound.maxMessages - pending);
        if (take.length > room) {
          this.addStat.run(endpoint, 'dropped', take.length - room);
          dropped += take.length - room;
          take = take.slice(0, room);
        }
      } else {
        // Newest first wins: of what arrives at once, only the last maxMessages can stay.
        if (take.length > bound.maxMessages) {
          this.addStat.run(endpoint, 'dropped', take.length - bound.maxMessages);
          dropped += take.length - bound.maxMessages;
          take = take.slice(take.length - bound.maxMessages);
        }
        const over = pending + take.length - bound.maxMessages;
        if (over > 0) {
          const removed = this.dropOldest.run(endpoint, over).changes;
          this.addStat.run(endpoint, 'dropped', removed);
          dropped += removed;
          pending -= removed;
        }
      }
      for (const r of take) this.insert.run(endpoint, r.stream, r.topic, now, r.body);
      added += take.length;
      this.pending.set(endpoint, pending + take.length);
    }
    return { added, dropped };
  }

  /** The oldest pending rows of an endpoint after `afterId`. */
  peek(endpoint: string, limit: number, afterId = 0): OutboundRow[] {
    return this.peekRows.all(endpoint, afterId, limit) as OutboundRow[];
  }

  /** The receiver has them: delete, and log what was sent per stream and hour. */
  ack(endpoint: string, rows: readonly Pick<OutboundRow, 'id' | 'stream'>[], now: number): number {
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    let deleted = 0;
    const perStream = new Map<string, number>();
    this.db.transaction(() => {
      for (const r of rows) {
        const n = this.deleteRow.run(r.id).changes;
        deleted += n;
        if (n > 0) perStream.set(r.stream, (perStream.get(r.stream) ?? 0) + 1);
      }
      for (const [stream, n] of perStream) this.logSent.run(endpoint, stream, hour, n);
      if (deleted > 0) this.addStat.run(endpoint, 'sent', deleted);
    })();
    this.pending.set(endpoint, Math.max(0, (this.pending.get(endpoint) ?? 0) - deleted));
    return deleted;
  }

  /** The receiver refused these rows; after `deadAfter` attempts a row is set aside. */
  refuse(endpoint: string, rows: readonly Pick<OutboundRow, 'id' | 'attempts'>[], reason: string, deadAfter: number): number {
    let buried = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        if (r.attempts + 1 >= deadAfter) {
          this.bury.run(reason, r.id);
          buried++;
        } else {
          this.bump.run(reason, r.id);
        }
      }
    })();
    if (buried > 0) this.pending.set(endpoint, Math.max(0, (this.pending.get(endpoint) ?? 0) - buried));
    return buried;
  }

  /** Drops pending rows older than `before` (the age bound), counted as dropped. */
  expireOlder(endpoint: string, before: number): number {
    let removed = 0;
    this.db.transaction(() => {
      removed = this.expire.run(endpoint, before).changes;
      if (removed > 0) this.addStat.run(endpoint, 'dropped', removed);
    })();
    if (removed > 0) this.pending.set(endpoint, Math.max(0, (this.pending.get(endpoint) ?? 0) - removed));
    return removed;
  }

  deadLetters(endpoint: string, limit: number): (OutboundRow & { lastError: string | null })[] {
    return this.deadRows.all(endpoint, limit) as (OutboundRow & { lastError: string | null })[];
  }

  /** Puts set-aside rows back in line (after the receiver was fixed). */
  retryDead(endpoint: string): number {
    const n = this.revive.run(endpoint).changes;
    this.pending.set(endpoint, (this.pending.get(endpoint) ?? 0) + n);
    return n;
  }

  pendingCount(endpoint: string): number {
    return this.pending.get(endpoint) ?? 0;
  }

  stats(): EndpointQueueStats[] {
    const counters = new Map<string, Record<string, number>>();
    for (const r of this.statsRows.all() as { endpoint: string; name: string; n: number }[]) {
      counters.set(r.endpoint, { ...counters.get(r.endpoint), [r.name]: r.n });
    }
    const endpoints = new Set([...counters.keys(), ...this.pending.keys()]);
    return [...endpoints].sort().map((endpoint) => {
      const oldestAt = this.oldest.get(endpoint) as number | undefined;
      const c = counters.get(endpoint) ?? {};
      return {
        endpoint,
        pending: this.pending.get(endpoint) ?? 0,
        dead: this.countDead.get(endpoint) as number,
        dropped: c.dropped ?? 0,
        sent: c.sent ?? 0,
        ...(oldestAt === undefined ? {} : { oldestAt }),
      };
    });
  }
}
