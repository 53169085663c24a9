import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceUpdate } from '../../../nodes/sdk';
import type { DeviceManager } from '../../../runtime/devices/manager';
import { createDeviceManager } from '../../../runtime/devices/manager';
import { catalogOf } from '../../../runtime/devices/profile-catalog';
import type { Simulator } from '../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../runtime/devices/simulator/simulator';
import type { DeviceEntry, DeviceProfileInput } from '../../../runtime/model/device-profile';
import { KNOWN_VALUES, knownProfile, until, watchUnhandled } from './helpers';
import { openPty } from './socat';

/** One block of ten registers: one request per device per round. */
function oneBlock(intervalMs: number): DeviceProfileInput {
  const p = knownProfile('one-block', intervalMs);
  return { ...p, tags: p.tags.filter((t) => t.key.startsWith('a')), simulation: { tags: Object.fromEntries(Object.entries(p.simulation!.tags!).filter(([k]) => k.startsWith('a'))) } };
}

describe('RTU on a serial line (socat pseudo-terminal)', () => {
  let sim: Simulator | undefined;
  let manager: DeviceManager | undefined;
  let pty: { close(): Promise<void> } | undefined;
  afterEach(async () => {
    await manager?.stop();
    await pty?.close();
    await sim?.close();
    manager = undefined;
    pty = undefined;
    sim = undefined;
  });

  async function line(profile: DeviceProfileInput, count: number) {
    const catalog = catalogOf([profile]);
    sim = await startSimulator({ devices: [{ profile: profile as never, count }], framing: 'rtu', gateway: true, catalog, realtime: false });
    const p = await openPty(sim.servers[0]!.port);
    pty = p;
    const entries: DeviceEntry[] = sim.devices.map((d) => ({ name: d.name, serial: { path: p.path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, unitId: d.unitId, profile: profile.id, timeoutMs: 60 }));
    return { catalog, entries };
  }

  it('reads devices through modbus-serial\'s RTU port on a real pty', async () => {
    const { catalog, entries } = await line(knownProfile('known', 100), 2);
    manager = createDeviceManager({ profiles: catalog });
    manager.start();
    const handle = manager.open({ owner: 'test', devices: entries });
    const updates: DeviceUpdate[] = [];
    handle.onUpdate((u) => updates.push(u));
    for (const e of entries) await until(`good values from ${e.name}`, () => updates.some((u) => u.device === e.name && u.qualities.every((q) => q === 'good')));
    const u = updates.findLast((x) => x.device === entries[1]!.name)!;
    expect(Object.fromEntries(u.tags.map((t, i) => [t, u.values[i]]))).toEqual(KNOWN_VALUES);
    handle.close();
  });

  it('never takes a late answer for the answer to the next request', async () => {
    const unhandled = watchUnhandled();
    // Two blocks of the same shape: a late answer to the first would fit the second exactly.
    const { catalog, entries } = await line(knownProfile('known', 50), 1);
    manager = createDeviceManager({ profiles: catalog, settings: { drainQuietMs: 20, probe: { initialMs: 50, maxMs: 200, factor: 2 }, lingerMs: 0 } });
    manager.start();
    const handle = manager.open({ owner: 'test', devices: entries });
    const updates: DeviceUpdate[] = [];
    const wrong: string[] = [];
    handle.onUpdate((u) => {
      updates.push(u);
      u.tags.forEach((tag, i) => {
        if (u.values[i] !== null && u.values[i] !== KNOWN_VALUES[tag]) wrong.push(`${tag} = ${u.values[i]}`);
      });
    });
    await until('a good round', () => updates.some((u) => u.qualities.every((q) => q === 'good')));
    // Late answers carry 0xDEAD in every register: one taken for a newer request would show.
    const unit = sim!.devices[0]!.unit;
    unit.fault = { kind: 'late', delayMs: 90, poison: 0xdead };
    const from = updates.length;
    const answered = unit.answered;
    await until('every value bad', () => wrong.length > 0 || updates.slice(from).some((u) => u.qualities.every((q) => q === 'bad')));
    await until('three late answers on the line', () => wrong.length > 0 || unit.answered >= answered + 3);
    expect(wrong).toEqual([]);
    sim!.devices[0]!.setFault({ kind: 'none' });
    const cleared = updates.length;
    await until('good values again', () => updates.slice(cleared).some((u) => u.qualities.every((q) => q === 'good')), 30_000);
    expect(wrong).toEqual([]);
    unhandled.stop();
    expect(unhandled.errors).toEqual([]);
    handle.close();
  });

  it('one dead device among ten: the other nine keep at least 90 % of their poll rounds', async () => {
    const { catalog, entries } = await line(oneBlock(150), 10);
    manager = createDeviceManager({ profiles: catalog, settings: { drainQuietMs: 20 } });
    manager.start();
    const dead = sim!.devices[4]!;
    dead.setFault({ kind: 'silent' });
    const handle = manager.open({ owner: 'test', devices: entries });
    // Counted, not timed: rounds done against rounds due (a round due while the previous one
    // still waits for the line is skipped). Wait until every healthy device had 40 rounds due.
    const healthy = () => manager!.status().filter((s) => s.name !== dead.name);
    await until('40 rounds due for each healthy device', () => healthy().every((s) => s.stats.rounds + s.stats.skipped >= 40), 60_000);
    for (const s of healthy()) {
      const share = s.stats.rounds / (s.stats.rounds + s.stats.skipped);
      expect(share, `${s.name}: ${s.stats.rounds} rounds, ${s.stats.skipped} skipped`).toBeGreaterThanOrEqual(0.9);
      expect(s.health).toBe('online');
    }
    const d = manager.status().find((s) => s.name === dead.name)!;
    expect(d.health).toBe('offline');
    expect(d.probing).toBe(true);
    // And it comes back when it answers again.
    dead.setFault({ kind: 'none' });
    await until('the dead device back online', () => manager!.status().find((s) => s.name === dead.name)!.health === 'online', 90_000);
    handle.close();
  });
});
