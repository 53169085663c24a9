import type { PointColumns } from './point-buffer';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** The rollup tables: `1m` and `1h` buckets of one series. */
export type RollupLevel = '1m' | '1h';
export const ROLLUP_WIDTH: Readonly<Record<RollupLevel, number>> = { '1m': MINUTE_MS, '1h': HOUR_MS };

/**
 * The summary of one series over one bucket: what a chart needs to draw it without the raw
 * points (min/max with their times keep spikes visible; first/last keep the line connected).
 * Only points with a value and a quality other than `bad` count.
 */
export interface RollupBucket {
  series: number;
  /** Bucket start, ms since the epoch, a multiple of the width. */
  start: number;
  count: number;
  sum: number;
  min: number;
  minTs: number;
  max: number;
  maxTs: number;
  first: number;
  firstTs: number;
  last: number;
  lastTs: number;
}

/** Quality code of `bad` (see QUALITY_CODE); such points are kept raw but not summarised. */
const BAD = 2;

/** Folds `b` into `a` (same series and bucket). Ties keep the earlier point, as SQL does. */
export function combine(a: RollupBucket, b: RollupBucket): void {
  a.count += b.count;
  a.sum += b.sum;
  if (b.min < a.min || (b.min === a.min && b.minTs < a.minTs)) {
    a.min = b.min;
    a.minTs = b.minTs;
  }
  if (b.max > a.max || (b.max === a.max && b.maxTs < a.maxTs)) {
    a.max = b.max;
    a.maxTs = b.maxTs;
  }
  if (b.firstTs < a.firstTs) {
    a.first = b.first;
    a.firstTs = b.firstTs;
  }
  if (b.lastTs > a.lastTs) {
    a.last = b.last;
    a.lastTs = b.lastTs;
  }
}

function single(series: number, start: number, ts: number, v: number): RollupBucket {
  return { series, start, count: 1, sum: v, min: v, minTs: ts, max: v, maxTs: ts, first: v, firstTs: ts, last: v, lastTs: ts };
}

/**
 * Summarises a batch of points into buckets of `width` ms, one per (series, bucket), in the
 * order first seen; with `keep`, only points whose flag is 1. One pass, no sorting: a batch is
 * mostly in time order per series, so the bucket of a series' previous point is checked
 * before the map.
 */
export function aggregatePoints(points: PointColumns, width: number, keep?: Uint8Array): RollupBucket[] {
  const out: RollupBucket[] = [];
  const byKey = new Map<string, RollupBucket>();
  const current: (RollupBucket | undefined)[] = [];
  const { series, ts, value, quality } = points;
  for (let i = 0; i < points.length; i++) {
    const v = value[i]!;
    if (v !== v || quality[i] === BAD) continue; // NaN: no value
    if (keep !== undefined && keep[i] === 0) continue;
    const s = series[i]!;
    const t = ts[i]!;
    const start = Math.floor(t / width) * width;
    let b = current[s];
    if (b === undefined || b.start !== start) {
      const key = `${s}:${start}`;
      b = byKey.get(key);
      if (b === undefined) {
        b = single(s, start, t, v);
        byKey.set(key, b);
        out.push(b);
        current[s] = b;
        continue;
      }
      current[s] = b;
    }
    b.count++;
    b.sum += v;
    if (v < b.min || (v === b.min && t < b.minTs)) {
      b.min = v;
      b.minTs = t;
    }
    if (v > b.max || (v === b.max && t < b.maxTs)) {
      b.max = v;
      b.maxTs = t;
    }
    if (t < b.firstTs) {
      b.first = v;
      b.firstTs = t;
    }
    if (t > b.lastTs) {
      b.last = v;
      b.lastTs = t;
    }
  }
  return out;
}

/** Combines buckets into wider ones (minutes into hours): exact, since every field folds. */
export function widenBuckets(buckets: readonly RollupBucket[], width: number): RollupBucket[] {
  const out: RollupBucket[] = [];
  const byKey = new Map<string, RollupBucket>();
  for (const b of buckets) {
    const start = Math.floor(b.start / width) * width;
    const key = `${b.series}:${start}`;
    const w = byKey.get(key);
    if (w === undefined) {
      const copy = { ...b, start };
      byKey.set(key, copy);
      out.push(copy);
    } else {
      combine(w, b);
    }
  }
  return out;
}
