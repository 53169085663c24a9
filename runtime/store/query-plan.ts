import { HOUR_MS, MINUTE_MS } from './rollup';

/** Where an answer comes from: the raw points or a rollup table. */
export type SeriesSource = 'raw' | '1m' | '1h';

const RESOLUTION: Readonly<Record<SeriesSource, number>> = { raw: 1, '1m': MINUTE_MS, '1h': HOUR_MS };
const FINEST_FIRST: readonly SeriesSource[] = ['raw', '1m', '1h'];

/** Points one downsampled bucket may produce (first, min, max, last). */
export const POINTS_PER_BUCKET = 4;

export interface DownsamplePlan {
  readonly source: SeriesSource;
  /** Start of the first bucket: `from` rounded down to the source's resolution. */
  readonly origin: number;
  /** A multiple of the source's resolution, so no rollup row straddles two buckets. */
  readonly bucketMs: number;
}

/**
 * Picks the coarsest source whose resolution is still finer than a bucket, so a week is read
 * from 10,080 minute rows instead of 604,800 points; a source whose retention no longer
 * covers `from` gives way to a coarser one that does. `horizons` are the oldest times each
 * source still keeps (−Infinity: kept forever). `to` is exclusive.
 */
export function planDownsample(from: number, to: number, maxPoints: number, horizons: Readonly<Record<SeriesSource, number>>): DownsamplePlan {
  const buckets = Math.max(1, Math.floor(maxPoints / POINTS_PER_BUCKET));
  const ideal = (to - from) / buckets;
  let level = 0;
  for (let i = 0; i < FINEST_FIRST.length; i++) if (RESOLUTION[FINEST_FIRST[i]!] <= ideal) level = i;
  while (level < FINEST_FIRST.length - 1 && horizons[FINEST_FIRST[level]!] > from) level++;
  const source = FINEST_FIRST[level]!;
  const res = RESOLUTION[source];
  const origin = Math.floor(from / res) * res;
  const end = Math.ceil(to / res) * res;
  const bucketMs = Math.max(res, Math.ceil((end - origin) / buckets / res) * res);
  return { source, origin, bucketMs };
}
