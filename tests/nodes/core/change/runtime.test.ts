import { afterEach, describe, expect, it } from 'vitest';
import { change } from '../../../../nodes/core/change/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { defineNode, port, z } from '../../../../nodes/sdk';
import type { Engine } from '../../../../runtime/engine/engine';
import { createEngine } from '../../../../runtime/engine/engine';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import type { MessageFields } from '../../../../runtime/model';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';

const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);

// Sends each input on to the node under test and to the collector, so a test can compare the
// message a node received with what it made of it.
const tee = defineNode({
  type: 'tee',
  version: 1,
  category: 'debug',
  icon: 'T',
  title: { zh: '分路', en: 'Tee' },
  summary: { zh: '测试用', en: 'For tests' },
  inputs: [port('in', '输入', 'in')],
  outputs: [port('out', '输出', 'out')],
  config: z.object({}),
}, (_config, ctx) => ({ onMessage: (msg) => { ctx.send('out', msg); } }));

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function run(rules: unknown[], inputs: MessageFields[], options: { wireError?: boolean } = {}) {
  const clock = createVirtualClock(T0);
  const collector = createCollector();
  engine = createEngine({ registry: createRegistry([change, tee, collector.type]), clock });
  const wires = ['src -> c', 'src -> sink:in2', 'c -> sink'];
  if (options.wireError) wires.push('c:error -> errs');
  await engine.deploy(flowOf('f', [
    { id: 'src', type: 'tee' },
    { id: 'c', type: 'change', config: { rules } },
    { id: 'sink', type: 'collect' },
    { id: 'errs', type: 'collect' },
  ], wires));
  for (const fields of inputs) engine.inject('f', 'src', fields);
  await engine.idle();
  const stats = engine.stats().find((s) => s.nodeId === 'c')!;
  return {
    inputs: collector.received.filter((r) => r.port === 'in2').map((r) => r.msg),
    outputs: collector.received.filter((r) => r.port === 'in').map((r) => r.msg),
    stats,
  };
}

