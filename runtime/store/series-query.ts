import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { SeriesQueryPoint } from './downsample';
import { M4 } from './downsample';
import { StoreError } from './errors';
import { QUALITY_OF_CODE } from './point-buffer';
import type { SeriesSource } from './query-plan';
import { planDownsample } from './query-plan';
import type { RollupLevel } from './rollup';
import { ROLLUP_WIDTH } from './rollup';

export const MAX_QUERY_POINTS = 100_000;

export const SeriesQuerySchema = z.object({
  device: z.string(),
  tag: z.string().min(1),
  /** Inclusive, ms since the epoch. */
  from: z.number().finite(),
  /** Exclusive. */
  to: z.number().finite(),
  /** At most this many points come back; default 2,000. At least 4 (a bucket's first/min/max/last). */
  maxPoints: z.number().int().min(4).max(MAX_QUERY_POINTS).default(2_000),
}).refine((q) => q.from < q.to, { message: '"from" must be before "to"', path: ['to'] });
export type SeriesQuery = z.input<typeof SeriesQuerySchema>;

export interface SeriesAnswer {
  readonly device: string;
  readonly tag: string;
  readonly from: number;
  readonly to: number;
  /** Raw points or the rollup the answer was computed from. */
  readonly source: SeriesSource;
  /** True when buckets were reduced to first/min/max/last (values then exclude `bad` and empty points). */
  readonly downsampled: boolean;
  /** Width of a downsampling bucket, when downsampled. */
  readonly bucketMs?: number;
  readonly points: readonly SeriesQueryPoint[];
}

export const RollupQuerySchema = z.object({
  device: z.string(),
  tag: z.string().min(1),
  level: z.enum(['1m', '1h']),
  /** Buckets starting at or after (ms). */
  from: z.number().finite(),
  /** Buckets starting before (ms). */
  to: z.number().finite(),
  limit: z.number().int().min(1).max(MAX_QUERY_POINTS).default(10_000),
}).refine((q) => q.from < q.to, { message: '"from" must be before "to"', path: ['to'] });
export type RollupQuery = z.input<typeof RollupQuerySchema>;

/** One rollup bucket: the statistics of a series over a minute or an hour. */
export interface RollupPoint {
  /** Bucket start. */
  readonly ts: number;
  readonly count: number;
  readonly avg: number;
  readonly min: number;
  readonly minTs: number;
  readonly max: number;
  readonly maxTs: number;
  readonly first: number;
  readonly last: number;
  readonly lastTs: number;
}

function check<S extends z.ZodType>(schema: S, input: unknown, what: { zh: string; en: string }): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');
  throw new StoreError('invalid-argument', { zh: `${what.zh}参数无效：${issues}`, en: `invalid ${what.en}: ${issues}` }, { issues: parsed.error.issues });
}

export function checkRollupQuery(input: unknown): z.output<typeof RollupQuerySchema> {
  return check(RollupQuerySchema, input, { zh: '统计查询', en: 'rollup query' });
}

export function checkSeriesQuery(input: unknown): z.output<typeof SeriesQuerySchema> {
  return check(SeriesQuerySchema, input, { zh: '历史查询', en: 'series query' });
}

const GOOD = 0;
const BAD = 2;

/** Reads a series: raw when the range holds few enough points, else downsampled from the best source. */
export class SeriesReader {
  private readonly probe: Database.Statement;
  private readonly raw: Database.Statement;
  private readonly rollup: Record<'1m' | '1h', Database.Statement>;
  private readonly buckets: Record<'1m' | '1h', Database.Statement>;

