import { afterEach, describe, expect, it } from 'vitest';
import { timer } from '../../../../nodes/core/timer/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { defineNode, port, z } from '../../../../nodes/sdk';
import type { AnyNodeType, Message } from '../../../../nodes/sdk';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import { createEngine } from '../../../../runtime/engine/engine';
import type { Engine, EngineEvent } from '../../../../runtime/engine/engine';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';

/** A wall-clock time in Asia/Shanghai (UTC+8, no DST) as ms since epoch. */
const sh = (day: string, time: string) => Date.parse(`${day}T${time}+08:00`);
const MIN = 60_000;
const HOUR = 60 * MIN;

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

/** Deploys timer → collect and records when each message arrived, on the virtual clock. */
async function deployTimer(config: Record<string, unknown>, start: number) {
  const clock = createVirtualClock(start);
  const collector = createCollector();
  const engine = createEngine({ registry: createRegistry([timer, collector.type]), clock });
  engines.push(engine);
  await engine.deploy(flowOf('f', [{ id: 't', type: 'timer', config }, { id: 'c', type: 'collect' }], ['t -> c']));
  const arrivals: number[] = [];
  const settle = async () => {
    await engine.idle();
    while (arrivals.length < collector.received.length) arrivals.push(clock.now());
  };
  return {
    engine,
    clock,
    arrivals,
    messages: () => collector.received.map((r) => r.msg),
    advance: (ms: number) => clock.advance(ms, settle),
  };
}

describe('timer: interval', () => {
  it('fires every second by default, carrying the firing time', async () => {
    const t0 = sh('2024-01-01', '10:00:00.250');
    const run = await deployTimer({}, t0);
    await run.advance(3_500);
    expect(run.arrivals).toEqual([t0 + 1000, t0 + 2000, t0 + 3000]);
    expect(run.messages()).toEqual([
      { ts: t0 + 1000, topic: '', payload: t0 + 1000, quality: 'good' },
      { ts: t0 + 2000, topic: '', payload: t0 + 2000, quality: 'good' },
      { ts: t0 + 3000, topic: '', payload: t0 + 3000, quality: 'good' },
    ]);
  });

  it('with align fires on wall-clock multiples of the interval, with the configured topic and payload', async () => {
    const run = await deployTimer({ intervalMs: 15 * MIN, align: true, topic: 'poll', payload: { line: 2 } }, sh('2024-01-01', '10:07:30'));
    await run.advance(HOUR);
    expect(run.arrivals).toEqual([sh('2024-01-01', '10:15:00'), sh('2024-01-01', '10:30:00'), sh('2024-01-01', '10:45:00'), sh('2024-01-01', '11:00:00')]);
    expect(run.messages().map((m) => [m.topic, m.payload])).toEqual(Array(4).fill(['poll', { line: 2 }]));
  });

  it('with fireAtStart fires once right away, then keeps its rhythm', async () => {
    const t0 = sh('2024-01-01', '10:07:30');
    const run = await deployTimer({ intervalMs: 15 * MIN, align: true, fireAtStart: true }, t0);
    await run.advance(20 * MIN);
    expect(run.arrivals).toEqual([t0, sh('2024-01-01', '10:15:00')]);

    const plain = await deployTimer({ intervalMs: 400, fireAtStart: true }, t0);
    await plain.advance(1_000);
    expect(plain.arrivals).toEqual([t0, t0 + 400, t0 + 800]);
  });

  it('stops firing when the engine stops', async () => {
    const t0 = sh('2024-01-01', '10:00:00');
    const run = await deployTimer({ intervalMs: 1000 }, t0);
    await run.advance(2_000);
    await run.engine.stop();
    await run.advance(5_000);
    expect(run.arrivals).toEqual([t0 + 1000, t0 + 2000]);
    expect(run.clock.pending()).toBe(0);
  });

  it('skips ticks while downstream is full and says so in its status', async () => {
    const t0 = sh('2024-01-01', '10:00:00');
    const clock = createVirtualClock(t0);
    const got: unknown[] = [];
    const release: (() => void)[] = [];
    // A sink that holds one message at a time and has room for one more in its queue.
    const slow: AnyNodeType = defineNode({
      type: 'slow',
      version: 1,
      category: 'debug',
      icon: '…',
      title: { zh: '慢', en: 'Slow' },
      summary: { zh: '测试用', en: 'For tests' },
      inputs: [port('in', '输入', 'in')],
      outputs: [],
      config: z.object({}),
      queue: { capacity: 1 },
    }, () => ({
      onMessage(msg: Message) {
        got.push(msg.payload);
        return new Promise<void>((resolve) => release.push(resolve));
      },
    }));
    const engine = createEngine({ registry: createRegistry([timer, slow]), clock });
    engines.push(engine);
    const texts: (string | undefined)[] = [];
    engine.subscribe((e: EngineEvent) => {
      if (e.type === 'node-state' && e.nodeId === 't') texts.push(e.text);
    });
    await engine.deploy(flowOf('f', [{ id: 't', type: 'timer', config: { intervalMs: 1000 } }, { id: 's', type: 'slow' }], ['t -> s']));
    const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

    await clock.advance(4_000, flush);
    // 1000 is being handled, 2000 waits in the full queue, 3000 and 4000 are skipped.
    expect(got).toEqual([t0 + 1000]);
    expect(engine.inspect('f', 't')).toEqual({ mode: 'interval', next: t0 + 5000, fired: 2, skipped: 2 });
    expect(texts).toContain('下游积压，已跳过 2 次 / downstream full, ticks skipped: 2');

    release.shift()!();
    await flush();
    expect(got).toEqual([t0 + 1000, t0 + 2000]);
    expect(texts.at(-1)).toBe('累计跳过 2 次 / ticks skipped in total: 2');

    await clock.advance(1_000, flush);
    expect(engine.inspect('f', 't')).toMatchObject({ fired: 3, skipped: 2 });
    for (const r of release.splice(0)) r();
    await flush();
    expect(got).toEqual([t0 + 1000, t0 + 2000, t0 + 5000]);
    for (const r of release.splice(0)) r();
  });
});

