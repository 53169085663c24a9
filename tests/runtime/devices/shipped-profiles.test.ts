import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDevice } from '../../../runtime/devices/compile';
import { loadProfileCatalog, shippedProfilesDir } from '../../../runtime/devices/profile-catalog';
import { readDeviceOnce } from '../../../runtime/devices/read-once';
import type { Simulator } from '../../../runtime/devices/simulator/simulator';
import { startSimulator } from '../../../runtime/devices/simulator/simulator';

const catalog = loadProfileCatalog();
const EXPECTED = ['chint-dtsu666', 'cnc-focas-gateway', 'delta-dtb4848', 'imm-controller', 'loom-controller', 'pressure-test-bench'];

describe('shipped device profiles', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ devices: EXPECTED.map((profile) => ({ profile })), seed: 7, realtime: false, catalog });
    sim.advance(120);
  });
  afterAll(() => sim.close());

  it('all load and validate', () => {
    expect(catalog.rejected).toEqual([]);
    expect(catalog.ids()).toEqual(EXPECTED);
  });

  it('each names its source, and the README cites each', () => {
    const readme = readFileSync(`${shippedProfilesDir()}/README.md`, 'utf8');
    for (const id of EXPECTED) {
      const p = catalog.get(id)!.profile;
      expect(p.reference, id).toBeTruthy();
      expect(readme, id).toContain(`\`${id}\``);
    }
  });

  it('need fewer requests than one read per tag', () => {
    for (const id of EXPECTED) {
      const d = compileDevice({ name: 'x', host: '127.0.0.1', unitId: 1, profile: id }, catalog);
      const requests = d.groups.reduce((n, g) => n + g.blocks.length, 0);
      expect(requests, id).toBeLessThan(d.tags.length);
    }
  });

  it.each(EXPECTED)('%s: a simulated device reads good and within every plausible range', async (id) => {
    const device = sim.device(`${id}-1`);
    const reading = await readDeviceOnce(device.entry(), catalog, { timeoutMs: 2000 });
    const problems = reading.tags.filter((t) => t.quality !== 'good' || t.range === 'below' || t.range === 'above');
    expect(problems).toEqual([]);
    expect(reading.tags).toHaveLength(catalog.get(id)!.profile.tags.length);
  });
});
