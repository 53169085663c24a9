import { describe, expect, it } from 'vitest';
import { HOUR, MIN, T0, openStore, regular, series } from './temp-store';

describe('store: purge', () => {
  function site() {
    const opened = openStore({ now: T0 + 3 * HOUR });
    const { store } = opened;
    store.write(regular('a', 'x', T0, 1_000, 7_200, (i) => i % 100));
    store.write(regular('b', 'y', T0, 1_000, 7_200, (i) => i % 50));
    store.append({ kind: 'device-state', source: 'devices', at: T0 + 10 * MIN, data: { device: 'a', state: 'offline' } });
    store.append({ kind: 'device-state', source: 'devices', at: T0 + 40 * MIN, data: { device: 'a', state: 'online' } });
    store.append({ kind: 'device-state', source: 'devices', at: T0 + 50 * MIN, data: { device: 'b', state: 'offline' } });
    store.append({ kind: 'deploy', source: 'runtime', at: T0 + 100 * MIN });
    store.record({ event: 'raised', code: 'hot', device: 'a', severity: 'warning', at: T0 + 45 * MIN, source: 's' });
    store.record({ event: 'raised', code: 'hot', device: 'b', severity: 'warning', at: T0 + 95 * MIN, source: 's' });
    store.flush();
    return opened;
  }

  it('destroys a time range across raw points, rollups, events and alarms', async () => {
    const { store } = site();
    const report = await store.purge({ from: T0 + 30 * MIN, to: T0 + 90 * MIN });
    expect(report).toMatchObject({ points: 7_200, rollup1m: 120, rollup1h: 0, events: 2, alarms: 1, series: 0 });
    expect(store.stats().rows).toMatchObject({ series: 2, points: 7_200, rollup1m: 120, rollup1h: 4, events: 2, alarms: 1 });
    // The hours cut by the range are summed again from the minutes left.
    expect(store.queryRollups({ device: 'a', tag: 'x', level: '1h', from: T0, to: T0 + 2 * HOUR }).map((b) => [b.ts, b.count])).toEqual([[T0, 1_800], [T0 + HOUR, 1_800]]);
    const left = store.querySeries({ device: 'a', tag: 'x', from: T0 + 29 * MIN, to: T0 + 91 * MIN, maxPoints: 1_000 });
    expect(left.points.map((p) => p.ts)).toEqual([
      ...Array.from({ length: 60 }, (_, i) => T0 + 29 * MIN + i * 1_000),
      ...Array.from({ length: 60 }, (_, i) => T0 + 90 * MIN + i * 1_000),
    ]);
    expect(store.listEvents().map((e) => e.at)).toEqual([T0 + 100 * MIN, T0 + 10 * MIN]);
  });

  it('destroys everything of a device, its series names included', async () => {
    const { store } = site();
    const report = await store.purge({ device: 'b' });
    expect(report).toMatchObject({ points: 7_200, rollup1m: 120, rollup1h: 2, events: 1, alarms: 1, series: 1 });
    expect(store.listSeries().map((s) => s.device)).toEqual(['a']);
    expect(() => store.querySeries({ device: 'b', tag: 'y', from: T0, to: T0 + HOUR })).toThrow(expect.objectContaining({ code: 'series-not-found' }));
    expect(store.listAlarms().map((a) => a.device)).toEqual(['a']);
    expect(store.stats().rows).toMatchObject({ series: 1, points: 7_200, rollup1m: 120, rollup1h: 2, events: 3, alarms: 1 });
    // Data written for the device later starts a new series.
    store.write(series('b', 'y', [[T0 + 5 * HOUR, 1]]));
    expect(store.listSeries().map((s) => s.device)).toEqual(['a', 'b']);
  });

  it('returns the space to the file system', async () => {
    const { store, file } = openStore({ now: T0 + 30 * HOUR });
    store.write(regular('a', 'x', T0, 1_000, 86_400, (i) => Math.sin(i)));
    store.write(regular('b', 'x', T0, 1_000, 20_000, (i) => i));
    store.flush();
    const report = await store.purge({ device: 'a' });
    expect(report.points).toBe(86_400);
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore / 2);
    expect(store.stats().walBytes).toBe(0);
    expect(store.stats().dbBytes).toBe(report.bytesAfter);
    expect(file.endsWith('site.db')).toBe(true);
  });

  it('rebuilds a minute cut by the range from the points left, keeping no trace of purged ones', async () => {
    const { store } = openStore();
    store.write(series('a', 'x', [[T0, 1], [T0 + 10_000, 2], [T0 + 20_000, 3], [T0 + 30_000, 400], [T0 + 40_000, 5], [T0 + 50_000, 6]]));
    expect(await store.purge({ from: T0 + 25_000, to: T0 + 45_000 })).toMatchObject({ points: 2, rollup1m: 0 });
    expect(store.queryRollups({ device: 'a', tag: 'x', level: '1m', from: T0, to: T0 + MIN })).toEqual([
      { ts: T0, count: 4, avg: 3, min: 1, minTs: T0, max: 6, maxTs: T0 + 50_000, first: 1, last: 6, lastTs: T0 + 50_000 },
    ]);
    expect(store.queryRollups({ device: 'a', tag: 'x', level: '1h', from: T0, to: T0 + HOUR })).toMatchObject([{ count: 4, max: 6 }]);
  });

  it('refuses a purge without a range or device, or with an empty range', async () => {
    const { store } = openStore();
    await expect(store.purge({})).rejects.toMatchObject({ code: 'invalid-argument', text: { en: 'a purge needs a time range (from/to) or a device' } });
    await expect(store.purge({ from: T0, to: T0 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
