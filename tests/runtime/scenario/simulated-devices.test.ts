import { describe, expect, it } from 'vitest';
import type { DeviceHealthChange, DeviceUpdate } from '../../../nodes/sdk';
import { NodeConfigError } from '../../../nodes/sdk';
import { createVirtualClock } from '../../../runtime/engine/clock';
import { loadProfileCatalog } from '../../../runtime/devices/profile-catalog';
import type { DeviceEntry } from '../../../runtime/model/device-profile';
import type { DeviceScriptEvent, SimulatedDeviceSpec } from '../../../runtime/scenario';
import { createSimulatedDevices } from '../../../runtime/scenario';

const profiles = loadProfileCatalog();
const START = Date.parse('2026-11-02T08:00:00+08:00');
const MIN = 60_000;

const loom = (n: number): DeviceEntry => ({ name: `loom-${n}`, host: '127.0.0.1', port: 15020 + n, unitId: 1, profile: 'loom-controller' });

/** Runs looms for a while and keeps every update a handle got. */
async function run(options: { seed?: number; looms?: number; specs?: (e: DeviceEntry) => Partial<SimulatedDeviceSpec>; scripts?: DeviceScriptEvent[]; forMs: number; tags?: string[] }) {
  const clock = createVirtualClock(START);
  const entries = Array.from({ length: options.looms ?? 2 }, (_, i) => loom(i + 1));
  const devices = createSimulatedDevices({
    clock,
    profiles,
    seed: options.seed ?? 1,
    devices: entries.map((entry) => ({ entry, ...options.specs?.(entry) })),
    scripts: options.scripts ?? [],
  });
  const handle = devices.open({ owner: 'test', devices: entries, tags: options.tags ?? ['state', 'stop_reason', 'picks_total', 'alarm_lamp', 'speed'] });
  const updates: DeviceUpdate[] = [];
  const health: DeviceHealthChange[] = [];
  handle.onUpdate((u) => updates.push(u));
  handle.onHealth((c) => health.push(c));
  await clock.advance(options.forMs);
  devices.close();
  return { updates, health, devices, handle };
}

/** The update of a device last read at or before `offsetMs` after the start. */
function at(updates: readonly DeviceUpdate[], device: string, offsetMs: number): Record<string, unknown> & { quality: string[]; health: string } {
  const u = updates.filter((x) => x.device === device && x.ts <= START + offsetMs).at(-1)!;
  return { ...Object.fromEntries(u.tags.map((t, i) => [t, u.values[i]])), quality: [...u.qualities], health: u.health };
}

