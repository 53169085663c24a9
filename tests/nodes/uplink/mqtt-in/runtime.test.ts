import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { shapeCommand } from '../../../../nodes/uplink/mqtt-in/runtime';
import type { Simulator } from '../../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../../runtime/devices/simulator/simulator';
import { flowOf } from '../../../helpers/flow';
import { startMosquitto } from '../../../helpers/mosquitto';
import { startTestSite } from '../../../helpers/site';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('shapeCommand', () => {
  it('turns { device, tag, value } and { device, set } into the payload Modbus write takes', () => {
    expect(shapeCommand({ topic: 'kaiwu/p/cmd/imm-1', payload: { tag: 'barrel_sp2', value: 231.5 } })).toEqual({ device: 'imm-1', payload: { barrel_sp2: 231.5 } });
    expect(shapeCommand({ topic: 'kaiwu/p/cmd', payload: { device: 'imm-2', set: { cooling_time: 15, heaters_on: false } } })).toEqual({ device: 'imm-2', payload: { cooling_time: 15, heaters_on: false } });
    expect(shapeCommand({ topic: 'kaiwu/p/cmd/imm-3', payload: 'stop' })).toEqual({ device: 'imm-3', payload: 'stop' });
  });
});

describe('mqtt-in with a real broker and a simulated machine', () => {
  let sim: Simulator;

  async function setup(commandTopic: string) {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    sim = await startSimulator({ devices: [{ profile: 'imm-controller', count: 1 }], realtime: false });
    cleanups.push(() => sim.close());
    const site = await startTestSite();
    cleanups.push(() => site.close());
    const platform = mqtt.connect(broker.url, { clientId: 'platform', clean: true });
    await new Promise<void>((resolve) => platform.once('connect', () => resolve()));
    cleanups.push(() => platform.endAsync(true));
    const flow = flowOf('commands', [
      { id: 'cmd', type: 'mqtt-in', config: { endpoint: 'cloud', topic: commandTopic } },
      { id: 'write', type: 'modbus-write', config: { devices: sim.devices.map((d) => d.entry()) } },
    ], ['cmd -> write']);
    const policy = { endpoints: [{ id: 'cloud', kind: 'mqtt', url: broker.url, commands: ['kaiwu/test-site/cmd/#'] }], streams: [] };
    const deployed = await site.api('POST', '/api/deployments', site.signer.sign([flow], 1, { uplink: policy }));
    return { site, platform, deployed };
  }

  it('writes a setpoint the platform sends, refuses one outside the profile\'s range, and records both', async () => {
    const { site, platform, deployed } = await setup('kaiwu/test-site/cmd/#');
    expect(deployed.status).toBe(201);
    const holding = () => sim.device('imm-controller-1').unit.bank.holding;
    // Until the site has subscribed, a command finds no one: repeat it (the write is idempotent).
    for (let i = 0; holding()[21] !== 2315; i++) {
      if (i > 100) throw new Error('the setpoint was never written');
      await platform.publishAsync('kaiwu/test-site/cmd/imm-controller-1', JSON.stringify({ tag: 'barrel_sp2', value: 231.5 }), { qos: 1 });
      await sleep(100);
    }
    await platform.publishAsync('kaiwu/test-site/cmd', JSON.stringify({ device: 'imm-controller-1', set: { barrel_sp1: 999 } }), { qos: 1 });
    await platform.publishAsync('kaiwu/test-site/other/imm-controller-1', JSON.stringify({ tag: 'barrel_sp1', value: 100 }), { qos: 1 });
    let writes: { data?: Record<string, unknown> }[] = [];
    for (let i = 0; i < 100 && !writes.some((w) => w.data?.ok === false); i++) {
      await sleep(50);
      writes = site.store.listEvents({ kind: 'device-write' });
    }
    const refused = writes.find((w) => w.data?.ok === false);
    expect(refused?.data).toMatchObject({ device: 'imm-controller-1', tag: 'barrel_sp1', ok: false });
    expect(holding()[20]).not.toBe(9990);
    expect(holding()[20]).not.toBe(1000);
    const received = site.store.listEvents({ kind: 'uplink-command' });
    expect(received.map((e) => e.data?.topic)).toContain('kaiwu/test-site/cmd');
    expect(received.map((e) => e.data?.topic)).not.toContain('kaiwu/test-site/other/imm-controller-1');
    expect(received.find((e) => e.data?.topic === 'kaiwu/test-site/cmd')?.data?.payload).toEqual({ device: 'imm-controller-1', set: { barrel_sp1: 999 } });
    const stats = (await site.api('GET', '/api/status')).body.nodes.find((n: { nodeId: string }) => n.nodeId === 'write');
    expect(stats.lastError.message).toContain('outside the range of tag "barrel_sp1"');
  });

  it('refuses at deploy a command topic the policy does not allow, saying where', async () => {
    const { deployed } = await setup('kaiwu/+/admin/#');
    expect(deployed.status).toBe(422);
    expect(deployed.body.error.details[0]).toMatchObject({ code: 'command-not-allowed', at: 'bundle.flows[0].nodes[0].config.topic' });
  });
});