describe('timer: cron', () => {
  it('fires "*/15 * * * *" at :00 :15 :30 :45', async () => {
    const run = await deployTimer({ mode: 'cron', cron: '*/15 * * * *', topic: 'quarter' }, sh('2024-01-01', '10:07:00'));
    await run.advance(HOUR);
    const expected = ['10:15', '10:30', '10:45', '11:00'].map((t) => sh('2024-01-01', `${t}:00`));
    expect(run.arrivals).toEqual(expected);
    expect(run.messages()).toEqual(expected.map((t) => ({ ts: t, topic: 'quarter', payload: t, quality: 'good' })));
  });

  it('reads the pattern in its time zone', async () => {
    const start = Date.UTC(2024, 0, 1, 12, 0);
    const shanghai = await deployTimer({ mode: 'cron', cron: '0 8 * * *' }, start);
    const utc = await deployTimer({ mode: 'cron', cron: '0 8 * * *', timezone: 'UTC' }, start);
    await shanghai.advance(24 * HOUR);
    await utc.advance(24 * HOUR);
    expect(shanghai.arrivals).toEqual([Date.UTC(2024, 0, 2, 0, 0)]);
    expect(utc.arrivals).toEqual([Date.UTC(2024, 0, 2, 8, 0)]);
  });

  it('takes a six-field pattern with seconds', async () => {
    const t0 = sh('2024-01-01', '10:00:05');
    const run = await deployTimer({ mode: 'cron', cron: '*/20 * * * * *' }, t0);
    await run.advance(60_000);
    expect(run.arrivals).toEqual([20, 40, 60].map((s) => sh('2024-01-01', '10:00:00') + s * 1000));
  });
});