  constructor(db: Database.Database) {
    // Finds whether more than N points lie in the range without counting them all.
    this.probe = db.prepare('SELECT ts FROM points WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?').pluck();
    this.raw = db.prepare('SELECT ts, value, quality FROM points WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts').raw();
    const rollup = (t: string) => db.prepare(`SELECT first, first_ts, min, min_ts, max, max_ts, last, last_ts FROM ${t} WHERE series_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`).raw();
    this.rollup = { '1m': rollup('rollup_1m'), '1h': rollup('rollup_1h') };
    const buckets = (t: string) => db.prepare(`SELECT bucket AS ts, count, sum / count AS avg, min, min_ts AS minTs, max, max_ts AS maxTs, first, last, last_ts AS lastTs
      FROM ${t} WHERE series_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket LIMIT ?`);
    this.buckets = { '1m': buckets('rollup_1m'), '1h': buckets('rollup_1h') };
  }

  rollups(seriesId: number, q: z.output<typeof RollupQuerySchema>): RollupPoint[] {
    return this.buckets[q.level].all(seriesId, q.from, q.to, q.limit) as RollupPoint[];
  }

  read(seriesId: number, q: z.output<typeof SeriesQuerySchema>, horizons: Readonly<Record<SeriesSource, number>>): SeriesAnswer {
    const base = { device: q.device, tag: q.tag, from: q.from, to: q.to };
    if (q.from >= horizons.raw && this.probe.get(seriesId, q.from, q.to, q.maxPoints) === undefined) {
      const points: SeriesQueryPoint[] = [];
      for (const [ts, value, quality] of this.raw.iterate(seriesId, q.from, q.to) as IterableIterator<[number, number | null, number]>) {
        points.push(quality === GOOD ? { ts, value } : { ts, value, quality: QUALITY_OF_CODE[quality] as 'uncertain' | 'bad' });
      }
      return { ...base, source: 'raw', downsampled: false, points };
    }
    const plan = planDownsample(q.from, q.to, q.maxPoints, horizons);
    const m4 = new M4(plan.origin, plan.bucketMs);
    if (plan.source === 'raw') {
      for (const [ts, value, quality] of this.raw.iterate(seriesId, q.from, q.to) as IterableIterator<[number, number | null, number]>) {
        if (value !== null && quality !== BAD) m4.addPoint(ts, value);
      }
    } else {
      // Rollup buckets that stick out of the range would bring points from outside it: whole
      // buckets come from the rollup, the ragged edges from raw points (or, where raw points
      // are past retention, from the edge bucket's points that fall inside the range).
      const width = ROLLUP_WIDTH[plan.source];
      const fullFrom = Math.min(Math.ceil(q.from / width) * width, q.to);
      const fullTo = Math.max(Math.floor(q.to / width) * width, fullFrom);
      const edge = (from: number, to: number) => {
        if (from >= to) return;
        if (from >= horizons.raw) {
          for (const [ts, value, quality] of this.raw.iterate(seriesId, from, to) as IterableIterator<[number, number | null, number]>) {
            if (value !== null && quality !== BAD) m4.addPoint(ts, value);
          }
          return;
        }
        for (const r of this.rollup[plan.source as RollupLevel].iterate(seriesId, Math.floor(from / width) * width, to) as IterableIterator<number[]>) {
          const inside = [[r[1]!, r[0]!], [r[3]!, r[2]!], [r[5]!, r[4]!], [r[7]!, r[6]!]]
            .filter(([ts]) => ts! >= from && ts! < to)
            .sort((a, b) => a[0]! - b[0]!);
          for (const [ts, value] of inside) m4.addPoint(ts!, value!);
        }
      };
      edge(q.from, fullFrom);
      for (const r of this.rollup[plan.source].iterate(seriesId, fullFrom, fullTo) as IterableIterator<number[]>) {
        m4.addSummary({ first: r[0]!, firstTs: r[1]!, min: r[2]!, minTs: r[3]!, max: r[4]!, maxTs: r[5]!, last: r[6]!, lastTs: r[7]! });
      }
      edge(fullTo, q.to);
    }
    return { ...base, source: plan.source, downsampled: true, bucketMs: plan.bucketMs, points: m4.finish() };
  }
}
