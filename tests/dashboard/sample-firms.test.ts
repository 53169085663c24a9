// The sample firms' dashboards, as their templates describe them, filled from simulated devices.
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { withDashboardWidgets } from '../../nodes/dashboard/inline-widgets';
import type { WidgetSnapshot } from '../../nodes/dashboard/widget-patch';
import { createNodeRegistry } from '../../nodes/registry';
import { catalogOf, loadProfileCatalog } from '../../runtime/devices/profile-catalog';
import { createVirtualClock } from '../../runtime/engine/clock';
import type { Engine } from '../../runtime/engine/engine';
import { createEngine } from '../../runtime/engine/engine';
import { loadTemplateLibrary } from '../../runtime/library/template-library';
import type { ProfileLookup } from '../../runtime/model';
import { InstanceSchema, resolveInstance, validateFlow } from '../../runtime/model';
import { createSimulatedDevices } from '../../runtime/scenario';
import { buildPages } from '../../runtime/server/dashboard-pages';
import type { Store } from '../../runtime/store';
import { createStore } from '../../runtime/store';
import { widgetNodes } from './site';

const root = new URL('../../examples/', import.meta.url);
const firms = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(new URL(`${d.name}/instance.json`, root))).map((d) => d.name);
const registry = createNodeRegistry(widgetNodes());
const profileCatalog = loadProfileCatalog();
const profiles: ProfileLookup = (id) => profileCatalog.get(id)?.profile;
const library = loadTemplateLibrary(fileURLToPath(new URL('../../templates/', import.meta.url)), registry, profiles);

const engines: Engine[] = [];
const stores: { store: Store; dir: string }[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  for (const { store, dir } of stores.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** What a viewer would call "shows data": something to draw, not an empty frame. */
function hasData(kind: string, view: Record<string, unknown>): boolean {
  const some = (o: unknown) => Object.values((o ?? {}) as Record<string, unknown[]>).some((v) => Array.isArray(v) ? v.length > 0 : v !== undefined);
  switch (kind) {
    case 'gauge':
    case 'stat':
    case 'text':
      return typeof view.value === 'number' || typeof view.value === 'string';
    case 'line-chart':
      return some(view.data);
    case 'bar-chart':
      return Array.isArray(view.values) && (view.values as unknown[][]).some((vs) => vs.some((v) => typeof v === 'number'));
    case 'table':
      return some(view.rows) || (Array.isArray(view.log) && view.log.length > 0);
    case 'state-timeline':
      return some(view.segments);
    case 'device-grid':
      return Object.values((view.tiles ?? {}) as Record<string, { state?: string }>).some((t) => t.state !== undefined);
    default:
      return true;
  }
}

describe('sample firms on the dashboard', () => {
  for (const name of firms) {
    it(`${name}: every page's widgets run as widget nodes and show simulated data across a shift change`, async () => {
      const instance = InstanceSchema.parse(JSON.parse(readFileSync(new URL(`${name}/instance.json`, root), 'utf8')));
      const template = library.get(instance.template)!;
      const resolved = resolveInstance(template, instance, profiles, registry);
      expect(resolved.problems).toEqual([]);
      if (!resolved.ok) return;
      const content = resolved.content;
      const expanded = withDashboardWidgets(content.flows, content.dashboards, registry);
      expect(expanded.added.length).toBeGreaterThan(0);
      // The bundle itself is untouched: expanding is a copy.
      expect(JSON.stringify(content.flows)).not.toContain('"w-');
      for (const flow of expanded.flows) expect(validateFlow(flow, registry).problems.filter((p) => p.severity === 'error')).toEqual([]);
      // Expanding again (the engine's flows, already expanded) changes nothing.
      expect(withDashboardWidgets(expanded.flows, content.dashboards, registry)).toEqual({ ...expanded, added: [] });

      // Twenty minutes before the night shift starts (China time): shift-end widgets report too.
      const night = String((content.parameters as Record<string, unknown>).nightShiftStart ?? '20:00');
      const clock = createVirtualClock(Date.parse(`2026-11-02T${night}:00+08:00`) - 20 * 60_000);
      const devices = createSimulatedDevices({
        clock,
        seed: 2026,
        profiles: catalogOf(content.devices.map((g) => profiles(g.profile))),
        devices: content.devices.flatMap((g) => g.entries.map((entry) => ({ entry }))),
      });
      const dir = mkdtempSync(join(tmpdir(), 'kaiwu-firm-'));
      const store = createStore({ file: join(dir, 'site.db') });
      stores.push({ store, dir });
      const engine = createEngine({ registry, clock, services: { history: store, events: store, devices, alarms: store }, stateStore: store });
      engines.push(engine);
      await engine.deploy(expanded.flows);
      // Past the shift change and a whole hour after it, for the hourly bars.
      for (let minute = 0; minute < 90; minute++) {
        await clock.advance(60_000, () => engine.idle());
        store.flush();
      }
      devices.close();

      const { pages } = buildPages({ sequence: 1, dashboards: expanded.dashboards, flows: engine.flows });
      expect(pages.length).toBe(content.dashboards.length);
      const empty: string[] = [];
      const unavailable: string[] = [];
      for (const page of pages) {
        for (const w of page.widgets) {
          if (w.kind === 'missing') unavailable.push(`${page.id}/${w.id}`);
          if (!w.key || w.kind === 'alarm-list') continue;
          const [flowId, nodeId] = w.key.split('/') as [string, string];
          const snap = engine.inspect(flowId, nodeId) as WidgetSnapshot;
          if (!hasData(w.kind, snap.view)) empty.push(`${page.id}/${w.id} (${w.kind})`);
        }
      }
      expect(unavailable).toEqual([]);
      expect(empty).toEqual([]);
    }, 120_000);
  }
});
