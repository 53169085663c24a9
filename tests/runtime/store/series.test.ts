import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, StoreError, createStore } from '../../../runtime/store';
import { DAY, HOUR, MIN, T0, openStore, regular, series } from './temp-store';

describe('store: series and rollups', () => {
  it('keeps exact minute and hour rollups across flushes and a minute boundary', () => {
    const { store } = openStore();
    store.write(series('oven-1', 'temp', [[T0 + 10_000, 4], [T0 + 50_000, 9]]));
    store.flush();
    store.write(series('oven-1', 'temp', [[T0 + 59_999, -2], [T0 + MIN, 1], [T0 + MIN + 1_000, 3]]));
    store.flush();

    const range = { device: 'oven-1', tag: 'temp', from: T0, to: T0 + HOUR };
    expect(store.queryRollups({ ...range, level: '1m' })).toEqual([
      { ts: T0, count: 3, avg: 11 / 3, min: -2, minTs: T0 + 59_999, max: 9, maxTs: T0 + 50_000, first: 4, last: -2, lastTs: T0 + 59_999 },
      { ts: T0 + MIN, count: 2, avg: 2, min: 1, minTs: T0 + MIN, max: 3, maxTs: T0 + MIN + 1_000, first: 1, last: 3, lastTs: T0 + MIN + 1_000 },
    ]);
    expect(store.queryRollups({ ...range, level: '1h' })).toEqual([
      { ts: T0, count: 5, avg: 3, min: -2, minTs: T0 + 59_999, max: 9, maxTs: T0 + 50_000, first: 4, last: 3, lastTs: T0 + MIN + 1_000 },
    ]);
    expect(store.stats().rows).toMatchObject({ series: 1, points: 5, rollup1m: 2, rollup1h: 1 });
  });

  it('keeps the first value of a repeated point and rollups that count it once', () => {
    const { store } = openStore();
    store.write(series('press', 'force', [[T0, 5]]));
    store.flush();
    store.write(series('press', 'force', [[T0, 7], [T0 + 1_000, 1], [T0 + 1_000, 99]]));
    store.flush();
    expect(store.querySeries({ device: 'press', tag: 'force', from: T0, to: T0 + MIN }).points).toEqual([{ ts: T0, value: 5 }, { ts: T0 + 1_000, value: 1 }]);
    expect(store.queryRollups({ device: 'press', tag: 'force', level: '1m', from: T0, to: T0 + MIN })).toMatchObject([{ count: 2, avg: 3, min: 1, max: 5 }]);
    expect(store.stats()).toMatchObject({ duplicatePoints: 2, rows: { points: 2, rollup1m: 1, rollup1h: 1 } });
  });

  it('returns raw points with their quality when the range holds few enough', () => {
    const { store } = openStore();
    store.write([
      { device: 'm1', tag: 'speed', ts: T0, value: 10, quality: 'good' },
      { device: 'm1', tag: 'speed', ts: T0 + 1_000, value: null, quality: 'bad' },
      { device: 'm1', tag: 'speed', ts: T0 + 2_000, value: 12.5, quality: 'uncertain' },
      { device: 'm1', tag: 'running', ts: T0, value: true as unknown as number, quality: 'good' },
    ]);
    expect(store.querySeries({ device: 'm1', tag: 'speed', from: T0, to: T0 + 3_000 })).toEqual({
      device: 'm1', tag: 'speed', from: T0, to: T0 + 3_000, source: 'raw', downsampled: false,
      points: [{ ts: T0, value: 10 }, { ts: T0 + 1_000, value: null, quality: 'bad' }, { ts: T0 + 2_000, value: 12.5, quality: 'uncertain' }],
    });
    expect(store.querySeries({ device: 'm1', tag: 'running', from: T0, to: T0 + 1 }).points).toEqual([{ ts: T0, value: 1 }]);
  });

  it('answers a week of 1 Hz data from minute rollups in at most 2,000 points, spike included', () => {
    const { store } = openStore({ now: T0 + 7 * DAY });
    const spikeAt = T0 + 3 * DAY + 12_345_000;
    const week = regular('kiln', 'temp', T0, 1_000, 7 * 86_400, (i) => 800 + Math.sin(i / 600) * 20);
    for (let i = 0; i < week.length; i += 50_000) store.write(week.slice(i, i + 50_000));
    store.write(series('kiln', 'temp', [[spikeAt + 500, 1_250]]));
    const answer = store.querySeries({ device: 'kiln', tag: 'temp', from: T0, to: T0 + 7 * DAY, maxPoints: 2_000 });
    expect(answer.source).toBe('1m');
    expect(answer.downsampled).toBe(true);
    expect(answer.points.length).toBeLessThanOrEqual(2_000);
    expect(answer.points.length).toBeGreaterThan(1_000);
    expect(answer.points).toContainEqual({ ts: spikeAt + 500, value: 1_250 });
    const values = answer.points.map((p) => p.value!);
    expect(Math.min(...values)).toBeCloseTo(780, 1);
    // Points are in time order and inside the range.
    expect(answer.points.every((p, i) => p.ts >= T0 && p.ts < T0 + 7 * DAY && (i === 0 || p.ts > answer.points[i - 1]!.ts))).toBe(true);

    const year = store.querySeries({ device: 'kiln', tag: 'temp', from: T0 - 300 * DAY, to: T0 + 60 * DAY, maxPoints: 400 });
    expect(year.source).toBe('1h');
    expect(year.points.length).toBeLessThanOrEqual(400);
    expect(year.points.some((p) => p.value === 1_250)).toBe(true);
  });

  it('downsamples raw points when a short range holds too many for maxPoints', () => {
    const { store } = openStore();
    store.write(regular('spindle', 'load', T0, 100, 36_000, (i) => (i === 20_000 ? -50 : i % 10))); // 1 h at 10 Hz
    const answer = store.querySeries({ device: 'spindle', tag: 'load', from: T0, to: T0 + HOUR, maxPoints: 1_000 });
    expect(answer).toMatchObject({ source: 'raw', downsampled: true });
    expect(answer.points.length).toBeLessThanOrEqual(1_000);
    expect(answer.points).toContainEqual({ ts: T0 + 2_000_000, value: -50 });
  });

  it('explains unknown series and bad ranges', () => {
    const { store } = openStore();
    store.write(series('a', 'x', [[T0, 1]]));
    const err = (() => { try { store.querySeries({ device: 'a', tag: 'nope', from: T0, to: T0 + 1 }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'series-not-found', text: { zh: '没有设备 “a” 的数据点 “nope”', en: 'no series "nope" of device "a"' } });
    expect(() => store.querySeries({ device: 'a', tag: 'x', from: T0, to: T0 })).toThrow(/invalid series query: to: "from" must be before "to"/);
    expect(() => store.querySeries({ device: 'a', tag: 'x', from: T0, to: T0 + 1, maxPoints: 2 })).toThrow(StoreError);
  });

  it('lists series with their newest point', () => {
    const { store } = openStore();
    store.write([...series('b', 'y', [[T0, 1], [T0 + 5, 2]]), ...series('a', 'x', [[T0 + 9, 7]])]);
    expect(store.listSeries()).toEqual([
      { device: 'a', tag: 'x', firstTs: T0 + 9, lastTs: T0 + 9, lastValue: 7 },
      { device: 'b', tag: 'y', firstTs: T0, lastTs: T0 + 5, lastValue: 2 },
    ]);
  });

  it('counts points it cannot store instead of throwing', () => {
    const { store } = openStore();
    store.write([
      { device: 'a', tag: 'x', ts: Number.NaN, value: 1, quality: 'good' },
      { device: 'a', tag: '', ts: T0, value: 1, quality: 'good' },
      { device: 'a', tag: 'x', ts: T0, value: 'hot' as unknown as number, quality: 'good' },
      { device: 'a', tag: 'x', ts: T0, value: 1, quality: 'constructor' as 'good' },
      { device: 'a', tag: 'x', ts: T0, value: 2, quality: 'good' },
    ]);
    store.flush();
    expect(store.stats()).toMatchObject({ rejectedPoints: 4, rows: { points: 1 } });
  });

  it('keeps data and schema version when reopened, and refuses a newer schema', () => {
    const { store, file, clock } = openStore();
    store.write(series('a', 'x', [[T0, 1], [T0 + MIN, 2]]));
    store.record({ event: 'raised', code: 'hot', device: 'a', severity: 'warning', at: T0, source: 'f/n' });
    store.kvSet('f/n', 'count', { n: 3 });
    store.close();
    store.close(); // idempotent

    const again = createStore({ file, clock });
    try {
      expect(again.schemaVersion).toBe(SCHEMA_VERSION);
      expect(again.querySeries({ device: 'a', tag: 'x', from: T0, to: T0 + HOUR }).points).toEqual([{ ts: T0, value: 1 }, { ts: T0 + MIN, value: 2 }]);
      expect(again.listAlarms({ active: true })).toHaveLength(1);
      expect(again.kvGet('f/n', 'count')).toEqual({ n: 3 });
      expect(again.stats().rows).toMatchObject({ series: 1, points: 2, rollup1m: 2, rollup1h: 1, alarms: 1, kv: 1 });
      // New points of a known series keep its id.
      again.write(series('a', 'x', [[T0 + 2 * MIN, 3]]));
      expect(again.listSeries()).toEqual([{ device: 'a', tag: 'x', firstTs: T0, lastTs: T0 + 2 * MIN, lastValue: 3 }]);
    } finally {
      again.close();
    }

    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => createStore({ file, clock })).toThrow(expect.objectContaining({ code: 'schema-too-new' }));
  });
});
