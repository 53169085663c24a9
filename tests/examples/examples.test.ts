import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../nodes/registry';
import { catalogOf, loadProfileCatalog } from '../../runtime/devices/profile-catalog';
import { SimulationSettingsSchema } from '../../runtime/devices/simulator/sim-settings';
import { createVirtualClock } from '../../runtime/engine/clock';
import type { Engine, EngineEvent } from '../../runtime/engine/engine';
import { createEngine } from '../../runtime/engine/engine';
import { loadTemplateLibrary } from '../../runtime/library/template-library';
import type { AlarmRecord } from '../../nodes/sdk';
import type { ProfileLookup } from '../../runtime/model';
import { InstanceSchema, applyUpgrade, planUpgrade, resolveInstance, validateFlow } from '../../runtime/model';
import { createSimulatedDevices } from '../../runtime/scenario';
import type { Store } from '../../runtime/store';
import { createStore } from '../../runtime/store';

const root = new URL('../../examples/', import.meta.url);
const examples = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
/** Sample firms are instances of a template; the other examples are flows. */
const isFirm = (name: string) => existsSync(new URL(`${name}/instance.json`, root));

const engines: Engine[] = [];
const stores: { store: Store; dir: string }[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  for (const { store, dir } of stores.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const registry = createNodeRegistry();
const profileCatalog = loadProfileCatalog();
const profiles: ProfileLookup = (id) => profileCatalog.get(id)?.profile;
const library = loadTemplateLibrary(fileURLToPath(new URL('../../templates/', import.meta.url)), registry, profiles);
const json = (name: string, file: string): unknown => JSON.parse(readFileSync(new URL(`${name}/${file}`, root), 'utf8'));

describe('examples', () => {
  it('there is at least one', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const name of examples.filter((n) => !isFirm(n))) {
    it(`${name}: validates and runs ten simulated minutes without a fault`, async () => {
      const flow = json(name, 'flow.json');
      expect(validateFlow(flow, registry).problems).toEqual([]);
      const clock = createVirtualClock(Date.UTC(2026, 10, 26, 0, 0, 0));
      const engine = createEngine({ registry, clock });
      engines.push(engine);
      const events: EngineEvent[] = [];
      engine.subscribe((e) => events.push(e));
      await engine.deploy(flow);
      await clock.advance(10 * 60_000, () => engine.idle());
      const stats = engine.stats();
      expect(stats.filter((s) => s.errors > 0)).toEqual([]);
      expect(stats.every((s) => s.dropped === 0)).toBe(true);
      // Every node that has inputs received something: the example is wired end to end.
      const wired = new Set((flow as { edges: { target: string }[] }).edges.map((e) => e.target));
      for (const s of stats.filter((x) => wired.has(x.nodeId))) expect(s.in, `${s.nodeId} received nothing`).toBeGreaterThan(0);
      expect(events.some((e) => e.type === 'node-event' && e.kind === 'debug')).toBe(true);
    });
  }

  for (const name of examples.filter(isFirm)) {
    describe(`sample firm ${name}`, () => {
      const instance = InstanceSchema.parse(json(name, 'instance.json'));
      const template = library.get(instance.template);

      it('is an instance of a shipped template version, with its device list and simulator settings', () => {
        expect(template, `${instance.template} is not in templates/`).toBeDefined();
        const rows = Papa.parse<Record<string, string>>(readFileSync(new URL(`${name}/devices.csv`, root), 'utf8').trim(), { header: true }).data;
        const listed = Object.values(instance.devices).flat().map((d) => ({ name: String(d.name), host: String(d.host), port: String(d.port), unitId: String(d.unitId) }));
        expect(rows).toEqual(listed);
        // The simulator serves every device where the instance expects it: one port each, in order.
        const sim = SimulationSettingsSchema.parse(json(name, 'simulator.json'));
        const ports = sim.devices.flatMap((d) => Array.from({ length: d.count }, () => d.profile)).map((profile, i) => [profile, sim.portBase! + i]);
        const expected = template!.deviceGroups.flatMap((g) => (instance.devices[g.key] ?? []).map((d) => [g.profile, d.port]));
        expect(ports).toEqual(expected);
      });

      it('resolves, and its flows run a simulated hour on simulated devices without a fault', async () => {
        const resolved = resolveInstance(template!, instance, profiles, registry);
        expect(resolved.problems).toEqual([]);
        if (!resolved.ok) return;
        const content = resolved.content;
        const clock = createVirtualClock(Date.parse('2026-11-02T09:00:00+08:00'));
        const devices = createSimulatedDevices({
          clock,
          seed: 2026,
          profiles: catalogOf(content.devices.map((g) => profiles(g.profile))),
          devices: content.devices.flatMap((g) => g.entries.map((entry) => ({ entry }))),
        });
        const dir = mkdtempSync(join(tmpdir(), 'kaiwu-sample-'));
        const store = createStore({ file: join(dir, 'site.db') });
        stores.push({ store, dir });
        const alarms: AlarmRecord[] = [];
        const engine = createEngine({ registry, clock, services: { history: store, events: store, devices, alarms: { record: (a) => alarms.push(a) } } });
        engines.push(engine);
        const failures: EngineEvent[] = [];
        engine.subscribe((e) => {
          if (e.type === 'node-error') failures.push(e);
        });
        await engine.deploy(content.flows);
        for (let minute = 0; minute < 60; minute++) {
          await clock.advance(60_000, () => engine.idle());
          store.flush();
        }
        devices.close();
        expect(failures).toEqual([]);
        const stats = engine.stats();
        expect(stats.filter((s) => s.errors > 0 || s.dropped > 0)).toEqual([]);
        // Every device answered and every reader reported.
        expect(devices.names.map((d) => devices.health(d))).toEqual(devices.names.map(() => 'online'));
        for (const s of stats.filter((x) => x.type === 'modbus-read')) expect(s.out, `${s.flowId}/${s.nodeId} sent nothing`).toBeGreaterThan(0);
        // Nodes the firm added to its copy are deployed, and those wired in hear from their devices.
        const targets = new Set(content.flows.flatMap((f) => (f.edges as { target: string }[]).map((e) => e.target)));
        for (const o of instance.overrides) {
          const added = o.op === 'add' ? /\/flow\/nodes\/([^/]+)$/.exec(o.path)?.[1] : undefined;
          if (added === undefined) continue;
          const stat = stats.find((x) => x.nodeId === added);
          expect(stat, `the firm's own node ${added} is not deployed`).toBeDefined();
          if (targets.has(added)) expect(stat!.in, `the firm's own node ${added} received nothing`).toBeGreaterThan(0);
        }
        // Series the dashboards chart have been written.
        expect(store.listSeries().filter((x) => x.lastTs !== undefined).length).toBeGreaterThan(0);
      }, 120_000);

      it('upgrades to the newest version of its template keeping its own changes, and still resolves', () => {
        const newest = library.get(template!.id)!;
        if (newest.version === template!.version) return;
        const plan = planUpgrade(template!, newest, instance);
        const upgraded = applyUpgrade(plan, instance, newest, Object.fromEntries(plan.conflicts.map((c) => [c.id, 'site' as const])));
        expect(upgraded.overrides.length).toBe(instance.overrides.length);
        const resolved = resolveInstance(newest, upgraded, profiles, registry);
        expect(resolved.problems).toEqual([]);
      });
    });
  }
});
