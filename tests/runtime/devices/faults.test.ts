import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceUpdate } from '../../../nodes/sdk';
import type { DeviceManager } from '../../../runtime/devices/manager';
import { createDeviceManager } from '../../../runtime/devices/manager';
import { catalogOf } from '../../../runtime/devices/profile-catalog';
import type { Fault } from '../../../runtime/devices/simulator/responder';
import { MALFORMED_FORMS } from '../../../runtime/devices/simulator/responder';
import type { Simulator } from '../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../runtime/devices/simulator/simulator';
import { KNOWN_VALUES, knownProfile, until, watchUnhandled } from './helpers';

const catalog = catalogOf([knownProfile()]);
const FAST = {
  reconnect: { initialMs: 20, maxMs: 200, factor: 2 },
  probe: { initialMs: 20, maxMs: 200, factor: 2 },
  drainQuietMs: 10,
  // Late answers here come 90 ms after the 60 ms timeout; the guard outlasts them.
  lateGuardMs: 250,
  lingerMs: 0,
};

const FAULTS: { name: string; fault: Fault }[] = [
  { name: 'stops answering', fault: { kind: 'silent' } },
  { name: 'answers late', fault: { kind: 'late', delayMs: 150, poison: 0xdead } },
  { name: 'closes the connection', fault: { kind: 'close' } },
  { name: 'answers with an exception code', fault: { kind: 'exception', code: 4 } },
  ...MALFORMED_FORMS.map((form) => ({ name: `sends a malformed frame (${form})`, fault: { kind: 'malformed', form } as Fault })),
];

describe.each(['tcp', 'rtu'] as const)('a device that misbehaves (%s framing)', (framing) => {
  let sim: Simulator | undefined;
  let manager: DeviceManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    await sim?.close();
  });

  it.each(FAULTS)('$name: no crash, quality goes bad, never a wrong value, and it recovers', async ({ fault }) => {
    const unhandled = watchUnhandled();
    sim = await startSimulator({ devices: [{ profile: knownProfile() as never }], framing, catalog, realtime: false });
    const device = sim.devices[0]!;
    manager = createDeviceManager({ profiles: catalog, settings: FAST });
    manager.start();
    const handle = manager.open({ owner: 'test', devices: [device.entry({ timeoutMs: 60 })] });
    const updates: DeviceUpdate[] = [];
    handle.onUpdate((u) => updates.push(u));
    const allGood = (from: number) => updates.slice(from).some((u) => u.qualities.every((q) => q === 'good'));

    await until('a first good round', () => allGood(0));
    device.setFault(fault);
    const faultAt = updates.length;
    await until('every value bad', () => updates.slice(faultAt).some((u) => u.qualities.every((q) => q === 'bad')));
    expect(['degraded', 'offline']).toContain(handle.health(device.name));
    device.setFault({ kind: 'none' });
    const clearedAt = updates.length;
    await until('good values again', () => allGood(clearedAt), 30_000);
    expect(handle.health(device.name)).not.toBe('offline');

    // Whatever happened in between, every value given was the device's value, or none.
    for (const u of updates) {
      u.tags.forEach((tag, i) => {
        if (u.values[i] === null) expect(u.qualities[i]).toBe('bad');
        else expect(u.values[i], `${tag} in an update while "${fault.kind}"`).toBe(KNOWN_VALUES[tag]);
      });
    }
    handle.close();
    unhandled.stop();
    expect(unhandled.errors).toEqual([]);
  });
});
