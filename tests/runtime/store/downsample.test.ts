import { describe, expect, it } from 'vitest';
import { M4 } from '../../../runtime/store/downsample';
import { planDownsample } from '../../../runtime/store/query-plan';

const T = Date.UTC(2025, 5, 2, 0, 0, 0);
const DAY = 86_400_000;
const forever = { raw: -Infinity, '1m': -Infinity, '1h': -Infinity };

describe('M4 downsampling', () => {
  it('keeps first, min, max and last of every bucket, in time order', () => {
    const m4 = new M4(0, 10);
    for (const [ts, v] of [[0, 5], [1, 9], [2, 1], [3, 4], [10, 7], [15, 7]] as const) m4.addPoint(ts, v);
    expect(m4.finish()).toEqual([
      { ts: 0, value: 5 }, { ts: 1, value: 9 }, { ts: 2, value: 1 }, { ts: 3, value: 4 },
      { ts: 10, value: 7 }, { ts: 15, value: 7 },
    ]);
  });

  it('lets a one-point spike in a million survive', () => {
    const m4 = new M4(0, 5_000);
    for (let i = 0; i < 1_000_000; i++) m4.addPoint(i, i === 777_777 ? 1e6 : Math.sin(i));
    const out = m4.finish();
    expect(out.length).toBeLessThanOrEqual(800);
    expect(out).toContainEqual({ ts: 777_777, value: 1e6 });
  });

  it('merges rollup rows of one bucket keeping their extremes and times', () => {
    const m4 = new M4(0, 120);
    m4.addSummary({ first: 1, firstTs: 0, min: 0, minTs: 10, max: 5, maxTs: 20, last: 2, lastTs: 50 });
    m4.addSummary({ first: 3, firstTs: 60, min: -4, minTs: 70, max: 4, maxTs: 80, last: 3, lastTs: 110 });
    expect(m4.finish()).toEqual([{ ts: 0, value: 1 }, { ts: 20, value: 5 }, { ts: 70, value: -4 }, { ts: 110, value: 3 }]);
  });
});

describe('query plan', () => {
  it('reads a week from minute rollups in buckets that are whole minutes, within maxPoints', () => {
    const plan = planDownsample(T + 12_345, T + 7 * DAY, 2000, forever);
    expect(plan.source).toBe('1m');
    expect(plan.origin).toBe(T);
    expect(plan.bucketMs % 60_000).toBe(0);
    expect(Math.ceil((T + 7 * DAY - plan.origin) / plan.bucketMs) * 4).toBeLessThanOrEqual(2000);
  });

  it('reads raw points for short ranges and hour rollups for long ones', () => {
    expect(planDownsample(T, T + 3_600_000, 2000, forever).source).toBe('raw');
    expect(planDownsample(T, T + 365 * DAY, 2000, forever).source).toBe('1h');
  });

  it('moves to a coarser source when retention no longer covers the start', () => {
    const horizons = { raw: T - DAY, '1m': T + 2 * DAY, '1h': -Infinity };
    expect(planDownsample(T, T + 3_600_000, 2000, horizons).source).toBe('raw');
    expect(planDownsample(T - 2 * DAY, T, 2000, horizons).source).toBe('1h');
  });
});
