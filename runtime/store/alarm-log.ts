import type Database from 'better-sqlite3';
import type { AlarmRecord } from '../../nodes/sdk';
import type { Text } from '../model';
import { StoreError } from './errors';
import type { RowCounts } from './row-counts';

/** An alarm as the site's alarm list shows it: raised, maybe cleared, maybe acknowledged. */
export interface StoredAlarm {
  readonly id: number;
  readonly code: string;
  readonly device?: string;
  readonly kind?: string;
  readonly severity: AlarmRecord['severity'];
  readonly source: string;
  readonly text?: Text;
  readonly raisedAt: number;
  /** The value that raised it. */
  readonly value?: number;
  readonly limit?: number;
  /** Not cleared yet. */
  readonly active: boolean;
  readonly clearedAt?: number;
  readonly clearedValue?: number;
  readonly ack?: { readonly by: string; readonly at: number; readonly comment?: string };
}

export interface AlarmQuery {
  /** true: open alarms only; false: cleared ones only; absent: both. */
  readonly active?: boolean;
  /** Raised at or after (ms). */
  readonly from?: number;
  /** Raised before (ms). */
  readonly to?: number;
  /** Newest first; default 100, at most 10,000. */
  readonly limit?: number;
}

export interface AlarmAck {
  readonly by: string;
  readonly comment?: string;
}

interface AlarmRow {
  id: number;
  code: string;
  device: string;
  kind: string | null;
  severity: AlarmRecord['severity'];
  source: string;
  text_zh: string | null;
  text_en: string | null;
  raised_at: number;
  raised_value: number | null;
  limit_value: number | null;
  cleared_at: number | null;
  cleared_value: number | null;
  acked_at: number | null;
  acked_by: string | null;
  ack_comment: string | null;
}

function toAlarm(r: AlarmRow): StoredAlarm {
  const a: Record<string, unknown> = { id: r.id, code: r.code };
  if (r.device !== '') a.device = r.device;
  if (r.kind !== null) a.kind = r.kind;
  a.severity = r.severity;
  a.source = r.source;
  if (r.text_zh !== null && r.text_en !== null) a.text = { zh: r.text_zh, en: r.text_en };
  a.raisedAt = r.raised_at;
  if (r.raised_value !== null) a.value = r.raised_value;
  if (r.limit_value !== null) a.limit = r.limit_value;
  a.active = r.cleared_at === null;
  if (r.cleared_at !== null) a.clearedAt = r.cleared_at;
  if (r.cleared_value !== null) a.clearedValue = r.cleared_value;
  if (r.acked_at !== null) a.ack = r.ack_comment === null ? { by: r.acked_by, at: r.acked_at } : { by: r.acked_by, at: r.acked_at, comment: r.ack_comment };
  return a as unknown as StoredAlarm;
}

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/**
 * The alarms table. An alarm is keyed by (code, device): a raise opens one unless one is open
 * already (a repeat, e.g. after a restart, keeps the first raise time), a clear closes the
 * open one. Acknowledging records who and when, once.
 */
export class AlarmLog {
  private readonly findOpen: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly close: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly ack: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly counts: RowCounts) {
    this.findOpen = db.prepare('SELECT id FROM alarms WHERE code = ? AND device = ? AND cleared_at IS NULL').pluck();
    this.insert = db.prepare(`INSERT INTO alarms (code, device, kind, severity, source, text_zh, text_en, raised_at, raised_value, limit_value)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.close = db.prepare('UPDATE alarms SET cleared_at = ?, cleared_value = ? WHERE code = ? AND device = ? AND cleared_at IS NULL');
    this.byId = db.prepare('SELECT * FROM alarms WHERE id = ?');
    this.ack = db.prepare('UPDATE alarms SET acked_at = ?, acked_by = ?, ack_comment = ? WHERE id = ? AND acked_at IS NULL');
  }

  /** Applies one transition inside the flush transaction; returns what it did. */
  apply(a: AlarmRecord): 'opened' | 'repeated' | 'closed' | 'not-open' {
    const device = a.device ?? '';
    if (a.event === 'raised') {
      if (this.findOpen.get(a.code, device) !== undefined) return 'repeated';
      this.insert.run(a.code, device, a.kind ?? null, a.severity, a.source, a.text?.zh ?? null, a.text?.en ?? null, a.at, finite(a.value), finite(a.limit));
      this.counts.add('alarms', 1);
      return 'opened';
    }
    return this.close.run(a.at, finite(a.value), a.code, device).changes > 0 ? 'closed' : 'not-open';
  }

  get(id: number): StoredAlarm | undefined {
    const row = this.byId.get(id) as AlarmRow | undefined;
    return row === undefined ? undefined : toAlarm(row);
  }

  list(q: AlarmQuery): StoredAlarm[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.active === true) where.push('cleared_at IS NULL');
    if (q.active === false) where.push('cleared_at IS NOT NULL');
    if (q.from !== undefined) {
      where.push('raised_at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('raised_at < ?');
      args.push(q.to);
    }
    args.push(q.limit ?? 100);
    const sql = `SELECT * FROM alarms ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as AlarmRow[]).map(toAlarm);
  }

  acknowledge(id: number, ack: AlarmAck, at: number): StoredAlarm {
    const current = this.get(id);
    if (current === undefined) {
      throw new StoreError('alarm-not-found', { zh: `没有编号为 ${id} 的报警`, en: `no alarm with id ${id}` }, { id });
    }
    if (current.ack !== undefined) {
      const when = new Date(current.ack.at).toISOString();
      throw new StoreError('alarm-already-acked', {
        zh: `报警 ${id} 已由 ${current.ack.by} 于 ${when} 确认`,
        en: `alarm ${id} was already acknowledged by ${current.ack.by} at ${when}`,
      }, { id, by: current.ack.by, at: current.ack.at });
    }
    this.ack.run(at, ack.by, ack.comment ?? null, id);
    return this.get(id)!;
  }
}
