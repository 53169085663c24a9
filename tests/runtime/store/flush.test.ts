import { describe, expect, it } from 'vitest';
import { createStore } from '../../../runtime/store';
import { T0, openStore, regular, series, tempDir } from './temp-store';

describe('store: buffered writes', () => {
  it('writes buffered points once the flush interval has passed', async () => {
    const { store, clock } = openStore({ flushMs: 200 });
    store.write(series('a', 'x', [[T0, 1]]));
    store.record({ event: 'raised', code: 'c', severity: 'info', at: T0, source: 's' });
    expect(store.stats()).toMatchObject({ flushes: 0, pending: { points: 1, records: 1 }, rows: { points: 0 } });
    await clock.advance(199);
    expect(store.stats().flushes).toBe(0);
    await clock.advance(1);
    expect(store.stats()).toMatchObject({ flushes: 1, pending: { points: 0, records: 0 }, rows: { points: 1, alarms: 1 } });
  });

  it('flushes at once when a batch is full, in transactions of at most batchSize', () => {
    const { store } = openStore({ batchSize: 1_000 });
    store.write(regular('a', 'x', T0, 1_000, 999, (i) => i));
    expect(store.stats().rows.points).toBe(0);
    store.write(regular('a', 'x', T0 + 999_000, 1_000, 1_501, (i) => i));
    expect(store.stats()).toMatchObject({ flushes: 3, rows: { points: 2_500 }, pending: { points: 0 } });
  });

  it('refuses a flush interval above one second', () => {
    expect(() => createStore({ file: `${tempDir()}/x.db`, flushMs: 1_500 })).toThrow(/invalid store options: flushMs/);
  });

  it('flushes on close, and counts writes that come after it', () => {
    const { store, file, clock } = openStore();
    store.write(series('a', 'x', [[T0, 1]]));
    store.close();
    store.write(series('a', 'x', [[T0 + 1, 2]]));
    expect(store.flush()).toEqual({ ok: true, points: 0, alarms: 0, events: 0 });
    expect(store.stats().droppedPoints).toBe(1);
    expect(() => store.listSeries()).toThrow(expect.objectContaining({ code: 'store-closed' }));
    const again = createStore({ file, clock });
    expect(again.stats().rows.points).toBe(1);
    again.close();
  });
});
