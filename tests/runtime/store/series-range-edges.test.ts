import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../runtime/store/store';
import { createStore } from '../../../runtime/store/store';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const HOUR = 3_600_000;

describe('series queries at the edges of a range', () => {
  it('never returns points from outside the range, even when whole hours come from rollups', () => {
    const store = createStore({ file: join(mkdtempSync(join(tmpdir(), 'kaiwu-edges-')), 'site.db') });
    stores.push(store);
    const t0 = Date.UTC(2026, 10, 1);
    // One point a minute for three days, with spikes just outside a range that cuts hours in the middle.
    const points = [];
    for (let ts = t0; ts < t0 + 72 * HOUR; ts += 60_000) points.push({ device: 'm1', tag: 'temp', ts, value: 20, quality: 'good' as const });
    const from = t0 + 10 * HOUR + 30 * 60_000;
    const to = t0 + 60 * HOUR + 30 * 60_000;
    points.push({ device: 'm1', tag: 'temp', ts: from - 1, value: 999, quality: 'good' as const });
    points.push({ device: 'm1', tag: 'temp', ts: to, value: -999, quality: 'good' as const });
    points.push({ device: 'm1', tag: 'temp', ts: from + 1, value: 50, quality: 'good' as const });
    store.write(points);
    const answer = store.querySeries({ device: 'm1', tag: 'temp', from, to, maxPoints: 100 });
    expect(answer.downsampled).toBe(true);
    expect(answer.points.length).toBeLessThanOrEqual(100);
    expect(answer.points.every((p) => p.ts >= from && p.ts < to)).toBe(true);
    const values = answer.points.map((p) => p.value);
    expect(values).toContain(50);
    expect(values).not.toContain(999);
    expect(values).not.toContain(-999);
  });
});
