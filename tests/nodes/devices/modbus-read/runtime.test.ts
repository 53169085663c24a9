import { afterEach, describe, expect, it } from 'vitest';
import { modbusRead } from '../../../../nodes/devices/modbus-read/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { defineNode, port, z } from '../../../../nodes/sdk';
import type { Message } from '../../../../nodes/sdk';
import type { ModbusReadInspect } from '../../../../nodes/devices/modbus-read/runtime';
import { EngineDeployError, createEngine } from '../../../../runtime/engine/engine';
import type { Engine } from '../../../../runtime/engine/engine';
import type { DeviceManager } from '../../../../runtime/devices/manager';
import { createDeviceManager } from '../../../../runtime/devices/manager';
import { catalogOf } from '../../../../runtime/devices/profile-catalog';
import type { Simulator } from '../../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../../runtime/devices/simulator/simulator';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';
import { KNOWN_VALUES, knownProfile, until } from '../../../runtime/devices/helpers';

const catalog = catalogOf([knownProfile('known', 20)]);

describe('modbus-read', () => {
  let sim: Simulator;
  let manager: DeviceManager;
  let engine: Engine | undefined;
  const collect = createCollector();
  const registry = createRegistry([modbusRead, collect.type]);

  async function deploy(config: Record<string, unknown>, devices = 1) {
    sim = await startSimulator({ devices: [{ profile: knownProfile('known', 20) as never, count: devices }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog, settings: { lingerMs: 0 } });
    manager.start();
    collect.received.length = 0;
    engine = createEngine({ registry, services: { devices: manager } });
    await engine.deploy(flowOf('f', [
      { id: 'read', type: 'modbus-read', config: { devices: sim.devices.map((d) => d.entry()), ...config } },
      { id: 'sink', type: 'collect' },
    ], ['read:out -> sink:in', 'read:health -> sink:in2']));
  }
  const data = () => collect.received.filter((r) => r.port === 'in').map((r) => r.msg);
  const health = () => collect.received.filter((r) => r.port === 'in2').map((r) => r.msg);
  const setA1 = (v: number) => {
    sim.devices[0]!.unit.bank.holding[0] = v;
  };

  afterEach(async () => {
    await engine?.stop();
    await manager?.stop();
    await sim?.close();
    engine = undefined;
  });

  it('sends one snapshot per device when something changes, with the device and its quality', async () => {
    await deploy({ tags: ['a1', 'a3', 'b4'] }, 2);
    await until('a snapshot of each device', () => new Set(data().map((m) => m.device)).size === 2);
    const first = data().find((m) => m.device === 'known-1')!;
    expect(first).toMatchObject({ topic: 'known-1', device: 'known-1', quality: 'good', payload: { a1: 1111, a3: 12.5, b4: 654321 } });
    // Many polls of unchanged values: nothing more.
    const polls = manager.status()[0]!.stats.rounds;
    await until('ten more polls', () => manager.status()[0]!.stats.rounds > polls + 10);
    expect(data()).toHaveLength(2);
    setA1(1200);
    await until('the change', () => data().length === 3);
    expect(data()[2]).toMatchObject({ device: 'known-1', payload: { a1: 1200, a3: 12.5, b4: 654321 } });
  });

  it('honours the deadband against the last reported value, so slow drift is reported once it adds up', async () => {
    await deploy({ tags: ['a1'], deadband: 5 });
    await until('the first snapshot', () => data().length === 1);
    const settle = async () => {
      const r = manager.status()[0]!.stats.rounds;
      await until('a few polls', () => manager.status()[0]!.stats.rounds > r + 3);
    };
    setA1(1114);
    await settle();
    setA1(1116);
    await settle();
    expect(data()).toHaveLength(1);
    setA1(1117);
    await until('drift beyond the deadband', () => data().length === 2);
    expect(data()[1]!.payload).toEqual({ a1: 1117 });
  });

  it('sends one message per changed tag in per-tag mode, and every poll in every-poll mode', async () => {
    await deploy({ output: 'per-tag', tags: ['a1', 'a2'] });
    await until('both tags', () => data().length === 2);
    expect(data().map((m) => [m.topic, m.payload, m.quality])).toEqual([['known-1/a1', 1111, 'good'], ['known-1/a2', -222, 'good']]);
    setA1(7);
    await until('the changed tag only', () => data().length === 3);
    expect(data()[2]).toMatchObject({ topic: 'known-1/a1', device: 'known-1', payload: 7 });
    await engine!.stop();
    await manager.stop();
    await sim.close();

    await deploy({ report: 'every-poll' });
    await until('ten snapshots', () => data().length >= 10);
    expect(new Set(data().map((m) => JSON.stringify(m.payload))).size).toBe(1);
    expect(data()[0]!.payload).toEqual(KNOWN_VALUES);
  });

  it('reports a device that stops answering: health, then bad quality with no value; and its return', async () => {
    await deploy({ output: 'per-tag', tags: ['a1'] });
    await until('a value', () => data().length === 1);
    sim.devices[0]!.setFault({ kind: 'silent' });
    await until('the value gone bad', () => data().some((m) => m.quality === 'bad'));
    const bad = data().find((m) => m.quality === 'bad')!;
    expect(bad.payload).toBeNull();
    expect(health().map((m) => (m.payload as { health: string }).health)).toEqual(expect.arrayContaining(['degraded', 'offline']));
    expect(engine!.stats().find((s) => s.nodeId === 'read')!.state).toBe('warning');
    sim.devices[0]!.setFault({ kind: 'none' });
    await until('good again', () => data().at(-1)!.quality === 'good');
    expect(data().at(-1)!.payload).toBe(1111);
    expect((health().at(-1)!.payload as { health: string }).health).toBe('online');
  }, 60_000);

  it('fails the deploy with the path of an unknown profile or tag', async () => {
    sim = await startSimulator({ devices: [{ profile: knownProfile('known', 20) as never }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog });
    engine = createEngine({ registry, services: { devices: manager } });
    const entry = sim.devices[0]!.entry();
    const err = await engine.deploy(flowOf('f', [{ id: 'read', type: 'modbus-read', config: { devices: [{ ...entry, profile: 'knwon' }], tags: ['a1'] } }])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineDeployError);
    expect((err as EngineDeployError).problems.map((p) => [p.at, p.message.en])).toEqual([['nodes[0].config.devices[0].profile', 'no device profile "knwon"; known: known']]);
    const engine2 = createEngine({ registry, services: { devices: manager } });
    const err2 = await engine2.deploy(flowOf('f', [{ id: 'read', type: 'modbus-read', config: { devices: [entry], tags: ['a1', 'zz'] } }])).catch((e: unknown) => e);
    expect((err2 as EngineDeployError).problems.map((p) => p.at)).toEqual(['nodes[0].config.tags[1]']);
    const err3 = await createEngine({ registry, services: { devices: manager } }).deploy(flowOf('f', [{ id: 'read', type: 'modbus-read', config: { devices: [entry, entry] } }])).catch((e: unknown) => e);
    expect((err3 as EngineDeployError).problems.map((p) => [p.at, p.message.en])).toEqual([['nodes[0].config.devices[1].name', 'duplicate device name "known-1" (already used by [0])']]);
    expect(manager.status()).toEqual([]);
  });

  it('needs the devices service', async () => {
    engine = createEngine({ registry });
    const err = await engine.deploy(flowOf('f', [{ id: 'read', type: 'modbus-read', config: { devices: [{ name: 'm', host: '127.0.0.1', unitId: 1, profile: 'x' }] } }])).catch((e: unknown) => e);
    expect((err as EngineDeployError).message).toContain('needs the "devices" service');
  });

  it('coalesces updates while downstream is full instead of queueing them, then sends the latest', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: Message[] = [];
    const slow = defineNode({
      type: 'slow', version: 1, category: 'debug', icon: 's', title: { zh: '慢', en: 'slow' }, summary: { zh: '慢', en: 'slow' },
      inputs: [port('in', '入', 'in')], outputs: [], config: z.object({}), queue: { capacity: 2 },
    }, () => ({
      async onMessage(m) {
        got.push(m);
        await gate;
      },
    }));
    sim = await startSimulator({ devices: [{ profile: knownProfile('known', 20) as never }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog, settings: { lingerMs: 0 } });
    manager.start();
    engine = createEngine({ registry: createRegistry([modbusRead, slow]), services: { devices: manager } });
    await engine.deploy(flowOf('f', [
      { id: 'read', type: 'modbus-read', config: { devices: [sim.devices[0]!.entry()], report: 'every-poll', tags: ['a1'] } },
      { id: 'sink', type: 'slow' },
    ], ['read -> sink']));
    const inspect = () => engine!.inspect('f', 'read') as ModbusReadInspect;
    await until('polls coalesced while the sink is stuck', () => inspect().coalesced > 20);
    const queued = engine.stats().find((s) => s.nodeId === 'sink')!.queued;
    expect(queued).toBeLessThanOrEqual(3);
    setA1(4321);
    const r = manager.status()[0]!.stats.rounds;
    await until('the new value polled', () => manager.status()[0]!.stats.rounds > r + 2);
    release();
    await until('the latest value delivered', () => got.some((m) => (m.payload as { a1: number }).a1 === 4321));
    expect(got.length).toBeLessThan(inspect().coalesced);
  });
});
