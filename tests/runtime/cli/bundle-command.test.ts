import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../../runtime/bundle/keys';
import { bundleCommand } from '../../../runtime/cli/bundle-command';
import { flowOf } from '../../helpers/flow';

const fixture = (name: string) => new URL(`../../fixtures/uplink/${name}`, import.meta.url).pathname;

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-bundle-'));
  const key = join(dir, 'studio.key');
  writeFileSync(key, generateSigningKeys().privatePem);
  const flow = join(dir, 'energy.json');
  writeFileSync(flow, JSON.stringify(flowOf('energy', [
    { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 1000 } },
    { id: 'up', type: 'mqtt-out', config: { endpoint: 'brain', granularity: '1h' } },
  ], ['tick -> up'])));
  return { dir, key, flow, out: join(dir, 'bundle.json') };
}

describe('kaiwu bundle --uplink', () => {
  it('puts the checked policy, defaults filled in, into the signed bundle', () => {
    const w = workspace();
    const lines: string[] = [];
    const code = bundleCommand(w.flow, { site: 'plant-7', sequence: 1, key: w.key, out: w.out, lang: 'en', uplink: fixture('energy-to-brain.json') }, (l) => lines.push(l));
    expect(code, lines.join('\n')).toBe(0);
    const signed = JSON.parse(readFileSync(w.out, 'utf8'));
    expect(signed.bundle.uplink.streams.map((s: { id: string }) => s.id)).toEqual(['energy', 'oee']);
    expect(signed.bundle.uplink.endpoints[0]).toMatchObject({ id: 'brain', passwordSecret: 'brain-password', queue: { maxMessages: 1_000_000, overflow: 'drop-oldest' } });
  });

  it('refuses a policy with mistakes, naming the file and the place of each', () => {
    const w = workspace();
    const lines: string[] = [];
    expect(bundleCommand(w.flow, { site: 'plant-7', sequence: 1, key: w.key, out: w.out, lang: 'en', uplink: fixture('stream-to-nowhere.json') }, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain(`${fixture('stream-to-nowhere.json')}: error streams[0].granularity: Invalid option: expected one of "raw"|"1m"|"1h"|"kpi"`);
    expect(lines.at(-1)).toBe('the uplink policy has errors: no bundle made');
  });
});
