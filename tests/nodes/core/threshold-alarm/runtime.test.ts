import { afterEach, describe, expect, it } from 'vitest';
import { thresholdAlarm } from '../../../../nodes/core/threshold-alarm/runtime';
import type { ThresholdAlarmInspect } from '../../../../nodes/core/threshold-alarm/runtime';
import { createRegistry } from '../../../../nodes/registry';
import type { Engine } from '../../../../runtime/engine/engine';
import { createEngine } from '../../../../runtime/engine/engine';
import { createVirtualClock } from '../../../../runtime/engine/clock';
import type { MessageFields } from '../../../../runtime/model';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';

const T0 = Date.UTC(2025, 5, 2, 6, 0, 0);

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function setup(config: Record<string, unknown>) {
  const clock = createVirtualClock(T0);
  const sink = createCollector();
  const e = createEngine({ registry: createRegistry([thresholdAlarm, sink.type]), clock });
  engine = e;
  await e.deploy(flowOf('f', [{ id: 'ta', type: 'threshold-alarm', config }, { id: 'sink', type: 'collect' }], ['ta:alarm -> sink', 'ta:out -> sink:in2']));
  return {
    clock,
    /** Time since the start, so expected timestamps read as offsets. */
    at: (ms: number) => T0 + ms,
    async send(fields: MessageFields | number) {
      e.inject('f', 'ta', typeof fields === 'number' ? { payload: fields } : fields);
      await e.idle();
    },
    advance: (ms: number) => clock.advance(ms, () => e.idle()),
    alarms: () => sink.received.filter((r) => r.port === 'in').map((r) => r.msg),
    events: () => sink.received.filter((r) => r.port === 'in').map((r) => {
      const p = r.msg.payload as { event: string; kind: string; value: number };
      return `${r.msg.ts - T0} ${r.msg.device ?? '-'} ${p.kind} ${p.event} ${p.value}`;
    }),
    passed: () => sink.received.filter((r) => r.port === 'in2').map((r) => r.msg),
    inspect: () => e.inspect('f', 'ta') as ThresholdAlarmInspect,
    stats: () => e.stats().find((s) => s.nodeId === 'ta')!,
  };
}