describe('simulated devices on a virtual clock', () => {
  it('give the same readings for the same seed, and other readings for another seed', async () => {
    const a = await run({ seed: 7, forMs: 2 * 3_600_000 });
    const b = await run({ seed: 7, forMs: 2 * 3_600_000 });
    const c = await run({ seed: 8, forMs: 2 * 3_600_000 });
    const values = (r: typeof a) => r.updates.map((u) => [u.device, u.ts, ...u.values]);
    // Every second for two hours, each loom (and the slower tags every ten seconds).
    expect(values(a).length).toBeGreaterThan(2 * 7200);
    expect(values(b)).toEqual(values(a));
    expect(values(c)).not.toEqual(values(a));
    // Randomly running looms stop now and then: both states show in two hours.
    const states = new Set(a.updates.map((u) => u.values[0]));
    expect(states.has(1) && (states.has(0) || states.has(2))).toBe(true);
  });

  it('read each poll as the real device path decodes the registers', async () => {
    const r = await run({ forMs: 10 * MIN, looms: 1, tags: ['state', 'picks_total', 'cloth_length', 'article', 'motor_on', 'weft_density'] });
    const last = r.updates.at(-1)!;
    const machine = r.devices.machine('loom-1');
    expect(last.qualities).toEqual(['good', 'good', 'good', 'good', 'good', 'good']);
    // Strings, bits, scaled and CDAB-ordered 32-bit values come back as the machine holds them.
    expect(last.values).toEqual([machine.value('state'), machine.value('picks_total'), machine.value('cloth_length'), 'TC45X45-110X76', machine.value('motor_on'), 24]);
    expect(last.readAt[5]).toBeLessThanOrEqual(last.ts);
    expect(last.fresh[0]).toBe(true);
  });

  it('hold a loom in a scripted fault with its stop cause, then let it run again', async () => {
    const r = await run({
      forMs: 40 * MIN,
      specs: () => ({ behaviour: 'steady' }),
      scripts: [{ at: 10 * MIN, device: 'loom-2', state: 'fault', faultCode: 2, forMs: 5 * MIN }],
    });
    expect(at(r.updates, 'loom-2', 9 * MIN)).toMatchObject({ state: 1, stop_reason: 0, alarm_lamp: false });
    expect(at(r.updates, 'loom-2', 12 * MIN)).toMatchObject({ state: 2, stop_reason: 2, alarm_lamp: true, speed: 0 });
    expect(at(r.updates, 'loom-2', 16 * MIN)).toMatchObject({ state: 1, stop_reason: 0, alarm_lamp: false });
    // A steady loom runs the whole time; the other one was never touched.
    expect(r.updates.filter((u) => u.device === 'loom-1').every((u) => u.values[0] === 1)).toBe(true);
    // No picks while stopped.
    const picks = (t: number) => at(r.updates, 'loom-2', t).picks_total as number;
    expect(picks(14 * MIN)).toBe(picks(11 * MIN));
    expect(picks(20 * MIN)).toBeGreaterThan(picks(16 * MIN));
  });

  it('take a device off the line as the real poller sees it: stale, then bad and offline, then back', async () => {
    const r = await run({
      forMs: 20 * MIN,
      specs: () => ({ behaviour: 'steady' }),
      scripts: [{ at: 5 * MIN, device: 2, offline: true, forMs: 3 * MIN }],
    });
    const silent = r.updates.filter((u) => u.device === 'loom-2' && u.ts >= START + 5 * MIN && u.ts < START + 8 * MIN);
    // First the last values, marked stale, the device degraded; then no value at all.
    const stale = silent.findIndex((u) => u.qualities.every((q) => q === 'uncertain'));
    const gone = silent.findIndex((u) => u.qualities.every((q) => q === 'bad'));
    expect(stale).toBeGreaterThanOrEqual(0);
    expect(silent[stale]).toMatchObject({ health: 'degraded', values: [1, 0, expect.any(Number), false, expect.any(Number)] });
    expect(gone).toBeGreaterThan(stale);
    const dead = at(r.updates, 'loom-2', 7 * MIN);
    expect(dead).toMatchObject({ state: null, picks_total: null, health: 'offline' });
    expect(dead.quality).toEqual(['bad', 'bad', 'bad', 'bad', 'bad']);
    // Offline devices are only probed: nothing is published until they answer.
    expect(silent.at(-1)).toBe(silent[gone]);
    expect(silent.every((u) => u.ts <= START + 5 * MIN + 3000)).toBe(true);
    expect(at(r.updates, 'loom-2', 9 * MIN)).toMatchObject({ state: 1, health: 'online' });
    expect(r.health.filter((h) => h.device === 'loom-2').map((h) => [h.from, h.to])).toEqual([['connecting', 'online'], ['online', 'degraded'], ['degraded', 'offline'], ['offline', 'online']]);
    expect(r.handle.health('loom-1')).toBe('online');
  });

  it('show a held tag value while the model goes on, and integrate a held power reading', async () => {
    const clock = createVirtualClock(START);
    const meter: DeviceEntry = { name: 'meter-1', host: '127.0.0.1', unitId: 1, profile: 'chint-dtsu666' };
    const devices = createSimulatedDevices({ clock, profiles, scripts: [{ at: 0, device: 'meter-1', tag: 'p_total', value: 120, forMs: 3_600_000 }] });
    const handle = devices.open({ owner: 'test', devices: [meter], tags: ['p_total', 'ep_import'] });
    const updates: DeviceUpdate[] = [];
    handle.onUpdate((u) => updates.push(u));
    await clock.advance(3_600_000);
    const energy = (u: DeviceUpdate) => u.values[1] as number;
    const hour = updates.filter((u) => u.tags.includes('ep_import') && u.fresh[1]);
    expect(hour.every((u) => u.values[0] === 120)).toBe(true);
    expect(energy(hour.at(-1)!) - energy(hour[0]!)).toBeCloseTo(120, 0);
    await clock.advance(60_000);
    expect(updates.at(-1)!.values[0]).not.toBe(120);
    devices.close();
  });

  it('refuse a tag the profile does not have, at its place in the node config', () => {
    const devices = createSimulatedDevices({ clock: createVirtualClock(START), profiles });
    let error: unknown;
    try {
      devices.open({ owner: 'test', devices: [loom(1)], tags: ['state', 'temperature'], paths: { tags: ['config', 'tags'] } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NodeConfigError);
    expect((error as NodeConfigError).path).toEqual(['config', 'tags', 1]);
    expect((error as NodeConfigError).text.en).toBe('device "loom-1" (profile loom-controller) has no tag "temperature"');
  });

  it('write a writable tag into the registers the machine reads back', async () => {
    const clock = createVirtualClock(START);
    const devices = createSimulatedDevices({ clock, profiles });
    const handle = devices.open({ owner: 'test', devices: [loom(1)], tags: ['target_length'] });
    const updates: DeviceUpdate[] = [];
    handle.onUpdate((u) => updates.push(u));
    await handle.write('loom-1', 'target_length', 150);
    await expect(handle.write('loom-1', 'state', 2)).rejects.toThrow('tag "state" is read-only');
    await clock.advance(20_000);
    expect(updates.at(-1)!.values).toEqual([150]);
    devices.close();
  });
});
