import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../../runtime/cli/probe-command';
import { simulateCommand } from '../../../runtime/cli/simulate-command';
import type { Simulator } from '../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../runtime/devices/simulator/simulator';
import { until } from './helpers';

function capture() {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), text: () => lines.join('\n') };
}

describe('commissioning commands', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ devices: [{ profile: 'chint-dtsu666' }, { profile: 'loom-controller' }], realtime: false, seed: 11 });
    sim.advance(60);
  });
  afterAll(() => sim.close());

  it('probe prints the raw registers and every reading, and ranks them against an expectation', async () => {
    const meter = sim.device('chint-dtsu666-1');
    const c = capture();
    const code = await probeCommand({ lang: 'en', host: meter.host, port: String(meter.port), unit: '1', address: '0x2006', count: '2', expect: 'voltage≈230' }, c.out);
    expect(code).toBe(0);
    const text = c.text();
    expect(text).toContain(`tcp://127.0.0.1:${meter.port} unit 1, holding registers`);
    expect(text).toMatch(/8198 ←\s+0x45/);
    expect(text).toMatch(/float32\s+CDAB/);
    expect(text).toContain('likeliest readings (expected voltage 218.5 … 241.5):');
    expect(c.lines.find((l) => l.trim().startsWith('1 '))).toMatch(/^\s+1\s+2\d\d\.\d+\s+float32\s+ABCD\s+8198\s+0\.1$/);
    expect(text).toContain('{"key":"voltage","area":"holding","address":8198,"type":"float32","scale":0.1}');
  });

  it('probe says so when nothing matches, and exits 1', async () => {
    const meter = sim.device('chint-dtsu666-1');
    const c = capture();
    expect(await probeCommand({ lang: 'zh', host: meter.host, port: String(meter.port), address: '0', expect: '≈-5000' }, c.out)).toBe(1);
    expect(c.text()).toContain('没有读法落在期望范围');
  });

  it('probe --profile verifies every tag: pass on the right device, fail on the wrong one', async () => {
    const meter = sim.device('chint-dtsu666-1');
    const ok = capture();
    expect(await probeCommand({ lang: 'en', profile: 'chint-dtsu666', name: 'meter-1', host: meter.host, port: String(meter.port), unit: '1' }, ok.out)).toBe(0);
    expect(ok.text()).toContain('passed: all 27 tags read good and within their plausible range.');
    expect(ok.text()).toMatch(/u_a\s+Phase A voltage \(Ua\)\s+2\d\d\.\d+ V\s+good\s+✓ 150…280\s+[0-9a-f]{4} [0-9a-f]{4}/);
    const wrong = capture();
    expect(await probeCommand({ lang: 'en', profile: 'loom-controller', host: meter.host, port: String(meter.port) }, wrong.out)).toBe(1);
    expect(wrong.text()).toMatch(/failed: of 16 tags, \d+ did not read good and \d+ are outside their plausible range\./);
    const json = capture();
    expect(await probeCommand({ lang: 'en', profile: 'chint-dtsu666', host: meter.host, port: String(meter.port), json: true }, json.out)).toBe(0);
    const report = JSON.parse(json.text()) as { ok: boolean; tags: { key: string; quality: string }[]; requests: number };
    expect(report.ok).toBe(true);
    expect(report.requests).toBe(3);
  });

  it('probe reports a device that does not answer, and bad arguments', async () => {
    const loom = sim.device('loom-controller-1');
    loom.setFault({ kind: 'silent' });
    const c = capture();
    expect(await probeCommand({ lang: 'en', host: loom.host, port: String(loom.port), address: '0', timeout: '100' }, c.out)).toBe(1);
    expect(c.text()).toContain('no answer within 100 ms');
    loom.setFault({ kind: 'none' });
    const bad = capture();
    expect(await probeCommand({ lang: 'en', host: loom.host, address: '70000' }, bad.out)).toBe(2);
    expect(bad.text()).toBe('kaiwu probe: --address must be an integer from 0 to 65535, got "70000"');
    const none = capture();
    expect(await probeCommand({ lang: 'zh', address: '1' }, none.out)).toBe(2);
    expect(none.text()).toBe('kaiwu probe: 请给出 --host（Modbus TCP）或 --serial（RTU）');
    const unknown = capture();
    expect(await probeCommand({ lang: 'en', profile: 'dtsu666', host: loom.host }, unknown.out)).toBe(2);
    expect(unknown.text()).toMatch(/no device profile "dtsu666" \(neither a library id nor a file\)/);
  });

  it('simulate serves a settings file\'s devices until --for runs out, deterministic by seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaiwu-sim-'));
    writeFileSync(join(dir, 'simulator.json'), JSON.stringify({ schemaVersion: 1, seed: 5, devices: [{ profile: 'loom-controller', count: 3, name: 'loom' }, { profile: 'chint-dtsu666' }] }));
    const c = capture();
    const done = simulateCommand({ lang: 'en', target: dir, portBase: '0', for: '2' }, c.out);
    await until('the device list', () => c.lines.length >= 7);
    expect(c.lines[0]).toBe('simulating 4 device(s) (Modbus TCP, seed 5):');
    expect(c.text()).toMatch(/loom-1\s+127\.0\.0\.1:\d+\s+1\s+loom-controller/);
    expect(c.text()).toMatch(/chint-dtsu666-1\s+127\.0\.0\.1:\d+\s+1\s+chint-dtsu666/);
    const port = /loom-2\s+127\.0\.0\.1:(\d+)/.exec(c.text())![1]!;
    const v = capture();
    expect(await probeCommand({ lang: 'en', profile: 'loom-controller', host: '127.0.0.1', port }, v.out)).toBe(0);
    expect(await done).toBe(0);
    expect(c.lines.at(-1)).toBe('simulation stopped.');
    const bad = capture();
    expect(await simulateCommand({ lang: 'en', target: 'no-such-profile' }, bad.out)).toBe(2);
  });

  it('the same seed gives the same machines', async () => {
    const a = await startSimulator({ devices: [{ profile: 'imm-controller', count: 2 }], realtime: false, seed: 42 });
    const b = await startSimulator({ devices: [{ profile: 'imm-controller', count: 2 }], realtime: false, seed: 42 });
    const c = await startSimulator({ devices: [{ profile: 'imm-controller', count: 2 }], realtime: false, seed: 43 });
    for (const s of [a, b, c]) s.advance(900);
    const regs = (s: Simulator, i: number) => Array.from(s.devices[i]!.unit.bank.holding.subarray(0, 48));
    expect(regs(a, 0)).toEqual(regs(b, 0));
    expect(regs(a, 1)).toEqual(regs(b, 1));
    expect(regs(a, 0)).not.toEqual(regs(a, 1));
    expect(regs(a, 0)).not.toEqual(regs(c, 0));
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});
