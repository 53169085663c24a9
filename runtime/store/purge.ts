import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ChunkContext, DeleteCounts } from './retention';
import { deleteInChunks, nextTurn, noDeletes } from './retention';
import { MINUTE_MS, HOUR_MS } from './rollup';
import type { RollupLevel } from './rollup';
import type { SeriesEntry } from './series-registry';
import type { SeriesWriter } from './series-writer';
import { StoreError } from './errors';

/** Bounds for an open side of a range: the whole range of JS dates. */
const EARLIEST = -8.64e15;
const LATEST = 8.64e15;

export const PurgeRequestSchema = z.object({
  /** Start of the range, inclusive (ms). */
  from: z.number().finite().optional(),
  /** End of the range, exclusive (ms). */
  to: z.number().finite().optional(),
  /** Only this device's series, events and alarms. */
  device: z.string().min(1).optional(),
}).strict();
export type PurgeRequest = z.infer<typeof PurgeRequestSchema>;

export interface PurgeReport extends DeleteCounts {
  /** Series removed entirely (a device purged without a range). */
  readonly series: number;
  /** File sizes (database + WAL) before and after, bytes. */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export function checkPurge(input: unknown): PurgeRequest {
  const parsed = PurgeRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new StoreError('invalid-argument', { zh: `清除请求无效：${parsed.error.message}`, en: `invalid purge request: ${parsed.error.message}` });
  }
  const r = parsed.data;
  if (r.from === undefined && r.to === undefined && r.device === undefined) {
    throw new StoreError('invalid-argument', {
      zh: '清除请求须给出时间范围（from/to）或设备（device）',
      en: 'a purge needs a time range (from/to) or a device',
    });
  }
  if (r.from !== undefined && r.to !== undefined && r.from >= r.to) {
    throw new StoreError('invalid-argument', { zh: `清除范围的起点（${r.from}）必须早于终点（${r.to}）`, en: `the purge range must start (${r.from}) before it ends (${r.to})` });
  }
  return r;
}

export interface PurgeContext extends ChunkContext {
  readonly writer: SeriesWriter;
  /** Writes what is buffered, or drops the buffered data the purge covers if it cannot. */
  settlePending(req: PurgeRequest): void;
}

interface Statements {
  readonly points: Database.Statement;
  readonly m1: Database.Statement;
  readonly h1: Database.Statement;
}

/**
 * Destroys the data of a time range and/or a device: raw points, rollups, events and alarms.
 * The bulk goes in chunks (other work runs between them); then, with the buffer settled, one
 * last synchronous sweep takes what arrived meanwhile and rebuilds the rollup buckets cut by
 * the range's edges from what is left below them, so no summary keeps a trace of purged data.
 */
