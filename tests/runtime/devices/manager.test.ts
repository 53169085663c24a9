import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceUpdate, SiteEvent } from '../../../nodes/sdk';
import { NodeConfigError } from '../../../nodes/sdk';
import type { DeviceManager } from '../../../runtime/devices/manager';
import { createDeviceManager } from '../../../runtime/devices/manager';
import { catalogOf, loadProfileCatalog } from '../../../runtime/devices/profile-catalog';
import type { Simulator } from '../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../runtime/devices/simulator/simulator';
import type { DeviceProfileInput } from '../../../runtime/model/device-profile';
import { KNOWN_VALUES, knownProfile, until } from './helpers';

const shipped = loadProfileCatalog();

describe('device manager over Modbus TCP', () => {
  let sim: Simulator | undefined;
  let manager: DeviceManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    await sim?.close();
    manager = sim = undefined;
  });

  it('reports what the machine holds, decoded by its profile, and follows it as it runs', async () => {
    sim = await startSimulator({ devices: [{ profile: 'imm-controller' }], catalog: shipped, realtime: false, seed: 3 });
    manager = createDeviceManager({ profiles: shipped });
    manager.start();
    const device = sim.devices[0]!;
    const handle = manager.open({ owner: 'test', devices: [device.entry({ intervalMs: 20 })], tags: ['shot_count', 'barrel_t3', 'mould_id', 'motor_on', 'gate_closed'] });
    const updates: DeviceUpdate[] = [];
    handle.onUpdate((u) => updates.push(u));
    const expected = () => ['shot_count', 'barrel_t3', 'mould_id', 'motor_on', 'gate_closed'].map((k) => device.machine.value(k));
    const matches = (u: DeviceUpdate, want: unknown[]) => u.values.every((v, i) => (typeof v === 'number' ? Math.abs(v - (want[i] as number)) < 0.051 : v === want[i]));
    await until('the machine\'s values', () => updates.some((u) => matches(u, expected())));
    const before = updates.at(-1)!.values[0] as number;
    sim.advance(600);
    await until('ten simulated minutes later', () => updates.some((u) => matches(u, expected())) && (updates.at(-1)!.values[0] as number) !== before);
    const last = updates.at(-1)!;
    expect(last.tags).toEqual(['shot_count', 'barrel_t3', 'mould_id', 'motor_on', 'gate_closed']);
    expect(last.qualities).toEqual(['good', 'good', 'good', 'good', 'good']);
    expect(last.values[2]).toBe('M2024-0317');
    handle.close();
  });

  it('writes within the profile\'s range, refuses the rest, and records every write', async () => {
    const events: SiteEvent[] = [];
    sim = await startSimulator({ devices: [{ profile: 'delta-dtb4848' }], catalog: shipped, realtime: false });
    manager = createDeviceManager({ profiles: shipped, events: { append: (e) => events.push(e) } });
    manager.start();
    const device = sim.devices[0]!;
    const handle = manager.open({ owner: 'flow/writer', devices: [device.entry()], poll: false });
    const r = await handle.write(device.name, 'sv', 190.5);
    expect(r).toMatchObject({ device: device.name, tag: 'sv', value: 190.5, raw: [1905] });
    expect(device.unit.bank.holding[0x1001]).toBe(1905);
    await handle.write(device.name, 'run', false);
    expect(device.unit.bank.coils[0x0814]).toBe(0);
    await expect(handle.write(device.name, 'sv', 1500)).rejects.toThrow('1500 °C is outside the range of tag "sv" (-200 … 1300 °C)');
    await expect(handle.write(device.name, 'pv', 20)).rejects.toThrow('tag "pv" is read-only');
    await expect(handle.write(device.name, 'nope', 1)).rejects.toThrow('has no tag "nope"');
    await expect(handle.write(device.name, 'sv', 'hot')).rejects.toThrow('takes a number');
    const writes = events.filter((e) => e.kind === 'device-write');
    expect(writes.map((e) => [e.source, e.data?.tag, e.data?.ok])).toEqual([
      ['flow/writer', 'sv', true],
      ['flow/writer', 'run', true],
      ['flow/writer', 'sv', false],
      ['flow/writer', 'pv', false],
      ['flow/writer', 'nope', false],
      ['flow/writer', 'sv', false],
    ]);
    handle.close();
  });

  it('records health changes as site events', async () => {
    const events: SiteEvent[] = [];
    const catalog = catalogOf([knownProfile()]);
    sim = await startSimulator({ devices: [{ profile: knownProfile() as never }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog, events: { append: (e) => events.push(e) }, settings: { probe: { initialMs: 20, maxMs: 50, factor: 2 } } });
    manager.start();
    const device = sim.devices[0]!;
    const handle = manager.open({ owner: 'test', devices: [device.entry({ timeoutMs: 50 })] });
    await until('online', () => handle.health(device.name) === 'online');
    device.setFault({ kind: 'exception', code: 2 });
    await until('degraded', () => handle.health(device.name) === 'degraded');
    device.setFault({ kind: 'none' });
    await until('online again', () => handle.health(device.name) === 'online');
    const health = events.filter((e) => e.kind === 'device-health').map((e) => `${e.data?.from}→${e.data?.to}`);
    expect(health).toEqual(['connecting→online', 'online→degraded', 'degraded→online']);
    const why = events.find((e) => e.data?.to === 'degraded')!.data!.reason as { en: string; zh: string };
    expect(why.en).toBe('device answered exception 2 (illegal data address)');
    expect(why.zh).toBe('设备返回异常码 2（非法数据地址）');
    handle.close();
  });

  it('keeps polling across a redeploy: a device let go and taken again is never disconnected', async () => {
    const catalog = catalogOf([knownProfile()]);
    sim = await startSimulator({ devices: [{ profile: knownProfile() as never }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog, settings: { lingerMs: 60_000 } });
    manager.start();
    const entry = sim.devices[0]!.entry();
    const first = manager.open({ owner: 'deployment-1', devices: [entry] });
    await until('polling', () => first.latest(entry.name));
    const rounds = () => manager!.status()[0]!.stats.rounds;
    // Old deployment stops first, the new one starts after: the linger bridges the gap.
    first.close();
    const atSwitch = rounds();
    await until('polling goes on with nobody holding the device', () => rounds() > atSwitch + 3);
    const second = manager.open({ owner: 'deployment-2', devices: [entry] });
    expect(second.latest(entry.name)?.values).toHaveLength(16);
    await until('more rounds', () => rounds() > atSwitch + 6);
    expect(sim.servers[0]!.connections).toBe(1);
    expect(manager.status()[0]!.owners).toEqual(['deployment-2']);
    second.close();
  });

  it('reads tags in smaller blocks when a device refuses to read across unmapped registers', async () => {
    const events: SiteEvent[] = [];
    const profile: DeviceProfileInput = { ...knownProfile('gappy'), defaults: { byteOrder: 'ABCD', addressBase: 0, intervalMs: 30, maxGap: 100 } };
    const catalog = catalogOf([profile]);
    sim = await startSimulator({ devices: [{ profile: profile as never, strict: true }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog, events: { append: (e) => events.push(e) } });
    manager.start();
    const handle = manager.open({ owner: 'test', devices: [sim.devices[0]!.entry()] });
    const updates: DeviceUpdate[] = [];
    handle.onUpdate((u) => updates.push(u));
    await until('good values', () => updates.some((u) => u.qualities.every((q) => q === 'good')));
    const u = updates.find((x) => x.qualities.every((q) => q === 'good'))!;
    expect(Object.fromEntries(u.tags.map((t, i) => [t, u.values[i]]))).toEqual(KNOWN_VALUES);
    // The first round already reads everything: the split happens inside it.
    expect(updates[0]!.qualities.every((q) => q === 'good')).toBe(true);
    expect(events.filter((e) => e.kind === 'device-plan-split').map((e) => e.data)).toEqual([
      { device: 'gappy-1', area: 'holding', start: 0, count: 110, into: [{ start: 0, count: 10 }, { start: 100, count: 10 }] },
    ]);
    handle.close();
  });

  it('pipelines requests on a Modbus TCP connection and keeps every answer with its request', async () => {
    const profile: DeviceProfileInput = { ...knownProfile('narrow', 0), defaults: { byteOrder: 'ABCD', addressBase: 0, intervalMs: 0, maxRegistersPerRequest: 2 } };
    const catalog = catalogOf([profile]);
    sim = await startSimulator({ devices: [{ profile: profile as never }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog });
    manager.start();
    const handle = manager.open({ owner: 'test', devices: [sim.devices[0]!.entry({ pipeline: 8 })] });
    const wrong: string[] = [];
    let rounds = 0;
    handle.onUpdate((u) => {
      rounds++;
      u.tags.forEach((t, i) => {
        if (u.values[i] !== KNOWN_VALUES[t]) wrong.push(`${t}=${u.values[i]}`);
      });
    });
    await until('200 rounds of 10 requests each', () => rounds >= 200);
    expect(wrong).toEqual([]);
    handle.close();
  });

  it('keeps memory bounded at any requested rate: a slow device skips rounds instead of queueing them', async () => {
    const catalog = catalogOf([knownProfile('fast', 1)]);
    sim = await startSimulator({ devices: [{ profile: knownProfile('fast', 1) as never }], catalog, realtime: false });
    sim.devices[0]!.setFault({ kind: 'late', delayMs: 40 });
    manager = createDeviceManager({ profiles: catalog });
    manager.start();
    const handle = manager.open({ owner: 'test', devices: [sim.devices[0]!.entry({ timeoutMs: 1000 })] });
    let most = 0;
    await until('rounds skipped', () => {
      const s = manager!.status()[0]!;
      most = Math.max(most, s.queued);
      return s.stats.skipped > 100 && s.stats.rounds > 3;
    });
    // Two blocks per round; never more waiting than one round.
    expect(most).toBeLessThanOrEqual(2);
    handle.close();
  });

  it('stops and starts with the deployment, and polls the site\'s own devices without any node', async () => {
    const catalog = catalogOf([knownProfile()]);
    sim = await startSimulator({ devices: [{ profile: knownProfile() as never }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog });
    manager.configure({ devices: [sim.devices[0]!.entry()] });
    expect(manager.status()[0]!.line).toBe('idle');
    manager.start();
    await until('online', () => manager!.status()[0]!.health === 'online');
    await manager.stop();
    expect(manager.status()[0]!.line).toBe('closed');
    await until('disconnected', () => sim!.servers[0]!.connections === 0);
    const rounds = manager.status()[0]!.stats.rounds;
    manager.start();
    await until('polling again', () => manager!.status()[0]!.stats.rounds > rounds + 2);
    manager.configure({ settings: { timeoutMs: 250 }, devices: [] });
  });

  it('says what is wrong with a device group, with the path, before polling anything', async () => {
    manager = createDeviceManager({ profiles: shipped });
    const base = { host: '127.0.0.1', port: 1502, unitId: 1 };
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(NodeConfigError);
        const e = err as NodeConfigError;
        return { path: e.path, en: e.text.en, zh: e.text.zh };
      }
      throw new Error('expected a NodeConfigError');
    };
    const unknown = fail(() => manager!.open({ owner: 't', devices: [{ ...base, name: 'a', profile: 'chint-dtsu666' }, { ...base, name: 'b', profile: 'chint-dtsu66' }] }));
    expect(unknown.path).toEqual(['devices', 1, 'profile']);
    expect(unknown.en).toMatch(/^no device profile "chint-dtsu66"; known: chint-dtsu666, /);
    const tag = fail(() => manager!.open({ owner: 't', devices: [{ ...base, name: 'a', profile: 'chint-dtsu666' }], tags: ['u_a', 'volts'] }));
    expect(tag).toEqual({ path: ['tags', 1], en: 'device "a" (profile chint-dtsu666) has no tag "volts"', zh: '设备 “a” 的模型 chint-dtsu666 没有点位 “volts”' });
    const serial = fail(() => manager!.open({
      owner: 't',
      devices: [
        { name: 'm1', serial: { path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, unitId: 1, profile: 'chint-dtsu666' },
        { name: 'm2', serial: { path: '/dev/ttyUSB0', baudRate: 19200, parity: 'none', dataBits: 8, stopBits: 1 }, unitId: 2, profile: 'chint-dtsu666' },
      ],
    }));
    expect(serial.path).toEqual(['devices', 1, 'serial']);
    expect(serial.en).toContain('shares /dev/ttyUSB0 19200 8N1 with "m1" but with other line settings');
    const inline = fail(() => manager!.open({ owner: 't', devices: [{ ...base, name: 'x', profile: { ...knownProfile(), tags: [{ key: 'k', label: { zh: 'k', en: 'k' }, area: 'holding', address: 0, type: 'string' }] } as never }] }));
    expect(inline.path).toEqual(['devices', 0, 'profile', 'tags', 0, 'length']);
    expect(manager.status()).toEqual([]);
  });
});