describe('threshold-alarm', () => {
  it('raises above high and emits the documented alarm message', async () => {
    const t = await setup({ high: 80, code: 'oven-temp', severity: 'critical', text: { zh: '烘箱温度过高', en: 'Oven too hot' } });
    await t.send({ device: 'oven-1', payload: 79.5 });
    await t.advance(1000);
    await t.send({ device: 'oven-1', payload: 81.2, ts: T0 - 50 });
    expect(t.alarms()).toEqual([{
      ts: t.at(1000),
      topic: 'alarm/oven-temp',
      device: 'oven-1',
      quality: 'good',
      payload: { event: 'raised', code: 'oven-temp', kind: 'high', severity: 'critical', value: 81.2, limit: 80, raisedAt: t.at(1000), text: { zh: '烘箱温度过高', en: 'Oven too hot' } },
    }]);
  });

  it('passes every input on unchanged on out', async () => {
    const t = await setup({ high: 80 });
    await t.send({ topic: 'a', device: 'd', payload: 90 });
    await t.send({ topic: 'b', quality: 'bad', payload: 95 });
    await t.send({ topic: 'c', payload: 'offline' });
    expect(t.passed()).toEqual([
      { ts: T0, topic: 'a', device: 'd', quality: 'good', payload: 90 },
      { ts: T0, topic: 'b', quality: 'bad', payload: 95 },
      { ts: T0, topic: 'c', quality: 'good', payload: 'offline' },
    ]);
  });

  it('clears a high alarm only below high − hysteresis', async () => {
    const t = await setup({ high: 80, hysteresis: 5 });
    for (const v of [81, 79, 76, 75, 80.5, 74.9, 78, 80, 80.1]) {
      await t.send(v);
      await t.advance(1000);
    }
    expect(t.events()).toEqual(['0 - high raised 81', '5000 - high cleared 74.9', '8000 - high raised 80.1']);
    const cleared = t.alarms()[1]!.payload;
    expect(cleared).toEqual({ event: 'cleared', code: 'threshold', kind: 'high', severity: 'warning', value: 74.9, limit: 80, raisedAt: T0 });
  });

  it('clears a low alarm only above low + hysteresis', async () => {
    const t = await setup({ low: 10, hysteresis: 2 });
    for (const v of [9, 11, 12, 12.5, 10, 9.99]) {
      await t.send(v);
      await t.advance(100);
    }
    expect(t.events()).toEqual(['0 - low raised 9', '300 - low cleared 12.5', '500 - low raised 9.99']);
  });

  it('raises by timer once the on delay has passed, without a new message', async () => {
    const t = await setup({ high: 80, onDelayMs: 5000 });
    await t.send(85);
    await t.advance(2000);
    await t.send(90);
    await t.advance(2999);
    expect(t.alarms()).toEqual([]);
    await t.advance(1);
    expect(t.events()).toEqual(['5000 - high raised 90']);
    expect(t.alarms()[0]!.payload).toMatchObject({ raisedAt: t.at(5000) });
    expect(t.clock.pending()).toBe(0);
  });

  it('raises nothing for a spike shorter than the on delay', async () => {
    const t = await setup({ high: 80, onDelayMs: 5000 });
    await t.send(70);
    await t.send(95);
    await t.advance(4999);
    await t.send(79);
    await t.advance(60_000);
    expect(t.alarms()).toEqual([]);
    expect(t.clock.pending()).toBe(0);
    expect(t.inspect()).toEqual({ active: {}, ignoredBad: 0 });
  });

  it('clears only after the value stayed normal for the off delay', async () => {
    const t = await setup({ high: 80, offDelayMs: 10_000 });
    await t.send(85);
    await t.advance(1000);
    await t.send(70);
    await t.advance(9000);
    await t.send(82); // back over the limit before the off delay ran out: still active
    await t.advance(5000);
    await t.send(60);
    await t.advance(9999);
    expect(t.events()).toEqual(['0 - high raised 85']);
    expect(t.inspect().active['']).toEqual([{ code: 'threshold', kind: 'high', severity: 'warning', value: 60, limit: 80, raisedAt: T0, clearing: true }]);
    await t.advance(1);
    expect(t.events()).toEqual(['0 - high raised 85', '25000 - high cleared 60']);
    expect(t.inspect().active).toEqual({});
  });

  it('clears high and raises low when the value jumps past both limits', async () => {
    const t = await setup({ high: 80, low: 20, offDelayMs: 10_000 });
    await t.send(90);
    await t.advance(1000);
    await t.send(10);
    expect(t.events()).toEqual(['0 - high raised 90', '1000 - high cleared 10', '1000 - low raised 10']);
    await t.advance(1000);
    await t.send(95);
    expect(t.events().slice(3)).toEqual(['2000 - low cleared 95', '2000 - high raised 95']);
    expect(t.alarms().slice(3).map((m) => (m.payload as { limit: number }).limit)).toEqual([20, 80]);
  });

  it('keeps independent state per device', async () => {
    const t = await setup({ high: 80, onDelayMs: 1000 });
    await t.send({ device: 'loom-01', payload: 85 });
    await t.advance(500);
    await t.send({ device: 'loom-02', payload: 90 });
    await t.send({ device: 'loom-01', payload: 70 }); // loom-01 recovers before its on delay
    await t.advance(1000);
    expect(t.events()).toEqual(['1500 loom-02 high raised 90']);
    expect(t.inspect()).toEqual({
      active: { 'loom-02': [{ code: 'threshold', kind: 'high', severity: 'warning', device: 'loom-02', value: 90, limit: 80, raisedAt: t.at(1500), clearing: false }] },
      ignoredBad: 0,
    });
    expect(t.stats()).toMatchObject({ state: 'warning', text: '1 个报警 / 1 active' });
    await t.send({ device: 'loom-01', payload: 99 });
    await t.advance(1000);
    await t.send({ device: 'loom-02', payload: 50 });
    expect(t.events()).toEqual(['1500 loom-02 high raised 90', '2500 loom-01 high raised 99', '2500 loom-02 high cleared 50']);
    expect(Object.keys(t.inspect().active)).toEqual(['loom-01']);
  });

  it('shares one state across devices when perDevice is off', async () => {
    const t = await setup({ high: 80, perDevice: false });
    await t.send({ device: 'a', payload: 85 });
    await t.send({ device: 'b', payload: 70 });
    expect(t.events()).toEqual(['0 a high raised 85', '0 b high cleared 70']);
  });

  it('never raises or clears on messages of bad quality', async () => {
    const t = await setup({ high: 80, onDelayMs: 1000 });
    await t.send({ payload: 99, quality: 'bad' });
    await t.advance(2000);
    expect(t.alarms()).toEqual([]);
    await t.send(85);
    await t.advance(1000);
    await t.send({ payload: 20, quality: 'bad' });
    await t.advance(5000);
    expect(t.events()).toEqual(['3000 - high raised 85']);
    expect(t.inspect()).toMatchObject({ ignoredBad: 2, active: { '': [{ value: 85 }] } });
    // `uncertain` still counts.
    await t.send({ payload: 20, quality: 'uncertain' });
    expect(t.events()).toEqual(['3000 - high raised 85', '8000 - high cleared 20']);
  });

  it('reports a value that is not a number and keeps its state', async () => {
    const t = await setup({ high: 80, property: 'payload.temp' });
    await t.send({ payload: { temp: 85 } });
    await t.send({ payload: { temp: '70' } });
    await t.send({ payload: { pressure: 3 } });
    expect(t.events()).toEqual(['0 - high raised 85']);
    expect(t.stats()).toMatchObject({ in: 3, errors: 2 });
    expect(t.stats().lastError?.message).toBe('payload.temp 不是数字（undefined） / payload.temp is not a number (undefined)');
    expect(t.passed()).toHaveLength(3);
  });
});
