import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HOUR_MS, MINUTE_MS } from './rollup';
import type { RowCounts } from './row-counts';
import type { SeriesRegistry } from './series-registry';
import { StoreError } from './errors';

export const DAY_MS = 86_400_000;

const days = (fallback: number) => z.number().min(0).max(36_500).default(fallback);

/** How long each class of data is kept, in days; 0 keeps it forever. */
export const RetentionSchema = z.object({
  rawDays: days(30),
  minuteDays: days(180),
  hourDays: days(1825),
  eventDays: days(90),
  /** Cleared alarms; open alarms are never removed by age. */
  alarmDays: days(365),
  /** Time between background passes. */
  intervalMs: z.number().int().min(1_000).max(DAY_MS).default(600_000),
  /** Rows one transaction deletes at most, so a pass never holds the write lock for long. */
  chunkRows: z.number().int().min(1).max(100_000).default(2_000),
});
export type RetentionOptions = z.input<typeof RetentionSchema>;
export type RetentionSettings = z.output<typeof RetentionSchema>;

/** The oldest time each class keeps at `now`; −Infinity when kept forever. */
export interface Cutoffs {
  readonly raw: number;
  readonly '1m': number;
  readonly '1h': number;
  readonly events: number;
  readonly alarms: number;
}

export function retentionCutoffs(now: number, r: RetentionSettings): Cutoffs {
  const cut = (d: number) => (d === 0 ? Number.NEGATIVE_INFINITY : now - d * DAY_MS);
  return { raw: cut(r.rawDays), '1m': cut(r.minuteDays), '1h': cut(r.hourDays), events: cut(r.eventDays), alarms: cut(r.alarmDays) };
}

export interface DeleteCounts {
  points: number;
  rollup1m: number;
  rollup1h: number;
  events: number;
  alarms: number;
}

export const noDeletes = (): DeleteCounts => ({ points: 0, rollup1m: 0, rollup1h: 0, events: 0, alarms: 0 });

/** What chunked maintenance needs of the store. */
export interface ChunkContext {
  readonly db: Database.Database;
  readonly counts: RowCounts;
  readonly registry: SeriesRegistry;
  readonly chunkRows: number;
  /** True once the store closed: a pass stops between chunks. */
  closed(): boolean;
}

/** Lets flushes, timers and sockets run between two chunks. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function ensureOpen(ctx: ChunkContext): void {
  if (ctx.closed()) throw new StoreError('store-closed', { zh: '存储已关闭', en: 'the store is closed' });
}

/**
 * Runs `stmt` (a DELETE … LIMIT with the chunk size as its last parameter) until it deletes
 * fewer rows than a chunk, one short transaction each, yielding between them.
 */
export async function deleteInChunks(ctx: ChunkContext, stmt: Database.Statement, args: readonly unknown[], table: 'points' | 'rollup_1m' | 'rollup_1h' | 'events' | 'alarms'): Promise<number> {
  let total = 0;
  for (;;) {
    ensureOpen(ctx);
    const n = ctx.counts.transaction(ctx.db, () => {
      const changes = stmt.run(...args, ctx.chunkRows).changes;
      ctx.counts.add(table, -changes);
      return changes;
    });
    total += n;
    if (n < ctx.chunkRows) return total;
    await nextTurn();
  }
}

/** One retention pass: deletes what is older than each class keeps, chunk by chunk. */
export async function runRetentionPass(ctx: ChunkContext, cutoffs: Cutoffs): Promise<DeleteCounts> {
  const db = ctx.db;
  const out = noDeletes();
  const points = db.prepare('DELETE FROM points WHERE series_id = ? AND ts < ? LIMIT ?');
  // A bucket goes only when all of it is past the cutoff.
  const m1 = db.prepare('DELETE FROM rollup_1m WHERE series_id = ? AND bucket <= ? LIMIT ?');
  const h1 = db.prepare('DELETE FROM rollup_1h WHERE series_id = ? AND bucket <= ? LIMIT ?');
  for (const s of ctx.registry.all()) {
    if (!s.persisted) continue;
    if (cutoffs.raw > Number.NEGATIVE_INFINITY) out.points += await deleteInChunks(ctx, points, [s.id, cutoffs.raw], 'points');
    if (cutoffs['1m'] > Number.NEGATIVE_INFINITY) out.rollup1m += await deleteInChunks(ctx, m1, [s.id, cutoffs['1m'] - MINUTE_MS], 'rollup_1m');
    if (cutoffs['1h'] > Number.NEGATIVE_INFINITY) out.rollup1h += await deleteInChunks(ctx, h1, [s.id, cutoffs['1h'] - HOUR_MS], 'rollup_1h');
    await nextTurn();
  }
  if (cutoffs.events > Number.NEGATIVE_INFINITY) {
    out.events += await deleteInChunks(ctx, db.prepare('DELETE FROM events WHERE at < ? LIMIT ?'), [cutoffs.events], 'events');
  }
  if (cutoffs.alarms > Number.NEGATIVE_INFINITY) {
    out.alarms += await deleteInChunks(ctx, db.prepare('DELETE FROM alarms WHERE cleared_at < ? LIMIT ?'), [cutoffs.alarms], 'alarms');
  }
  return out;
}
