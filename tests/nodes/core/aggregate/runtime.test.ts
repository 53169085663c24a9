import { afterEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../../../nodes/core/aggregate/runtime';
import { createRegistry } from '../../../../nodes/registry';
import type { MessageFields } from '../../../../nodes/sdk';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import { createEngine } from '../../../../runtime/engine/engine';
import type { Engine, EngineEvent } from '../../../../runtime/engine/engine';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
const S = 1_000;

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

/** Deploys aggregate → collect; time starts at T0 and moves only when the test says so. */
async function deployAggregate(config: Record<string, unknown>) {
  const clock = createVirtualClock(T0);
  const collector = createCollector();
  const engine = createEngine({ registry: createRegistry([aggregate, collector.type]), clock });
  engines.push(engine);
  const errors: string[] = [];
  engine.subscribe((e: EngineEvent) => {
    if (e.type === 'node-error') errors.push(e.error);
  });
  await engine.deploy(flowOf('f', [{ id: 'a', type: 'aggregate', config }, { id: 'c', type: 'collect' }], ['a -> c']));
  const arrivals: number[] = [];
  const settle = async () => {
    await engine.idle();
    while (arrivals.length < collector.received.length) arrivals.push(clock.now());
  };
  return {
    engine,
    errors,
    arrivals,
    messages: () => collector.received.map((r) => r.msg),
    payloads: () => collector.payloads(),
    /** Moves the clock to T0 + ms, firing what falls due on the way. */
    until: (ms: number) => clock.advance(T0 + ms - clock.now(), settle),
    send: async (...list: MessageFields[]) => {
      for (const fields of list) engine.inject('f', 'a', fields);
      await settle();
    },
    inspect: () => engine.inspect('f', 'a') as Record<string, unknown>,
    status: () => engine.stats().find((s) => s.nodeId === 'a')?.text,
  };
}

describe('aggregate: tumbling windows', () => {
  it('computes every function over a window and emits at its end without further input', async () => {
    const run = await deployAggregate({ functions: ['avg', 'min', 'max', 'count', 'sum', 'first', 'last', 'rate'], topic: 'x' });
    await run.send(
      { ts: T0, topic: 'temp', device: 'oven-1', payload: 10 },
      { ts: T0 + 10 * S, topic: 'temp', device: 'oven-1', payload: 20 },
      { ts: T0 + 30 * S, topic: 'temp', device: 'oven-1', payload: 30 },
      { ts: T0 + 50 * S, topic: 'temp', device: 'oven-1', payload: 40 },
    );
    await run.until(59_999);
    expect(run.messages()).toEqual([]);
    await run.until(60 * S);
    expect(run.messages()).toEqual([{
      ts: T0 + 60 * S,
      topic: 'temp',
      device: 'oven-1',
      quality: 'good',
      payload: { start: T0, end: T0 + 60 * S, count: 4, bad: 0, avg: 25, min: 10, max: 40, sum: 100, first: 10, last: 40, rate: 36 },
    }]);
    expect(run.arrivals).toEqual([T0 + 60 * S]);
  });

  it('aligns windows to multiples of their size on message time', async () => {
    const run = await deployAggregate({ window: { sizeMs: 10 * S }, functions: ['sum'] });
    await run.send({ ts: T0 + 3 * S, payload: 1 }, { ts: T0 + 9_999, payload: 2 }, { ts: T0 + 10 * S, payload: 4 }, { ts: T0 + 25 * S, payload: 8 });
    await run.until(30 * S);
    expect(run.payloads()).toEqual([
      { start: T0, end: T0 + 10 * S, count: 2, bad: 0, sum: 3 },
      { start: T0 + 10 * S, end: T0 + 20 * S, count: 1, bad: 0, sum: 4 },
      { start: T0 + 20 * S, end: T0 + 30 * S, count: 1, bad: 0, sum: 8 },
    ]);
    expect(run.arrivals).toEqual([T0 + 10 * S, T0 + 20 * S, T0 + 30 * S]);
  });

  it('computes the rate of a counter that was reset, per the chosen unit', async () => {
    const counter = (ts: number, payload: number) => ({ ts: T0 + ts, topic: 'count', device: 'press-3', payload });
    for (const [rateUnit, rate] of [['min', 100], ['h', 6000], ['s', 100 / 60]] as const) {
      const run = await deployAggregate({ window: { sizeMs: 120 * S }, functions: ['first', 'last', 'rate'], rateUnit });
      // 100 → 150 (+50), restart → 20 (+20), → 50 (+30): 100 pieces in 60 s.
      await run.send(counter(0, 100), counter(20 * S, 150), counter(40 * S, 20), counter(60 * S, 50));
      await run.until(120 * S);
      expect(run.payloads()).toEqual([{ start: T0, end: T0 + 120 * S, count: 4, bad: 0, first: 100, last: 50, rate }]);
    }
  });

  it('gives a null rate for a single sample', async () => {
    const run = await deployAggregate({ functions: ['rate'] });
    await run.send({ ts: T0 + S, payload: 7 });
    await run.until(60 * S);
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 60 * S, count: 1, bad: 0, rate: null }]);
  });

  it('keeps devices apart', async () => {
    const run = await deployAggregate({ functions: ['avg', 'max'] });
    await run.send(
      { ts: T0 + S, device: 'A', topic: 'temp', payload: 1 },
      { ts: T0 + S, device: 'B', topic: 'temp', payload: 100 },
      { ts: T0 + 2 * S, topic: 'temp', payload: 7 },
      { ts: T0 + 3 * S, device: 'A', topic: 'temp', payload: 3 },
      { ts: T0 + 4 * S, device: 'B', topic: 'temp', payload: 300 },
    );
    await run.until(60 * S);
    const window = { start: T0, end: T0 + 60 * S, count: 2, bad: 0 };
    expect(run.messages()).toEqual([
      { ts: T0 + 60 * S, topic: 'temp', device: 'A', quality: 'good', payload: { ...window, avg: 2, max: 3 } },
      { ts: T0 + 60 * S, topic: 'temp', device: 'B', quality: 'good', payload: { ...window, avg: 200, max: 300 } },
      { ts: T0 + 60 * S, topic: 'temp', quality: 'good', payload: { ...window, count: 1, avg: 7, max: 7 } },
    ]);
  });

  it('reads a dotted property', async () => {
    const run = await deployAggregate({ property: 'payload.temp', functions: ['max'] });
    await run.send({ ts: T0, payload: { temp: 61.5 } }, { ts: T0 + S, payload: { temp: 62.5 } });
    await run.until(60 * S);
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 60 * S, count: 2, bad: 0, max: 62.5 }]);
  });

  it('counts bad readings without using them, and marks the result uncertain', async () => {
    const run = await deployAggregate({ functions: ['avg', 'min'] });
    await run.send(
      { ts: T0, device: 'A', payload: 10 },
      { ts: T0 + S, device: 'A', payload: -9999, quality: 'bad' },
      { ts: T0 + 2 * S, device: 'A', payload: 20 },
      { ts: T0, device: 'B', payload: 5, quality: 'uncertain' },
      { ts: T0, device: 'C', payload: null, quality: 'bad' },
    );
    await run.until(60 * S);
    const window = { start: T0, end: T0 + 60 * S };
    expect(run.messages().map((m) => [m.device, m.quality, m.payload])).toEqual([
      ['A', 'uncertain', { ...window, count: 2, bad: 1, avg: 15, min: 10 }],
      ['B', 'uncertain', { ...window, count: 1, bad: 0, avg: 5, min: 5 }],
      ['C', 'uncertain', { ...window, count: 0, bad: 1, avg: null, min: null }],
    ]);
    expect(run.errors).toEqual([]);
  });

  it('reports values that are not finite numbers, naming the property, and skips them', async () => {
    const run = await deployAggregate({ property: 'payload.temp', functions: ['avg'] });
    await run.send({ ts: T0, payload: { temp: 'abc' } }, { ts: T0 + S, payload: { temp: 4 } });
    await run.until(60 * S);
    expect(run.errors).toEqual(['属性 “payload.temp” 不是有限数值："abc" / property "payload.temp" is not a finite number: "abc"']);
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 60 * S, count: 1, bad: 0, avg: 4 }]);
    expect(run.inspect()).toMatchObject({ invalid: 1 });
  });

  it('drops and counts a message for a window that already closed', async () => {
    const run = await deployAggregate({ functions: ['sum'] });
    await run.send({ ts: T0 + 10 * S, payload: 1 });
    await run.until(61 * S);
    await run.send({ ts: T0 + 30 * S, payload: 100 }, { ts: T0 + 61 * S, payload: 2 });
    await run.until(120 * S);
    expect(run.payloads()).toEqual([
      { start: T0, end: T0 + 60 * S, count: 1, bad: 0, sum: 1 },
      { start: T0 + 60 * S, end: T0 + 120 * S, count: 1, bad: 0, sum: 2 },
    ]);
    expect(run.inspect()).toMatchObject({ late: 1 });
    expect(run.status()).toBe('迟到丢弃 1 条 / late messages dropped: 1');
  });

  it('waits graceMs for late messages before emitting', async () => {
    const run = await deployAggregate({ functions: ['sum'], graceMs: 5 * S });
    await run.send({ ts: T0 + 10 * S, payload: 1 });
    await run.until(62 * S);
    await run.send({ ts: T0 + 59 * S, payload: 10 });
    await run.until(65 * S - 1);
    expect(run.payloads()).toEqual([]);
    await run.until(65 * S);
    await run.send({ ts: T0 + 58 * S, payload: 100 });
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 60 * S, count: 2, bad: 0, sum: 11 }]);
    expect(run.messages()[0]?.ts).toBe(T0 + 60 * S);
    expect(run.arrivals).toEqual([T0 + 65 * S]);
    expect(run.inspect()).toMatchObject({ late: 1 });
  });

  it('with emitEmpty keeps emitting for a known device that went quiet', async () => {
    const run = await deployAggregate({ window: { sizeMs: 10 * S }, functions: ['avg', 'sum'], emitEmpty: true });
    await run.send({ ts: T0 + S, device: 'A', topic: 't', payload: 4 });
    await run.until(30 * S);
    expect(run.messages()).toEqual([
      { ts: T0 + 10 * S, topic: 't', device: 'A', quality: 'good', payload: { start: T0, end: T0 + 10 * S, count: 1, bad: 0, avg: 4, sum: 4 } },
      { ts: T0 + 20 * S, topic: 't', device: 'A', quality: 'uncertain', payload: { start: T0 + 10 * S, end: T0 + 20 * S, count: 0, bad: 0, avg: null, sum: 0 } },
      { ts: T0 + 30 * S, topic: 't', device: 'A', quality: 'uncertain', payload: { start: T0 + 20 * S, end: T0 + 30 * S, count: 0, bad: 0, avg: null, sum: 0 } },
    ]);
  });

  it('emits nothing for quiet windows without emitEmpty', async () => {
    const run = await deployAggregate({ window: { sizeMs: 10 * S }, functions: ['sum'] });
    await run.send({ ts: T0 + S, device: 'A', payload: 4 });
    await run.until(60 * S);
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 10 * S, count: 1, bad: 0, sum: 4 }]);
    expect(run.inspect()).toMatchObject({ devices: 0, windows: 0 });
  });

  it('drops and counts messages of devices beyond maxKeys', async () => {
    const run = await deployAggregate({ functions: ['sum'], maxKeys: 2 });
    await run.send({ ts: T0, device: 'A', payload: 1 }, { ts: T0, device: 'B', payload: 2 }, { ts: T0, device: 'C', payload: 3 }, { ts: T0, device: 'A', payload: 1 });
    await run.until(60 * S);
    expect(run.messages().map((m) => [m.device, (m.payload as { sum: number }).sum])).toEqual([['A', 2], ['B', 2]]);
    expect(run.inspect()).toMatchObject({ droppedKeys: 1 });
    expect(run.status()).toBe('设备数超过上限 2，丢弃 1 条 / over the limit of 2 devices, dropped: 1');
  });
});