export async function purgeRows(ctx: PurgeContext, req: PurgeRequest): Promise<DeleteCounts & { series: number }> {
  const db = ctx.db;
  const from = req.from ?? EARLIEST;
  const to = req.to ?? LATEST;
  const ranged = req.from !== undefined || req.to !== undefined;
  // Whole buckets inside [from, to); the ones cut by an edge are rebuilt at the end.
  const whole = (width: number) => [Math.ceil(from / width) * width, to - width] as const;
  const st: Statements = {
    points: db.prepare('DELETE FROM points WHERE series_id = ? AND ts >= ? AND ts < ? LIMIT ?'),
    m1: db.prepare('DELETE FROM rollup_1m WHERE series_id = ? AND bucket >= ? AND bucket <= ? LIMIT ?'),
    h1: db.prepare('DELETE FROM rollup_1h WHERE series_id = ? AND bucket >= ? AND bucket <= ? LIMIT ?'),
  };
  const targets = (): SeriesEntry[] => (req.device === undefined ? ctx.registry.all() : ctx.registry.ofDevice(req.device)).filter((s) => s.persisted);
  const out = { ...noDeletes(), series: 0 };

  const eventsSql = req.device === undefined
    ? ['DELETE FROM events WHERE at >= ? AND at < ? LIMIT ?', [from, to]] as const
    : ['DELETE FROM events WHERE device = ? AND at >= ? AND at < ? LIMIT ?', [req.device, from, to]] as const;
  const alarmsSql = req.device === undefined
    ? ['DELETE FROM alarms WHERE raised_at >= ? AND raised_at < ? LIMIT ?', [from, to]] as const
    : ['DELETE FROM alarms WHERE device = ? AND raised_at >= ? AND raised_at < ? LIMIT ?', [req.device, from, to]] as const;

  for (const s of targets()) {
    out.points += await deleteInChunks(ctx, st.points, [s.id, from, to], 'points');
    out.rollup1m += await deleteInChunks(ctx, st.m1, [s.id, ...whole(MINUTE_MS)], 'rollup_1m');
    out.rollup1h += await deleteInChunks(ctx, st.h1, [s.id, ...whole(HOUR_MS)], 'rollup_1h');
    await nextTurn();
  }
  out.events += await deleteInChunks(ctx, db.prepare(eventsSql[0]), eventsSql[1], 'events');
  out.alarms += await deleteInChunks(ctx, db.prepare(alarmsSql[0]), alarmsSql[1], 'alarms');

  ctx.settlePending(req);
  const unlimited = -1; // LIMIT -1: no limit, for the few rows that arrived meanwhile
  ctx.counts.transaction(db, () => {
    const drop = (stmt: Database.Statement, args: readonly unknown[], table: 'points' | 'rollup_1m' | 'rollup_1h' | 'events' | 'alarms') => {
      const n = stmt.run(...args, unlimited).changes;
      ctx.counts.add(table, -n);
      return n;
    };
    for (const s of targets()) {
      out.points += drop(st.points, [s.id, from, to], 'points');
      out.rollup1m += drop(st.m1, [s.id, ...whole(MINUTE_MS)], 'rollup_1m');
      out.rollup1h += drop(st.h1, [s.id, ...whole(HOUR_MS)], 'rollup_1h');
      if (ranged) {
        out.rollup1m += rebuildEdges(ctx.writer, '1m', s.id, from, to, req);
        out.rollup1h += rebuildEdges(ctx.writer, '1h', s.id, from, to, req);
      } else {
        // The whole device goes: its series rows too, so not even its tag names remain.
        db.prepare('DELETE FROM series WHERE id = ?').run(s.id);
        ctx.counts.add('series', -1);
        ctx.registry.remove(s);
        out.series++;
      }
    }
    out.events += drop(db.prepare(eventsSql[0]), eventsSql[1], 'events');
    out.alarms += drop(db.prepare(alarmsSql[0]), alarmsSql[1], 'alarms');
  });
  return out;
}

/** Rebuilds the (at most two) buckets the range's edges cut; returns how many were deleted. */
function rebuildEdges(writer: SeriesWriter, level: RollupLevel, series: number, from: number, to: number, req: PurgeRequest): number {
  const width = level === '1m' ? MINUTE_MS : HOUR_MS;
  const edges = new Set<number>();
  if (req.from !== undefined && from % width !== 0) edges.add(Math.floor(from / width) * width);
  if (req.to !== undefined && to % width !== 0) edges.add(Math.floor(to / width) * width);
  let deleted = 0;
  for (const start of edges) if (writer.rebuild(level, series, start) === 'deleted') deleted++;
  return deleted;
}

/** Hands freed pages back to the file system, a chunk at a time, then truncates the WAL. */
export async function reclaimSpace(ctx: ChunkContext, pagesPerStep = 2_048): Promise<void> {
  const db = ctx.db;
  if (db.pragma('auto_vacuum', { simple: true }) === 2) {
    while (!ctx.closed() && (db.pragma('freelist_count', { simple: true }) as number) > 0) {
      db.pragma(`incremental_vacuum(${pagesPerStep})`);
      await nextTurn();
    }
  }
  if (!ctx.closed()) db.pragma('wal_checkpoint(TRUNCATE)');
}
