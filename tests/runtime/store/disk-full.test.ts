import { describe, expect, it } from 'vitest';
import type { StoreLogger } from '../../../runtime/store';
import { MIN, T0, openStore, regular } from './temp-store';

function capture(): { logger: StoreLogger; lines: { level: string; msg: string; data: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; data: Record<string, unknown> }[] = [];
  const at = (level: string) => (data: unknown, msg?: string) => { lines.push({ level, msg: msg ?? '', data: data as Record<string, unknown> }); };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as StoreLogger };
}

describe('store: full disk', () => {
  it('reports clear errors, keeps a bounded buffer, and writes again once space is freed', async () => {
    const log = capture();
    const { store, clock } = openStore({ logger: log.logger, maxSizeBytes: 512 * 1024, batchSize: 5_000, maxPending: 10_000, flushMs: 100, now: T0 + 60 * MIN });
    // Fill until a flush fails: older points first.
    let ts = T0;
    let failure: ReturnType<typeof store.flush> | undefined;
    for (let round = 0; round < 200 && failure === undefined; round++) {
      store.write(regular('press', 'force', ts, 10, 2_000, (i) => i % 500));
      ts += 20_000;
      const result = store.flush();
      if (!result.ok) failure = result;
    }
    expect(failure).toBeDefined();
    expect(failure!.error).toMatchObject({
      name: 'StoreError',
      code: 'disk-full',
      text: { zh: expect.stringContaining('磁盘已满或数据库已达上限'), en: expect.stringContaining('the disk or the database size limit is full') },
    });
    const acknowledged = store.stats().rows.points;
    expect(acknowledged).toBeGreaterThan(10_000);
    expect(store.stats()).toMatchObject({ writeErrors: 1, pending: { points: 2_000 }, lastError: { code: 'disk-full' } });

    // More data while full: nothing throws, the buffer stays bounded and counts what it drops.
    const lastFailedTs = ts;
    for (let k = 0; k < 10; k++) {
      store.write(regular('press', 'force', ts, 10, 2_000, (i) => i));
      ts += 20_000;
      await clock.advance(100);
    }
    store.append({ kind: 'device-state', source: 'devices', at: ts, data: { device: 'press', state: 'online' } });
    const full = store.stats();
    expect(full.pending.points).toBe(10_000);
    expect(full.droppedPoints).toBe(12_000);
    expect(full.writeErrors).toBeGreaterThan(1);
    expect(full.rows.points).toBe(acknowledged);
    expect(() => store.listSeries()).not.toThrow();

    // Free space by purging the oldest data: the buffered points go in once there is room.
    const purged = await store.purge({ device: 'press', to: lastFailedTs - 20_000 });
    expect(purged.points).toBeGreaterThan(0);
    expect(store.flush().ok).toBe(true);
    // One error line for the whole outage (rate-limited), one line when writing works again.
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([{ level: 'error', msg: expect.stringMatching(/^store: writing history failed: the disk or the database size limit is full/), data: expect.objectContaining({ code: 'disk-full' }) }]);
    expect(log.lines.some((l) => l.level === 'info' && l.msg === 'store: writing works again')).toBe(true);
    expect(store.stats()).toMatchObject({ pending: { points: 0, records: 0 }, rows: { points: acknowledged - purged.points + 10_000, events: 1 } });
    const newest = store.querySeries({ device: 'press', tag: 'force', from: ts - 20_000, to: ts, maxPoints: 5_000 });
    expect(newest.points).toHaveLength(2_000);
  });
});
