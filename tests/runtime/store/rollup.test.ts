import { describe, expect, it } from 'vitest';
import type { PointColumns } from '../../../runtime/store/point-buffer';
import { HOUR_MS, MINUTE_MS, aggregatePoints, widenBuckets } from '../../../runtime/store/rollup';

const T = Date.UTC(2025, 5, 2, 6, 0, 0);

function cols(rows: [series: number, ts: number, value: number | null, quality?: number][]): PointColumns {
  return {
    length: rows.length,
    series: Int32Array.from(rows, (r) => r[0]),
    ts: Float64Array.from(rows, (r) => r[1]),
    value: Float64Array.from(rows, (r) => (r[2] === null ? Number.NaN : r[2])),
    quality: Uint8Array.from(rows, (r) => r[3] ?? 0),
  };
}

describe('rollup aggregation', () => {
  it('summarises each series per minute, splitting exactly at the minute boundary', () => {
    const buckets = aggregatePoints(cols([
      [1, T + 10_000, 4],
      [1, T + 59_999, 9],
      [2, T + 30_000, 100],
      [1, T + 60_000, 1], // first point of the next minute
      [1, T + 20_000, -2], // late, still the first minute
    ]), MINUTE_MS);
    expect(buckets).toEqual([
      { series: 1, start: T, count: 3, sum: 11, min: -2, minTs: T + 20_000, max: 9, maxTs: T + 59_999, first: 4, firstTs: T + 10_000, last: 9, lastTs: T + 59_999 },
      { series: 2, start: T, count: 1, sum: 100, min: 100, minTs: T + 30_000, max: 100, maxTs: T + 30_000, first: 100, firstTs: T + 30_000, last: 100, lastTs: T + 30_000 },
      { series: 1, start: T + MINUTE_MS, count: 1, sum: 1, min: 1, minTs: T + 60_000, max: 1, maxTs: T + 60_000, first: 1, firstTs: T + 60_000, last: 1, lastTs: T + 60_000 },
    ]);
  });

  it('leaves out points without a value and points of bad quality', () => {
    const [b] = aggregatePoints(cols([[1, T, 5], [1, T + 1, null, 2], [1, T + 2, 1000, 2], [1, T + 3, 7, 1]]), MINUTE_MS);
    expect(b).toMatchObject({ count: 2, sum: 12, min: 5, max: 7, last: 7 });
  });

  it('widens minutes into hours exactly', () => {
    const minutes = aggregatePoints(cols([[1, T + 5, 2], [1, T + MINUTE_MS + 5, 8], [1, T + 59 * MINUTE_MS, -1], [1, T + HOUR_MS, 3]]), MINUTE_MS);
    expect(widenBuckets(minutes, HOUR_MS)).toEqual([
      { series: 1, start: T, count: 3, sum: 9, min: -1, minTs: T + 59 * MINUTE_MS, max: 8, maxTs: T + MINUTE_MS + 5, first: 2, firstTs: T + 5, last: -1, lastTs: T + 59 * MINUTE_MS },
      { series: 1, start: T + HOUR_MS, count: 1, sum: 3, min: 3, minTs: T + HOUR_MS, max: 3, maxTs: T + HOUR_MS, first: 3, firstTs: T + HOUR_MS, last: 3, lastTs: T + HOUR_MS },
    ]);
  });
});
