import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { SeriesPoint } from '../../../nodes/sdk';
import { createVirtualClock } from '../../../runtime/engine/clock';
import type { VirtualClock } from '../../../runtime/engine/clock';
import { createStore } from '../../../runtime/store';
import type { Store, StoreOptions } from '../../../runtime/store';

/** 2025-06-02 06:00 UTC, on an hour boundary so minute and hour buckets read easily. */
export const T0 = Date.UTC(2025, 5, 2, 6, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-store-'));
  dirs.push(dir);
  return dir;
}

/** A store on a real SQLite file in a temp dir, with a virtual clock at `now`; closed after the test. */
export function openStore(options: Partial<StoreOptions> & { now?: number; clock?: VirtualClock } = {}): { store: Store; clock: VirtualClock; file: string } {
  const clock = options.clock ?? createVirtualClock(options.now ?? T0);
  const file = options.file ?? join(tempDir(), 'site.db');
  const store = createStore({ ...options, file, clock });
  stores.push(store);
  return { store, clock, file };
}

/** Points of one series at `ts` with `values`. */
export function series(device: string, tag: string, points: readonly [ts: number, value: number | null][], quality: SeriesPoint['quality'] = 'good'): SeriesPoint[] {
  return points.map(([ts, value]) => ({ device, tag, ts, value, quality }));
}

/** `count` points of one series every `stepMs` from `from`, valued by `value(i)`. */
export function regular(device: string, tag: string, from: number, stepMs: number, count: number, value: (i: number) => number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let i = 0; i < count; i++) out.push({ device, tag, ts: from + i * stepMs, value: value(i), quality: 'good' });
  return out;
}