describe('timer: shifts', () => {
  const shifts = [{ name: '早班', start: '08:00' }, { name: '中班', start: '16:00' }, { name: '夜班', start: '00:00' }];
  const start = (day: string, time: string, shift: string, previous: string | null, endDay: string, endTime: string) => ({
    ts: sh(day, `${time}:00`),
    topic: 'shift',
    quality: 'good',
    payload: { event: 'shift-start', shift, previous, start: sh(day, `${time}:00`), end: sh(endDay, `${endTime}:00`) },
  });

  it('announces each shift start over two days, with its start and end', async () => {
    const run = await deployTimer({ mode: 'shifts', shifts }, sh('2024-01-01', '06:00:00'));
    expect(run.engine.stats().find((s) => s.nodeId === 't')?.text).toBe('当前班次：夜班 / current shift: 夜班');
    await run.advance(3 * HOUR);
    expect(run.engine.stats().find((s) => s.nodeId === 't')?.text).toBe('当前班次：早班 / current shift: 早班');
    await run.advance(45 * HOUR);
    expect(run.messages()).toEqual([
      start('2024-01-01', '08:00', '早班', '夜班', '2024-01-01', '16:00'),
      start('2024-01-01', '16:00', '中班', '早班', '2024-01-02', '00:00'),
      start('2024-01-02', '00:00', '夜班', '中班', '2024-01-02', '08:00'),
      start('2024-01-02', '08:00', '早班', '夜班', '2024-01-02', '16:00'),
      start('2024-01-02', '16:00', '中班', '早班', '2024-01-03', '00:00'),
      start('2024-01-03', '00:00', '夜班', '中班', '2024-01-03', '08:00'),
    ]);
    expect(run.arrivals).toEqual(run.messages().map((m) => m.ts));
    expect(run.engine.stats().find((s) => s.nodeId === 't')?.text).toBe('当前班次：夜班 / current shift: 夜班');
  });

  it('lets the last shift of the day run across midnight', async () => {
    const run = await deployTimer({ mode: 'shifts', shifts: [{ name: '白班', start: '08:00' }, { name: '夜班', start: '20:00' }] }, sh('2024-01-01', '12:00:00'));
    await run.advance(24 * HOUR);
    expect(run.messages()).toEqual([
      start('2024-01-01', '20:00', '夜班', '白班', '2024-01-02', '08:00'),
      start('2024-01-02', '08:00', '白班', '夜班', '2024-01-02', '20:00'),
    ]);
  });

  it('shows the current shift, and "off shift" once the last shift before days off ends', async () => {
    const run = await deployTimer({ mode: 'shifts', shifts, days: [1, 2, 3, 4, 5] }, sh('2024-01-05', '20:00:00'));
    const text = () => run.engine.stats().find((s) => s.nodeId === 't')?.text;
    expect(text()).toBe('当前班次：中班 / current shift: 中班');
    await run.advance(4 * HOUR);
    expect(text()).toBe('当前停工 / off shift');
    expect(run.messages()).toEqual([]);
  });

  it('starts shifts only on the configured weekdays', async () => {
    // 2024-01-05 is a Friday; Monday to Friday only.
    const run = await deployTimer({ mode: 'shifts', shifts, days: [1, 2, 3, 4, 5] }, sh('2024-01-05', '06:00:00'));
    await run.advance(18 * HOUR - 1);
    expect(run.engine.stats().find((s) => s.nodeId === 't')?.text).toBe('当前班次：中班 / current shift: 中班');
    await run.advance(1);
    expect(run.engine.stats().find((s) => s.nodeId === 't')?.text).toBe('当前停工 / off shift');
    await run.advance(2 * 24 * HOUR + 10 * HOUR);
    expect(run.messages()).toEqual([
      start('2024-01-05', '08:00', '早班', '夜班', '2024-01-05', '16:00'),
      start('2024-01-05', '16:00', '中班', '早班', '2024-01-06', '00:00'),
      start('2024-01-08', '00:00', '夜班', null, '2024-01-08', '08:00'),
      start('2024-01-08', '08:00', '早班', '夜班', '2024-01-08', '16:00'),
    ]);
  });
});
