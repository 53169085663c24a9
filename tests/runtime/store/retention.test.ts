import { describe, expect, it, vi } from 'vitest';
import { DAY_MS, RetentionSchema, retentionCutoffs } from '../../../runtime/store/retention';
import { DAY, HOUR, MIN, T0, openStore, regular, series } from './temp-store';

const retention = { rawDays: 2, minuteDays: 5, hourDays: 10, eventDays: 3, alarmDays: 3, chunkRows: 100, intervalMs: HOUR };

describe('retention cutoffs', () => {
  it('keeps each class for its days, and forever at 0', () => {
    const r = RetentionSchema.parse({ rawDays: 7, minuteDays: 0 });
    expect(retentionCutoffs(T0, r)).toEqual({ raw: T0 - 7 * DAY_MS, '1m': -Infinity, '1h': T0 - 1825 * DAY_MS, events: T0 - 90 * DAY_MS, alarms: T0 - 365 * DAY_MS });
  });
});

describe('store: retention', () => {
  it('deletes only what is older than each class keeps', async () => {
    const { store } = openStore({ retention });
    store.write(regular('a', 'x', T0 - 12 * DAY, MIN, 200, (i) => i)); // past every horizon
    store.write(regular('a', 'x', T0 - 4 * DAY, MIN, 200, (i) => i)); // raw expired, rollups kept
    store.write(regular('a', 'x', T0 - DAY, MIN, 100, (i) => i)); // all kept
    store.write(series('a', 'x', [[T0 - 2 * DAY - 1, 5], [T0 - 2 * DAY, 6]])); // either side of the raw horizon
    store.append({ kind: 'k', source: 's', at: T0 - 4 * DAY });
    store.append({ kind: 'k', source: 's', at: T0 - 2 * DAY });
    const alarm = (code: string, at: number) => store.record({ event: 'raised', code, severity: 'info', at, source: 's' });
    const clear = (code: string, at: number) => store.record({ event: 'cleared', code, severity: 'info', at, source: 's' });
    alarm('old-cleared', T0 - 5 * DAY);
    clear('old-cleared', T0 - 4 * DAY);
    alarm('old-open', T0 - 10 * DAY);
    alarm('recent', T0 - 2 * DAY);
    clear('recent', T0 - DAY);
    store.flush();
    const before = store.stats().rows;

    const report = await store.runRetention();
    expect(report).toMatchObject({ points: 401, rollup1m: 200, rollup1h: 4, events: 1, alarms: 1 });
    const after = store.stats().rows;
    expect(after).toMatchObject({
      points: before.points - 401, rollup1m: before.rollup1m - 200, rollup1h: before.rollup1h - 4, events: 1, alarms: 2,
    });
    const raw = store.querySeries({ device: 'a', tag: 'x', from: T0 - 2 * DAY, to: T0, maxPoints: 1_000 });
    expect(raw).toMatchObject({ source: 'raw', downsampled: false });
    expect(raw.points[0]).toEqual({ ts: T0 - 2 * DAY, value: 6 });
    expect(raw.points).toHaveLength(101);
    expect(store.queryRollups({ device: 'a', tag: 'x', level: '1m', from: T0 - 20 * DAY, to: T0 })).toHaveLength(200 + 2 + 100);
    expect(store.listAlarms().map((a) => a.code)).toEqual(['recent', 'old-open']);

    // A second pass finds nothing more.
    expect(await store.runRetention()).toMatchObject({ points: 0, rollup1m: 0, rollup1h: 0, events: 0, alarms: 0 });
  });

  it('runs in the background every interval', async () => {
    const { store, clock } = openStore({ retention });
    store.write(regular('a', 'x', T0 - 3 * DAY, 1_000, 1_000, (i) => i));
    store.flush();
    await clock.advance(HOUR);
    await vi.waitFor(() => expect(store.stats().retention).toMatchObject({ passes: 1, deleted: 1_000, running: false }));
    expect(store.stats().rows.points).toBe(0);
  });
});
