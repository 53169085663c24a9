import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../../nodes/registry';
import { history } from '../../../../nodes/store/history/runtime';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import type { Engine } from '../../../../runtime/engine/engine';
import { EngineDeployError, createEngine } from '../../../../runtime/engine/engine';
import type { MessageFields } from '../../../../runtime/model';
import type { Store } from '../../../../runtime/store';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';
import { HOUR, T0, openStore } from '../../../runtime/store/temp-store';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

async function setup(config: Record<string, unknown>): Promise<{ store: Store; send(fields: MessageFields): Promise<void>; errors(): unknown[] }> {
  const { store } = openStore();
  const sink = createCollector();
  const e = createEngine({ registry: createRegistry([history, sink.type]), clock: createVirtualClock(T0), services: { history: store } });
  engines.push(e);
  await e.deploy(flowOf('f', [{ id: 'h', type: 'history', config }, { id: 'err', type: 'collect' }], ['h:error -> err']));
  return {
    store,
    async send(fields) {
      e.inject('f', 'h', { ts: T0, ...fields });
      await e.idle();
    },
    errors: () => sink.received.map((r) => (r.msg.payload as { error: string }).error),
  };
}

const points = (store: Store, device: string, tag: string) => store.querySeries({ device, tag, from: T0 - HOUR, to: T0 + HOUR }).points;

describe('history node', () => {
  it('writes message values as points of the device and topic, carrying time and quality', async () => {
    const t = await setup({});
    await t.send({ device: 'oven-1', topic: 'temp', payload: 81.5 });
    await t.send({ device: 'oven-1', topic: 'temp', payload: 82, ts: T0 + 1_000, quality: 'uncertain' });
    await t.send({ device: 'oven-1', topic: 'door', payload: true, ts: T0 + 2_000 });
    await t.send({ device: 'oven-1', topic: 'temp', payload: null, ts: T0 + 3_000, quality: 'bad' });
    expect(points(t.store, 'oven-1', 'temp')).toEqual([
      { ts: T0, value: 81.5 },
      { ts: T0 + 1_000, value: 82, quality: 'uncertain' },
      { ts: T0 + 3_000, value: null, quality: 'bad' },
    ]);
    expect(points(t.store, 'oven-1', 'door')).toEqual([{ ts: T0 + 2_000, value: 1 }]);
  });

  it('uses its configured tag, a property path and a default device', async () => {
    const t = await setup({ tag: 'power', property: 'payload.kw', device: 'meter-main' });
    await t.send({ topic: 'ignored', payload: { kw: 12.5 } });
    await t.send({ device: 'meter-2', payload: { kw: 3 }, ts: T0 + 1 });
    expect(points(t.store, 'meter-main', 'power')).toEqual([{ ts: T0, value: 12.5 }]);
    expect(points(t.store, 'meter-2', 'power')).toEqual([{ ts: T0 + 1, value: 3 }]);
  });

  it('writes several fields of an object as separate tags', async () => {
    const t = await setup({ fields: ['temp', 'rpm', 'running'], prefix: 'spindle.' });
    await t.send({ device: 'cnc-3', payload: { temp: 41.2, rpm: 12_000, running: false, note: 'ok' } });
    await t.send({ device: 'cnc-3', payload: { temp: 41.9 }, ts: T0 + 1_000 });
    expect(t.store.listSeries().map((s) => `${s.device}/${s.tag}=${s.lastValue}`)).toEqual(['cnc-3/spindle.rpm=12000', 'cnc-3/spindle.running=0', 'cnc-3/spindle.temp=41.9']);
    expect(points(t.store, 'cnc-3', 'spindle.temp')).toEqual([{ ts: T0, value: 41.2 }, { ts: T0 + 1_000, value: 41.9 }]);
    expect(t.errors()).toEqual([]);
  });

  it('records the null fields of a bad snapshot (a device gone offline) as gaps', async () => {
    const t = await setup({ fields: ['temp', 'rpm'] });
    await t.send({ device: 'cnc-3', payload: { temp: 40, rpm: 900 } });
    await t.send({ device: 'cnc-3', payload: { temp: null, rpm: null }, ts: T0 + 1_000, quality: 'bad' });
    await t.send({ device: 'cnc-3', payload: { temp: null, rpm: 5 }, ts: T0 + 2_000 });
    expect(points(t.store, 'cnc-3', 'temp')).toEqual([{ ts: T0, value: 40 }, { ts: T0 + 1_000, value: null, quality: 'bad' }]);
    expect(points(t.store, 'cnc-3', 'rpm')).toEqual([{ ts: T0, value: 900 }, { ts: T0 + 1_000, value: null, quality: 'bad' }, { ts: T0 + 2_000, value: 5 }]);
    // A null in a good reading is no number: said so, not taken for a gap.
    expect(t.errors()).toEqual(['these fields are not numbers: temp=null']);
  });

  it('reports values it cannot write and keeps going', async () => {
    const t = await setup({ fields: ['temp', 'rpm'] });
    await t.send({ device: 'cnc-3', payload: { temp: 'hot', rpm: 100 } });
    await t.send({ device: 'cnc-3', payload: 7 });
    const single = await setup({});
    await single.send({ device: 'd', topic: 'x', payload: 'offline' });
    await single.send({ topic: 'x', payload: 1 });
    await single.send({ device: 'd', payload: 1 });
    await single.send({ device: 'd', topic: 'x', payload: 2 });
    expect(t.errors()).toEqual(['these fields are not numbers: temp="hot"', 'payload is not an object (7)']);
    expect(points(t.store, 'cnc-3', 'rpm')).toEqual([{ ts: T0, value: 100 }]);
    expect(single.errors()).toEqual([
      'payload is not a number or boolean ("offline")',
      'the message has no device (msg.device) and the node has no default device',
      'no tag: set the node\'s tag or the message topic',
    ]);
    expect(points(single.store, 'd', 'x')).toEqual([{ ts: T0, value: 2 }]);
  });

  it('will not start without a history service', async () => {
    const e = createEngine({ registry: createRegistry([history]) });
    const failed = await e.deploy(flowOf('f', [{ id: 'h', type: 'history' }])).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(EngineDeployError);
    expect((failed as Error).message).toMatch(/node "h" needs the "history" service/);
  });
});
