import { afterEach, describe, expect, it } from 'vitest';
import { debug } from '../../../../nodes/core/debug/runtime';
import type { DebugEntry, DebugEvent } from '../../../../nodes/core/debug/runtime';
import { createRegistry } from '../../../../nodes/registry';
import type { Engine } from '../../../../runtime/engine/engine';
import { createEngine } from '../../../../runtime/engine/engine';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import type { MessageFields } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function setup(config: Record<string, unknown> = {}) {
  const clock = createVirtualClock(T0);
  const e = createEngine({ registry: createRegistry([debug]), clock });
  engine = e;
  const events: { data: DebugEvent; at: number }[] = [];
  e.subscribe((ev) => {
    if (ev.type === 'node-event' && ev.kind === 'debug' && ev.nodeId === 'dbg') events.push({ data: ev.data as DebugEvent, at: ev.at });
  });
  await e.deploy(flowOf('f', [{ id: 'dbg', type: 'debug', config }]));
  return {
    clock,
    events,
    async send(...all: MessageFields[]) {
      for (const fields of all) e.inject('f', 'dbg', fields);
      await e.idle();
    },
    advance: (ms: number) => clock.advance(ms, () => e.idle()),
    entries: () => e.inspect('f', 'dbg') as DebugEntry[],
  };
}

const numbered = (from: number, to: number): MessageFields[] => Array.from({ length: to - from + 1 }, (_, i) => ({ payload: from + i }));

describe('debug', () => {
  it('records entries with the payload by default, newest last', async () => {
    const t = await setup();
    await t.send({ topic: 'loom/rpm', device: 'loom-01', payload: { rpm: 410 } });
    await t.advance(250);
    await t.send({ topic: 'loom/rpm', quality: 'uncertain', payload: 0 });
    expect(t.entries()).toEqual([
      { ts: T0, topic: 'loom/rpm', device: 'loom-01', quality: 'good', value: { rpm: 410 } },
      { ts: T0 + 250, topic: 'loom/rpm', quality: 'uncertain', value: 0 },
    ]);
    expect(t.events.map((e) => e.data)).toEqual(t.entries());
  });

  it('wraps the ring buffer and keeps the newest in order', async () => {
    const t = await setup({ bufferSize: 5 });
    await t.send(...numbered(1, 3));
    expect(t.entries().map((e) => e.value)).toEqual([1, 2, 3]);
    await t.send(...numbered(4, 12));
    expect(t.entries().map((e) => e.value)).toEqual([8, 9, 10, 11, 12]);
    await t.send({ payload: 13 });
    expect(t.entries().map((e) => e.value)).toEqual([9, 10, 11, 12, 13]);
  });

  it('shows the value at the configured property, or the whole message', async () => {
    const byProperty = await setup({ property: 'payload.temp.value' });
    await byProperty.send({ payload: { temp: { value: 21.5 } } }, { payload: 'no temp here' });
    expect(byProperty.entries().map((e) => e.value)).toEqual([21.5, undefined]);
    await engine!.stop();

    const whole = await setup({ wholeMessage: true, property: 'payload.ignored' });
    await whole.send({ topic: 'x', device: 'd', payload: [1, 2] });
    expect(whole.entries()).toEqual([
      { ts: T0, topic: 'x', device: 'd', quality: 'good', value: { ts: T0, topic: 'x', device: 'd', quality: 'good', payload: [1, 2] } },
    ]);
  });

  it('limits live events per second and reports the skipped count in the next event', async () => {
    const t = await setup({ maxPerSecond: 3, bufferSize: 100 });
    await t.send(...numbered(1, 5));
    await t.advance(600);
    await t.send(...numbered(6, 7));
    expect(t.events.map((e) => e.data.value)).toEqual([1, 2, 3]);
    await t.advance(400); // a new second starts at T0 + 1000
    await t.send(...numbered(8, 9));
    expect(t.events.map((e) => [e.at - T0, e.data.value, e.data.skipped])).toEqual([
      [0, 1, undefined], [0, 2, undefined], [0, 3, undefined],
      [1000, 8, 4], [1000, 9, undefined],
    ]);
    // Everything is still in the buffer.
    expect(t.entries().map((e) => e.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('records nothing and publishes nothing when inactive', async () => {
    const t = await setup({ active: false });
    await t.send(...numbered(1, 10));
    expect(t.entries()).toEqual([]);
    expect(t.events).toEqual([]);
    const stats = engine!.stats().find((s) => s.nodeId === 'dbg')!;
    expect(stats).toMatchObject({ in: 10, queued: 0, errors: 0 });
  });
});
