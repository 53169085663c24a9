import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../../nodes/registry';
import { switchNode } from '../../../../nodes/core/switch/runtime';
import type { Engine } from '../../../../runtime/engine/engine';
import { createEngine } from '../../../../runtime/engine/engine';
import type { MessageFields } from '../../../../runtime/model';
import { validateFlow } from '../../../../runtime/model';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

async function route(config: Record<string, unknown>, inputs: MessageFields[]) {
  const sinks = ['a', 'b', 'c'].map((p) => createCollector(`sink-${p}`));
  const registry = createRegistry([switchNode, ...sinks.map((s) => s.type)]);
  const engine = createEngine({ registry });
  engines.push(engine);
  const ports = validateFlow(flowOf('f', [{ id: 's', type: 'switch', config }]), registry);
  if (!ports.ok) throw new Error(JSON.stringify(ports.problems));
  const outputs = ports.flow.nodes[0]!.outputs.filter((p) => p !== 'error');
  await engine.deploy(flowOf('f', [
    { id: 's', type: 'switch', config },
    ...outputs.map((p, i) => ({ id: `to-${p}`, type: `sink-${['a', 'b', 'c'][i]}` })),
  ], outputs.map((p) => `s:${p} -> to-${p}`)));
  for (const m of inputs) engine.inject('f', 's', m);
  await engine.idle();
  return Object.fromEntries(outputs.map((p, i) => [p, sinks[i]!.payloads()]));
}

describe('switch', () => {
  it('sends each message to the first matching rule, the rest to otherwise', async () => {
    const out = await route({
      rules: [{ port: 'hot', op: 'gt', value: 100 }, { port: 'warm', op: 'between', value: 50, value2: 100 }],
      otherwise: 'cold',
    }, [{ payload: 120 }, { payload: 100 }, { payload: 50 }, { payload: 20 }, { payload: 'n/a' }]);
    expect(out).toEqual({ hot: [120], warm: [100, 50], cold: [20, 'n/a'] });
  });

  it('with checkAll, sends to every matching rule', async () => {
    const out = await route({ checkAll: true, rules: [{ port: 'big', op: 'gte', value: 10 }, { port: 'even', property: 'payload', op: 'in', value: [2, 10, 12] }] },
      [{ payload: 12 }, { payload: 2 }, { payload: 11 }, { payload: 1 }]);
    expect(out).toEqual({ big: [12, 11], even: [12, 2] });
  });

  it('reads nested payload fields, topic, device and quality', async () => {
    const out = await route({
      rules: [
        { port: 'fault', property: 'payload.state', op: 'eq', value: 'fault' },
        { port: 'line2', property: 'device', op: 'regex', value: '^L2-' },
        { port: 'suspect', property: 'quality', op: 'neq', value: 'good' },
      ],
    }, [
      { payload: { state: 'fault' }, device: 'L1-03' },
      { payload: { state: 'run' }, device: 'L2-07' },
      { payload: { state: 'run' }, device: 'L1-01', quality: 'bad' },
      { payload: { state: 'run' }, device: 'L1-01' },
    ]);
    expect(out).toEqual({ fault: [{ state: 'fault' }], line2: [{ state: 'run' }], suspect: [{ state: 'run' }] });
  });

  it('handles presence and type tests', async () => {
    const out = await route({ rules: [{ port: 'missing', property: 'payload.count', op: 'missing' }, { port: 'number', property: 'payload.count', op: 'is-number' }], otherwise: 'other' },
      [{ payload: {} }, { payload: { count: null } }, { payload: { count: 3 } }, { payload: { count: '3' } }]);
    expect(out).toEqual({ missing: [{}, { count: null }], number: [{ count: 3 }], other: [{ count: '3' }] });
  });

  it('rejects impossible rules at validation, at the field', () => {
    const registry = createRegistry([switchNode]);
    const result = validateFlow(flowOf('f', [{ id: 's', type: 'switch', config: { rules: [
      { port: 'a', op: 'gt' },
      { port: 'b', op: 'between', value: 10, value2: 5 },
      { port: 'c', op: 'regex', value: '([a-z' },
      { port: 'error', op: 'exists' },
      { port: 'd', property: 'msg.payload', op: 'exists' },
    ] } }]), registry);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.at, p.message.en])).toEqual([
      ['nodes[0].config.rules[0].value', 'condition "gt" needs a value'],
      ['nodes[0].config.rules[1].value2', 'upper value 5 is below the lower value 10'],
      ['nodes[0].config.rules[2].value', expect.stringContaining('invalid regular expression')],
      ['nodes[0].config.rules[3].port', 'a port name of lower-case letters, digits, "_" or "-", starting with a letter, and not "error"'],
      ['nodes[0].config.rules[4].property', 'a property path starting with payload, topic, device, quality or ts (e.g. payload.temp)'],
    ]);
    expect(result.problems[0]!.message.zh).toBe('条件 “gt” 需要一个比较值');
  });
});
