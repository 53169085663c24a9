import type Database from 'better-sqlite3';
import type { SiteEvent } from '../../nodes/sdk';
import type { RowCounts } from './row-counts';

/** An event of the site's log, as stored. */
export interface StoredEvent {
  readonly id: number;
  readonly at: number;
  readonly kind: string;
  readonly source: string;
  readonly data?: Record<string, unknown>;
}

export interface EventQuery {
  /** At or after (ms). */
  readonly from?: number;
  /** Before (ms). */
  readonly to?: number;
  readonly kind?: string;
  /** Newest first; default 100, at most 10,000. */
  readonly limit?: number;
}

/** The device an event is about, so a purge of a device finds its events. */
export function eventDevice(event: SiteEvent): string | null {
  const device = event.data?.device;
  return typeof device === 'string' ? device : null;
}

/** JSON of the event's data; data that cannot be serialised is kept as a note, not lost silently. */
function dataJson(event: SiteEvent): string | null {
  if (event.data === undefined) return null;
  try {
    return JSON.stringify(event.data);
  } catch (err) {
    return JSON.stringify({ unserialisable: err instanceof Error ? err.message : String(err) });
  }
}

export class EventLog {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly counts: RowCounts) {
    this.insert = db.prepare('INSERT INTO events (at, kind, source, device, data) VALUES (?, ?, ?, ?, ?)');
  }

  /** Inside the flush transaction. */
  apply(event: SiteEvent): void {
    this.insert.run(event.at, event.kind, event.source, eventDevice(event), dataJson(event));
    this.counts.add('events', 1);
  }

  list(q: EventQuery): StoredEvent[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.kind !== undefined) {
      where.push('kind = ?');
      args.push(q.kind);
    }
    if (q.from !== undefined) {
      where.push('at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at < ?');
      args.push(q.to);
    }
    args.push(q.limit ?? 100);
    const sql = `SELECT id, at, kind, source, data FROM events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as { id: number; at: number; kind: string; source: string; data: string | null }[]).map((r) => (
      r.data === null ? { id: r.id, at: r.at, kind: r.kind, source: r.source } : { id: r.id, at: r.at, kind: r.kind, source: r.source, data: JSON.parse(r.data) as Record<string, unknown> }
    ));
  }
}