describe('aggregate: sliding windows', () => {
  it('emits the last window every step', async () => {
    const run = await deployAggregate({ window: { kind: 'sliding', sizeMs: 60 * S, stepMs: 20 * S }, functions: ['count', 'sum', 'first', 'last'] });
    for (const [at, value] of [[5, 1], [25, 2], [45, 3], [65, 4]] as const) {
      await run.until(at * S);
      await run.send({ ts: T0 + at * S, device: 'M1', topic: 'speed', payload: value });
    }
    await run.until(160 * S);
    const w = (end: number, count: number, sum: number, first: number, last: number) => ({
      ts: T0 + end * S,
      topic: 'speed',
      device: 'M1',
      quality: 'good',
      payload: { start: T0 + (end - 60) * S, end: T0 + end * S, count, bad: 0, sum, first, last },
    });
    expect(run.messages()).toEqual([
      w(20, 1, 1, 1, 1),
      w(40, 2, 3, 1, 2),
      w(60, 3, 6, 1, 3),
      w(80, 3, 9, 2, 4),
      w(100, 2, 7, 3, 4),
      w(120, 1, 4, 4, 4),
    ]);
    expect(run.arrivals).toEqual([20, 40, 60, 80, 100, 120].map((s) => T0 + s * S));
    expect(run.inspect()).toMatchObject({ devices: 0, samples: 0 });
  });

  it('orders late samples by time and computes the rate across a reset', async () => {
    const run = await deployAggregate({ window: { kind: 'sliding', sizeMs: 60 * S, stepMs: 60 * S }, functions: ['first', 'last', 'rate'], graceMs: 10 * S });
    await run.until(65 * S);
    // Arrival order differs from time order; the 20 s sample is a counter restart; the one
    // at 0 s is at the open edge of the window (T0, T0 + 60 s] and can never count: late.
    await run.send({ ts: T0 + 40 * S, payload: 30 }, { ts: T0 + 10 * S, payload: 100 }, { ts: T0, payload: 5 }, { ts: T0 + 20 * S, payload: 10 });
    await run.until(70 * S);
    // 100 → 10 (restart: +10) → 30 (+20): 30 in 30 s = 60 per minute.
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 60 * S, count: 3, bad: 0, first: 100, last: 30, rate: 60 }]);
    expect(run.arrivals).toEqual([T0 + 70 * S]);
    expect(run.inspect()).toMatchObject({ late: 1 });
  });

  it('with emitEmpty reports an empty window for a known device', async () => {
    const run = await deployAggregate({ window: { kind: 'sliding', sizeMs: 20 * S, stepMs: 10 * S }, functions: ['max'], emitEmpty: true });
    await run.send({ ts: T0 + S, device: 'A', topic: 't', payload: 9 });
    await run.until(40 * S);
    expect(run.messages().map((m) => [m.ts - T0, m.quality, m.payload])).toEqual([
      [10 * S, 'good', { start: T0 - 10 * S, end: T0 + 10 * S, count: 1, bad: 0, max: 9 }],
      [20 * S, 'good', { start: T0, end: T0 + 20 * S, count: 1, bad: 0, max: 9 }],
      [30 * S, 'uncertain', { start: T0 + 10 * S, end: T0 + 30 * S, count: 0, bad: 0, max: null }],
      [40 * S, 'uncertain', { start: T0 + 20 * S, end: T0 + 40 * S, count: 0, bad: 0, max: null }],
    ]);
  });

  it('drops and counts samples beyond maxSamples per device', async () => {
    const run = await deployAggregate({ window: { kind: 'sliding', sizeMs: 60 * S, stepMs: 60 * S }, functions: ['sum'], maxSamples: 2 });
    await run.send({ ts: T0 + S, payload: 1 }, { ts: T0 + 2 * S, payload: 2 }, { ts: T0 + 3 * S, payload: 4 });
    await run.until(60 * S);
    expect(run.payloads()).toEqual([{ start: T0, end: T0 + 60 * S, count: 2, bad: 0, sum: 3 }]);
    expect(run.inspect()).toMatchObject({ droppedSamples: 1 });
    expect(run.status()).toBe('样本数超过上限 2，丢弃 1 条 / over the limit of 2 samples, dropped: 1');
  });
});
