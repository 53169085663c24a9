import { afterEach, describe, expect, it } from 'vitest';
import { oee } from '../../../../nodes/kpi/oee/runtime';
import type { OeeFigures } from '../../../../nodes/kpi/oee/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import type { Engine } from '../../../../runtime/engine/engine';
import { createEngine } from '../../../../runtime/engine/engine';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 0, 0, 0);

async function setup(config: Record<string, unknown>) {
  const clock = createVirtualClock(T0);
  const out = createCollector();
  const engine = createEngine({ registry: createRegistry([oee, out.type]), clock });
  engines.push(engine);
  await engine.deploy(flowOf('f', [{ id: 'oee', type: 'oee', config }, { id: 'out', type: 'collect' }], ['oee -> out']));
  const figures = () => out.received.map((r) => ({ device: r.msg.device, ...(r.msg.payload as OeeFigures) }));
  return { clock, engine, figures };
}

describe('oee', () => {
  it('computes availability, performance, quality and OEE the way the industry defines them', async () => {
    const { clock, engine, figures } = await setup({ idealCycleSec: 30, rejectProperty: 'payload.rejects', emitEveryMs: 60 * MIN });
    // One hour, a reading every 10 s: 40 min running making 64 parts (ideal would be 80), 10 min fault, 10 min idle; 4 rejects.
    let rejects = 7;
    for (let t = 0; t < 60 * MIN; t += 10_000) {
      const state = t < 40 * MIN ? 1 : t < 50 * MIN ? 2 : 0;
      const total = 1000 + Math.floor(Math.min(t, 40 * MIN) / 37_500);
      if (t === 20 * MIN || t === 21 * MIN || t === 22 * MIN || t === 23 * MIN) rejects++;
      engine.inject('f', 'oee', { device: 'imm-1', payload: { state, totalCount: total, rejects } });
      await clock.advance(10_000, () => engine.idle());
    }
    const f = figures().find((x) => x.device === 'imm-1')!;
    expect(f.final).toBe(false);
    expect(f.plannedMs).toBe(60 * MIN);
    expect(f.runMs).toBe(40 * MIN);
    expect(f.stopMs).toEqual({ idle: 10 * MIN, fault: 10 * MIN, offline: 0, plannedStop: 0 });
    expect(f.total).toBe(64);
    expect(f.good).toBe(60);
    expect(f.availability).toBeCloseTo(40 / 60, 6);
    expect(f.performance).toBeCloseTo((30 * 64) / (40 * 60), 6);
    expect(f.quality).toBeCloseTo(60 / 64, 6);
    expect(f.oee).toBeCloseTo((40 / 60) * 0.8 * (60 / 64), 6);
  });

  it('keeps planned stops out of the planned time, counts silence as offline when asked to, and survives a counter reset', async () => {
    const { clock, engine, figures } = await setup({ idealCycleSec: 60, emitEveryMs: 30 * MIN, offlineAfterMs: 11 * MIN });
    const send = (state: number, totalCount: number) => engine.inject('f', 'oee', { device: 'cnc-2', payload: { state, totalCount } });
    send(1, 500);
    await clock.advance(10 * MIN, () => engine.idle());
    send(1, 510); // 10 parts in 10 running minutes
    send(3, 510); // planned stop (a break) for 5 minutes
    await clock.advance(5 * MIN, () => engine.idle());
    send(1, 2); // the counter was reset to 0 during the break and is now at 2
    await clock.advance(5 * MIN, () => engine.idle());
    send(1, 7);
    // Then silence for the rest of the half hour, and on: after 11 silent minutes it counts as offline.
    await clock.advance(40 * MIN, () => engine.idle());
    const f = figures()[1]!;
    expect(f.end - f.start).toBe(60 * MIN);
    expect(f.stopMs.plannedStop).toBe(5 * MIN);
    // Running 0–10, 15–20 and 20–31 (silent but not yet for 11 minutes), offline 31–60.
    expect(f.plannedMs).toBe(55 * MIN);
    expect(f.runMs).toBe(26 * MIN);
    expect(f.stopMs.offline).toBe(29 * MIN);
    expect(f.total).toBe(10 + 2 + 5);
    expect(f.availability).toBeCloseTo(26 / 55, 6);
    expect(f.performance).toBeCloseTo((60 * 17) / (26 * 60), 6);
  });

  it('counts a device that stops answering (bad quality) as offline', async () => {
    const { clock, engine, figures } = await setup({ idealCycleSec: 60, emitEveryMs: 60 * MIN });
    engine.inject('f', 'oee', { device: 'm', payload: { state: 1, totalCount: 0 } });
    await clock.advance(20 * MIN, () => engine.idle());
    engine.inject('f', 'oee', { device: 'm', quality: 'bad', payload: {} });
    await clock.advance(30 * MIN, () => engine.idle());
    engine.inject('f', 'oee', { device: 'm', payload: { state: 1, totalCount: 20 } });
    await clock.advance(10 * MIN, () => engine.idle());
    const f = figures()[0]!;
    expect([f.runMs, f.stopMs.offline, f.total]).toEqual([30 * MIN, 30 * MIN, 20]);
  });

  it('closes the window at a shift start, with final figures, and starts the next shift from zero', async () => {
    const { clock, engine, figures } = await setup({ idealCycleSec: 10, emitEveryMs: 24 * 60 * MIN });
    engine.inject('f', 'oee', { device: 'loom-1', payload: { state: 'running', totalCount: 0 } });
    await clock.advance(8 * 60 * MIN, () => engine.idle());
    engine.inject('f', 'oee', { device: 'loom-1', payload: { state: 'running', totalCount: 2880 } });
    engine.inject('f', 'oee', { payload: { event: 'shift-start', shift: '中班', previous: '早班' } }, 'reset');
    await engine.idle();
    await clock.advance(60 * MIN, () => engine.idle());
    engine.inject('f', 'oee', { device: 'loom-1', payload: { state: 'running', totalCount: 3180 } });
    engine.inject('f', 'oee', { payload: { event: 'shift-start', shift: '夜班', previous: '中班' } }, 'reset');
    await engine.idle();
    const finals = figures().filter((f) => f.final);
    expect(finals.map((f) => [f.shift, f.total, f.runMs, f.oee])).toEqual([
      [undefined, 2880, 8 * 60 * MIN, 1],
      ['中班', 300, 60 * MIN, expect.closeTo(300 * 10 / 3600, 6)],
    ]);
  });
});
