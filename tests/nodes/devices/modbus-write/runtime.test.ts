import { afterEach, describe, expect, it } from 'vitest';
import { modbusWrite } from '../../../../nodes/devices/modbus-write/runtime';
import { createRegistry } from '../../../../nodes/registry';
import type { SiteEvent } from '../../../../nodes/sdk';
import { createEngine } from '../../../../runtime/engine/engine';
import type { Engine } from '../../../../runtime/engine/engine';
import type { DeviceManager } from '../../../../runtime/devices/manager';
import { createDeviceManager } from '../../../../runtime/devices/manager';
import { loadProfileCatalog } from '../../../../runtime/devices/profile-catalog';
import type { Simulator } from '../../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../../runtime/devices/simulator/simulator';
import { validateFlow } from '../../../../runtime/model';
import { createCollector } from '../../../helpers/collector-node';
import { flowOf } from '../../../helpers/flow';
import { until } from '../../../runtime/devices/helpers';

const catalog = loadProfileCatalog();

describe('modbus-write', () => {
  let sim: Simulator;
  let manager: DeviceManager;
  let engine: Engine | undefined;
  const events: SiteEvent[] = [];
  const collect = createCollector();
  const registry = createRegistry([modbusWrite, collect.type]);

  async function deploy(config: Record<string, unknown>) {
    sim = await startSimulator({ devices: [{ profile: 'imm-controller', count: 2 }], catalog, realtime: false });
    manager = createDeviceManager({ profiles: catalog, events: { append: (e) => events.push(e) }, settings: { lingerMs: 0 } });
    manager.start();
    collect.received.length = 0;
    events.length = 0;
    engine = createEngine({ registry, services: { devices: manager } });
    await engine.deploy(flowOf('f', [
      { id: 'write', type: 'modbus-write', config: { devices: sim.devices.map((d) => d.entry()), ...config } },
      { id: 'sink', type: 'collect' },
    ], ['write:out -> sink:in', 'write:error -> sink:in2']));
  }
  const ok = () => collect.received.filter((r) => r.port === 'in').map((r) => r.msg);
  const errors = () => collect.received.filter((r) => r.port === 'in2').map((r) => r.msg);

  afterEach(async () => {
    await engine?.stop();
    await manager?.stop();
    await sim?.close();
    engine = undefined;
  });

  it('writes a value to the configured tag of the message\'s device and says what it wrote', async () => {
    await deploy({ tag: 'barrel_sp2' });
    engine!.inject('f', 'write', { device: 'imm-controller-2', payload: 231.5 });
    await until('the write', () => ok().length === 1);
    expect(ok()[0]).toMatchObject({ topic: 'imm-controller-2/barrel_sp2', device: 'imm-controller-2', payload: { tag: 'barrel_sp2', value: 231.5, raw: [2315] } });
    expect(sim.device('imm-controller-2').unit.bank.holding[21]).toBe(2315);
    expect(sim.device('imm-controller-1').unit.bank.holding[21]).toBe(2250);
    expect(events.filter((e) => e.kind === 'device-write').map((e) => [e.source, e.data?.device, e.data?.ok])).toEqual([['f/write', 'imm-controller-2', true]]);
  });

  it('writes several tags from an object payload, and refuses what the profile forbids', async () => {
    await deploy({ device: 'imm-controller-1' });
    engine!.inject('f', 'write', { payload: { cooling_time: 15.5, heaters_on: false, barrel_sp1: 999 } });
    await until('two writes and one refusal', () => ok().length === 2 && errors().length === 1);
    expect(ok().map((m) => (m.payload as { tag: string }).tag)).toEqual(['cooling_time', 'heaters_on']);
    expect(sim.device('imm-controller-1').unit.bank.holding[9]).toBe(155);
    expect(sim.device('imm-controller-1').unit.bank.coils[0]).toBe(0);
    const stats = engine!.stats().find((s) => s.nodeId === 'write')!;
    expect(stats.lastError?.text).toEqual({ zh: '999 °C 超出点位 “barrel_sp1” 的允许范围 0 … 400 °C', en: '999 °C is outside the range of tag "barrel_sp1" (0 … 400 °C)' });
    engine!.inject('f', 'write', { payload: { shot_count: 1 } });
    await until('refused: read-only', () => errors().length === 2);
    engine!.inject('f', 'write', { payload: 5, quality: 'bad' });
    await until('refused: bad quality', () => errors().length === 3);
    expect(ok()).toHaveLength(2);
  });

  it('rejects a configured device that is not in the group, at validation', () => {
    const result = validateFlow(flowOf('f', [{ id: 'w', type: 'modbus-write', config: { devices: [{ name: 'a', host: 'h', unitId: 1, profile: 'imm-controller' }], device: 'b' } }]), registry);
    expect(result.problems.map((p) => [p.at, p.message.en])).toEqual([['nodes[0].config.device', 'device "b" is not in the device group (a)']]);
  });
});
