import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../../nodes/sdk';
import { StoreError } from '../../../runtime/store';
import { T0, openStore } from './temp-store';

const raise = (over: Partial<AlarmRecord> = {}): AlarmRecord => ({
  event: 'raised', code: 'oven-temp', device: 'oven-1', kind: 'high', severity: 'critical', value: 85.2, limit: 80,
  text: { zh: '烘箱温度过高', en: 'Oven too hot' }, at: T0, source: 'line/ta', ...over,
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('store: alarms', () => {
  it('opens an alarm on raise and closes it on clear, keyed by code and device', () => {
    const { store } = openStore();
    store.record(raise());
    store.record(raise({ device: 'oven-2', at: T0 + 5 }));
    store.record(raise({ at: T0 + 10, value: 90 })); // a repeat while open changes nothing
    store.record({ event: 'cleared', code: 'oven-temp', device: 'oven-1', severity: 'critical', value: 74.9, at: T0 + 60_000, source: 'line/ta' });
    store.record({ event: 'cleared', code: 'other', device: 'oven-1', severity: 'info', at: T0 + 61_000, source: 'line/ta' }); // nothing open

    const all = store.listAlarms();
    expect(all).toEqual([
      { id: 2, code: 'oven-temp', device: 'oven-2', kind: 'high', severity: 'critical', source: 'line/ta', text: { zh: '烘箱温度过高', en: 'Oven too hot' }, raisedAt: T0 + 5, value: 85.2, limit: 80, active: true },
      {
        id: 1, code: 'oven-temp', device: 'oven-1', kind: 'high', severity: 'critical', source: 'line/ta', text: { zh: '烘箱温度过高', en: 'Oven too hot' },
        raisedAt: T0, value: 85.2, limit: 80, active: false, clearedAt: T0 + 60_000, clearedValue: 74.9,
      },
    ]);
    expect(store.listAlarms({ active: true }).map((a) => a.device)).toEqual(['oven-2']);
    expect(store.listAlarms({ active: false }).map((a) => a.device)).toEqual(['oven-1']);

    // Raised again after the clear: a new alarm.
    store.record(raise({ at: T0 + 120_000 }));
    expect(store.listAlarms({ active: true }).map((a) => [a.id, a.device])).toEqual([[3, 'oven-1'], [2, 'oven-2']]);
    expect(store.listAlarms({ from: T0 + 1, to: T0 + 100_000 }).map((a) => a.id)).toEqual([2]);
    expect(store.listAlarms({ limit: 1 }).map((a) => a.id)).toEqual([3]);
  });

  it('records who acknowledged an alarm and when, once', async () => {
    const { store, clock } = openStore();
    store.record(raise({ device: undefined }));
    await clock.advance(30_000);
    const acked = store.ackAlarm(1, { by: '王工', comment: '已降温' });
    expect(acked).toMatchObject({ id: 1, active: true, ack: { by: '王工', at: T0 + 30_000, comment: '已降温' } });
    expect(acked.device).toBeUndefined();
    expect(store.listAlarms()[0]!.ack).toEqual({ by: '王工', at: T0 + 30_000, comment: '已降温' });

    const twice = caught(() => store.ackAlarm(1, { by: 'li' }));
    expect(twice).toBeInstanceOf(StoreError);
    expect(twice).toMatchObject({
      code: 'alarm-already-acked',
      details: { id: 1, by: '王工', at: T0 + 30_000 },
      text: { en: 'alarm 1 was already acknowledged by 王工 at 2025-06-02T06:00:30.000Z', zh: '报警 1 已由 王工 于 2025-06-02T06:00:30.000Z 确认' },
    });
    expect(caught(() => store.ackAlarm(42, { by: 'li' }))).toMatchObject({ code: 'alarm-not-found', text: { zh: '没有编号为 42 的报警', en: 'no alarm with id 42' } });
    expect(caught(() => store.ackAlarm(1, { by: '' }))).toMatchObject({ code: 'invalid-argument' });
  });
});

describe('store: malformed records', () => {
  it('refuses them on arrival so they cannot block the writes after them', () => {
    const { store } = openStore();
    store.record({ ...raise(), severity: 'fatal' as 'critical' });
    store.record({ ...raise(), code: undefined as unknown as string });
    store.append({ kind: 'deploy', source: 'runtime', at: Number.NaN });
    store.append({ kind: 'deploy', source: 'runtime', at: T0, data: 'text' as unknown as Record<string, unknown> });
    store.record(raise());
    store.append({ kind: 'deploy', source: 'runtime', at: T0 });
    expect(store.flush()).toMatchObject({ ok: true, alarms: 1, events: 1 });
    expect(store.stats()).toMatchObject({ rejectedRecords: 4, rows: { alarms: 1, events: 1 } });
  });
});

describe('store: events', () => {
  it('lists events newest first, by kind and time', () => {
    const { store } = openStore();
    store.append({ kind: 'deploy', source: 'runtime', at: T0, data: { bundle: 'b1', sequence: 1 } });
    store.append({ kind: 'device-state', source: 'devices', at: T0 + 1_000, data: { device: 'plc-1', state: 'offline' } });
    store.append({ kind: 'device-state', source: 'devices', at: T0 + 2_000, data: { device: 'plc-1', state: 'online' } });
    store.append({ kind: 'node-fault', source: 'line/rule', at: T0 + 3_000 });
    expect(store.listEvents({ kind: 'device-state' })).toEqual([
      { id: 3, at: T0 + 2_000, kind: 'device-state', source: 'devices', data: { device: 'plc-1', state: 'online' } },
      { id: 2, at: T0 + 1_000, kind: 'device-state', source: 'devices', data: { device: 'plc-1', state: 'offline' } },
    ]);
    expect(store.listEvents({ from: T0, to: T0 + 1_000 }).map((e) => e.kind)).toEqual(['deploy']);
    expect(store.listEvents({ limit: 2 }).map((e) => e.id)).toEqual([4, 3]);
    expect(store.listEvents()[0]).toEqual({ id: 4, at: T0 + 3_000, kind: 'node-fault', source: 'line/rule' });
    expect(() => store.listEvents({ limit: 0 })).toThrow(/limit must be an integer from 1 to 10000/);
  });
});

describe('store: key-value area', () => {
  it('round-trips JSON values by scope and key', () => {
    const { store } = openStore();
    expect(store.kvGet('line/counter', 'total')).toBeUndefined();
    store.kvSet('line/counter', 'total', { count: 41, since: T0, tags: ['a', 'b'], ok: true, none: null });
    store.kvSet('line/counter', 'total', { count: 42, since: T0, tags: ['a', 'b'], ok: true, none: null });
    store.kvSet('other/node', 'total', 7);
    expect(store.kvGet('line/counter', 'total')).toEqual({ count: 42, since: T0, tags: ['a', 'b'], ok: true, none: null });
    expect(store.kvGet('other/node', 'total')).toBe(7);
    expect(store.stats().rows.kv).toBe(2);
    expect(store.kvDelete('line/counter', 'total')).toBe(true);
    expect(store.kvDelete('line/counter', 'total')).toBe(false);
    expect(store.kvGet('line/counter', 'total')).toBeUndefined();
    expect(store.stats().rows.kv).toBe(1);
    expect(caught(() => store.kvSet('s', 'k', undefined))).toMatchObject({ code: 'invalid-argument' });
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(caught(() => store.kvSet('s', 'k', loop))).toMatchObject({ code: 'invalid-argument' });
  });
});
