import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import type { Engine, EngineEvent } from '../../../runtime/engine/engine';
import { createEngine } from '../../../runtime/engine/engine';
import type { MessageFields } from '../../../runtime/model';
import { createCollector } from '../../helpers/collector-node';
import { flowOf } from '../../helpers/flow';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

/** Runs `code` as a rule with ports out/alarm on the given inputs; returns what came out where. */
async function rule(code: string, inputs: MessageFields[], outputs = ['out', 'alarm']) {
  const out = createCollector('collect');
  const alarm = createCollector('collect-alarm');
  const errors = createCollector('collect-errors');
  const engine = createEngine({ registry: createNodeRegistry([out.type, alarm.type, errors.type]) });
  engines.push(engine);
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  await engine.deploy(flowOf('f', [
    { id: 'r', type: 'rule', config: { code, outputs } },
    { id: 'out', type: 'collect' },
    { id: 'alarm', type: 'collect-alarm' },
    { id: 'errors', type: 'collect-errors' },
  ], ['r:out -> out', ...(outputs.includes('alarm') ? ['r:alarm -> alarm'] : []), 'r:error -> errors']));
  for (const m of inputs) engine.inject('f', 'r', m);
  await engine.idle();
  return {
    out: out.received.map((r) => r.msg),
    alarm: alarm.received.map((r) => r.msg),
    errors: errors.received.map((r) => (r.msg.payload as { error: string }).error),
    logs: events.filter((e) => e.type === 'node-event' && e.kind === 'log').map((e) => (e as { data: unknown }).data),
    state: (engine.inspect('f', 'r') as { state: unknown }).state,
  };
}

describe('rule API', () => {
  it('passes a changed message on, keeping the fields it did not touch', async () => {
    const r = await rule('msg.payload = msg.payload * 1.8 + 32;\nreturn msg;', [{ ts: 1000, topic: 'temp', device: 'm1', payload: 100, quality: 'uncertain' }]);
    expect(r.out).toEqual([{ ts: 1000, topic: 'temp', device: 'm1', payload: 212, quality: 'uncertain' }]);
  });

  it('fills a new message from the input and lets a rule change or remove fields', async () => {
    const r = await rule("if (msg.payload === 1) return { payload: 'fresh' };\nreturn { payload: 2, topic: 'renamed', device: null, quality: 'bad', ts: 5 };", [
      { ts: 1000, topic: 't', device: 'm1', payload: 1 },
      { ts: 1000, topic: 't', device: 'm1', payload: 2 },
    ]);
    expect(r.out).toEqual([
      { ts: 1000, topic: 't', device: 'm1', payload: 'fresh', quality: 'good' },
      { ts: 5, topic: 'renamed', payload: 2, quality: 'bad' },
    ]);
  });

  it('sends an array to the first port and an object keyed by port to those ports', async () => {
    const r = await rule("if (msg.payload === 'many') return [{ payload: 1 }, null, { payload: 2 }];\nreturn { out: { payload: 'o' }, alarm: [{ payload: 'a1' }, { payload: 'a2' }] };", [{ payload: 'many' }, { payload: 'split' }]);
    expect(r.out.map((m) => m.payload)).toEqual([1, 2, 'o']);
    expect(r.alarm.map((m) => m.payload)).toEqual(['a1', 'a2']);
  });

  it('sends nothing when the rule returns nothing', async () => {
    const r = await rule('if (msg.payload > 10) return msg;', [{ payload: 5 }, { payload: 50 }]);
    expect(r.out.map((m) => m.payload)).toEqual([50]);
    expect(r.errors).toEqual([]);
  });

  it('keeps state between messages and shows it', async () => {
    const r = await rule('state.total = (state.total || 0) + msg.payload;\nreturn { payload: state.total };', [{ payload: 1 }, { payload: 2 }, { payload: 3 }]);
    expect(r.out.map((m) => m.payload)).toEqual([1, 3, 6]);
    expect(r.state).toEqual({ total: 6 });
  });

  it('carries objects, strings, booleans, null and non-finite numbers the JSON way', async () => {
    const r = await rule('return msg;', [
      { payload: { a: [1, { b: 'x' }] } }, { payload: '文本' }, { payload: true }, { payload: null }, { payload: 1.5 },
    ]);
    expect(r.out.map((m) => m.payload)).toEqual([{ a: [1, { b: 'x' }] }, '文本', true, null, 1.5]);
    const nan = await rule('return { payload: msg.payload / 0 - Infinity };', [{ payload: 1 }]);
    expect(nan.out.map((m) => m.payload)).toEqual([null]);
  });

  it('fails only the message whose output is invalid, naming what is wrong', async () => {
    const r = await rule([
      "if (msg.payload === 'topic') return { payload: 1, topic: 42 };",
      "if (msg.payload === 'port') return { elsewhere: { payload: 1 } };",
      "if (msg.payload === 'bigint') return { payload: 10n };",
      "if (msg.payload === 'throw') throw new RangeError('out of range');",
      "if (msg.payload === 'number') return 7;",
      'return msg;',
    ].join('\n'), ['topic', 'port', 'bigint', 'throw', 'number', 'fine'].map((payload) => ({ payload })));
    expect(r.out.map((m) => m.payload)).toEqual(['fine']);
    expect(r.errors).toEqual([
      'TypeError: msg.topic must be a string',
      'TypeError: no output port "elsewhere" (ports: out, alarm)',
      'RangeError: out of range (line 4, column 50)',
      'TypeError: expected a message, an array of messages or an object keyed by port, got number',
      // Found when the batch is encoded, so it comes last.
      'TypeError: msg.payload cannot be serialised as JSON (Do not know how to serialize a BigInt)',
    ]);
  });

  it('hands log lines to the live view', async () => {
    const r = await rule("log.info('温度', msg.payload, { unit: '°C' });\nlog.warn('high');", [{ payload: 251 }]);
    expect(r.logs).toEqual([{ level: 'info', text: '温度 251 {"unit":"°C"}' }, { level: 'warn', text: 'high' }]);
  });
});