describe('change', () => {
  it('sets a nested payload path, creating objects, without touching the input', async () => {
    const payload = { temp: { value: 21.5, unit: '°C' }, line: 'A' };
    const { inputs, outputs } = await run([{ action: 'set', path: 'payload.meta.site.name', value: '一号车间' }], [{ topic: 't', payload }]);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.payload).toEqual({ temp: { value: 21.5, unit: '°C' }, line: 'A', meta: { site: { name: '一号车间' } } });
    expect(inputs[0]!.payload).toEqual({ temp: { value: 21.5, unit: '°C' }, line: 'A' });
    // Branches the rules did not touch are shared, not copied.
    expect((outputs[0]!.payload as typeof payload).temp).toBe((inputs[0]!.payload as typeof payload).temp);
    expect(Object.isFrozen(outputs[0]!.payload)).toBe(true);
  });

  it('applies rules in order, each on the result of the previous one', async () => {
    const { outputs } = await run([
      { action: 'copy', from: 'payload.raw', to: 'payload.celsius' },
      { action: 'scale', path: 'payload.celsius', factor: 0.1, offset: -40, round: 1 },
      { action: 'delete', path: 'payload.raw' },
      { action: 'set', path: 'topic', value: 'oven/temp' },
      { action: 'copy', from: 'topic', to: 'payload.source' },
    ], [{ topic: 'raw', device: 'oven-1', payload: { raw: 654 } }]);
    expect(outputs.map((m) => ({ topic: m.topic, device: m.device, quality: m.quality, payload: m.payload }))).toEqual([
      { topic: 'oven/temp', device: 'oven-1', quality: 'good', payload: { celsius: 25.4, source: 'oven/temp' } },
    ]);
  });

  it('keeps ts and the other fields of the input unless a rule changes them', async () => {
    const { outputs } = await run([{ action: 'set', path: 'payload.ok', value: true }], [{ ts: 1234, topic: 'x', quality: 'uncertain', payload: {} }]);
    expect(outputs[0]).toEqual({ ts: 1234, topic: 'x', quality: 'uncertain', payload: { ok: true } });
  });

  it('moves the whole payload under a new field', async () => {
    const { outputs } = await run([
      { action: 'move', from: 'payload', to: 'payload.reading' },
      { action: 'move', from: 'device', to: 'payload.machine' },
    ], [{ device: 'loom-07', payload: 42 }]);
    expect(outputs[0]!.payload).toEqual({ reading: 42, machine: 'loom-07' });
    expect(outputs[0]!.device).toBeUndefined();
    expect('device' in outputs[0]!).toBe(false);
  });

  it('sets topic, quality, ts and device', async () => {
    const { outputs } = await run([
      { action: 'set', path: 'topic', value: 'line/2' },
      { action: 'set', path: 'quality', value: 'uncertain' },
      { action: 'set', path: 'ts', value: 1_700_000_000_000 },
      { action: 'set', path: 'device', value: 'press-3' },
      { action: 'set', path: 'payload', value: { limits: [1, 2] } },
    ], [{ payload: 0 }]);
    expect(outputs[0]).toEqual({ ts: 1_700_000_000_000, topic: 'line/2', device: 'press-3', quality: 'uncertain', payload: { limits: [1, 2] } });
  });

  it('writes and deletes array elements by index', async () => {
    const { outputs } = await run([
      { action: 'set', path: 'payload.values.1', value: 20 },
      { action: 'set', path: 'payload.values.3', value: 40 },
      { action: 'delete', path: 'payload.values.0' },
    ], [{ payload: { values: [1, 2, 3] } }]);
    expect(outputs[0]!.payload).toEqual({ values: [20, 3, 40] });
  });

  it('scales with rounding half away from zero', async () => {
    const { outputs } = await run([
      { action: 'scale', path: 'payload.a', round: 2 },
      { action: 'scale', path: 'payload.b', factor: 1, offset: 0, round: 0 },
      { action: 'scale', path: 'payload.c', factor: 2 },
      { action: 'scale', path: 'ts', factor: 1, offset: 1000 },
    ], [{ ts: 5000, payload: { a: 1.005, b: -2.5, c: 0.1 } }]);
    expect(outputs[0]!.payload).toEqual({ a: 1.01, b: -3, c: 0.2 });
    expect(outputs[0]!.ts).toBe(6000);
  });

  it('converts between number, string and boolean', async () => {
    const { outputs } = await run([
      { action: 'convert', path: 'payload.n', to: 'number' },
      { action: 'convert', path: 'payload.s', to: 'string' },
      { action: 'convert', path: 'payload.b', to: 'boolean' },
      { action: 'convert', path: 'payload.o', to: 'string' },
      { action: 'convert', path: 'payload.f', to: 'number' },
    ], [{ payload: { n: ' 12.5 ', s: 7, b: 'ON', o: { x: 1 }, f: false } }]);
    expect(outputs[0]!.payload).toEqual({ n: 12.5, s: '7', b: true, o: '{"x":1}', f: 0 });
  });

  it('reports a rule that cannot apply and does not emit the message', async () => {
    const { outputs, stats } = await run([
      { action: 'set', path: 'payload.seen', value: true },
      { action: 'scale', path: 'payload.temp', factor: 10 },
    ], [{ payload: { temp: 'n/a' } }, { payload: { temp: 2 } }]);
    expect(outputs.map((m) => m.payload)).toEqual([{ seen: true, temp: 20 }]);
    expect(stats).toMatchObject({ in: 2, out: 1, errors: 1 });
    expect(stats.lastError?.message).toBe('rules[1] (scale)：无法缩放 payload.temp：它是文本 "n/a"，不是数字 / rules[1] (scale): cannot scale payload.temp: it is the text "n/a", not a number');
  });

  it('sends the failing input on the error port when it is wired', async () => {
    const clock = createVirtualClock(T0);
    const sink = createCollector();
    engine = createEngine({ registry: createRegistry([change, sink.type]), clock });
    await engine.deploy(flowOf('f', [
      { id: 'c', type: 'change', config: { rules: [{ action: 'copy', from: 'payload.name', to: 'topic' }] } },
      { id: 'errs', type: 'collect' },
    ], ['c:error -> errs']));
    engine.inject('f', 'c', { device: 'd1', payload: { name: 12 } });
    await engine.idle();
    expect(sink.received).toHaveLength(1);
    const err = sink.received[0]!.msg;
    expect(err.device).toBe('d1');
    expect(err.payload).toMatchObject({
      node: 'c',
      type: 'change',
      error: 'rules[0] (copy)：topic 只能是文本，不能是数字 12 / rules[0] (copy): topic must be text, not the number 12',
      input: { payload: { name: 12 } },
    });
  });

  it('reports copying from a path that does not exist', async () => {
    const { outputs, stats } = await run([{ action: 'copy', from: 'payload.missing', to: 'payload.x' }], [{ payload: {} }]);
    expect(outputs).toEqual([]);
    expect(stats.lastError?.message).toContain('there is nothing at payload.missing');
  });

  it('reports setting a field below a value that is not an object', async () => {
    const { outputs, stats } = await run([{ action: 'set', path: 'payload.temp.unit', value: '°C' }], [{ payload: { temp: 21 } }]);
    expect(outputs).toEqual([]);
    expect(stats.lastError?.message).toContain('payload.temp is the number 21; it cannot hold the field "unit"');
  });

  it('reports a value that cannot be converted', async () => {
    const { outputs, stats } = await run([{ action: 'convert', path: 'payload', to: 'number' }], [{ payload: 'abc' }, { payload: '3' }]);
    expect(outputs.map((m) => m.payload)).toEqual([3]);
    expect(stats.lastError?.message).toContain('cannot convert payload (the text "abc") to a number');
  });

  it('deleting a path that is not there leaves the message as it was', async () => {
    const { outputs, inputs } = await run([{ action: 'delete', path: 'payload.a.b' }], [{ payload: { a: 1, c: { d: 2 } } }]);
    expect(outputs[0]!.payload).toBe(inputs[0]!.payload);
  });

  it('does not let messages freeze the value of a set rule in the flow config', async () => {
    const value = { limits: { high: 80 } };
    await run([{ action: 'set', path: 'payload.cfg', value }], [{ payload: {} }]);
    expect(Object.isFrozen(value)).toBe(false);
    expect(engine!.flows[0]!.nodes[1]!.config).toEqual({ rules: [{ action: 'set', path: 'payload.cfg', value: { limits: { high: 80 } } }] });
    expect(Object.isFrozen((engine!.flows[0]!.nodes[1]!.config as { rules: { value: object }[] }).rules[0]!.value)).toBe(false);
  });
});
