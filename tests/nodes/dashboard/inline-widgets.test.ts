import { describe, expect, it } from 'vitest';
import { withDashboardWidgets } from '../../../nodes/dashboard/inline-widgets';
import { createNodeRegistry } from '../../../nodes/registry';
import { validateFlow } from '../../../runtime/model';
import { buildPages, reportDefaults } from '../../../runtime/server/dashboard-pages';
import { createEngine } from '../../../runtime/engine/engine';
import { flowOf } from '../../helpers/flow';
import { widgetNodes } from '../../dashboard/site';

const registry = createNodeRegistry(widgetNodes());

/** A scenario as a template writes it: data nodes in the flow, widgets described on the page. */
function scenario() {
  const flow = flowOf('line', [
    { id: 'read', type: 'rule', config: { code: 'return msg;' } },
    { id: 'oee', type: 'oee', config: { idealCycleSec: 30 } },
    { id: 'hot', type: 'threshold-alarm', config: { property: 'payload.temp', high: 80 } },
    { id: 'keep', type: 'history', config: { fields: ['oee', 'availability'], prefix: 'oee.' } },
    { id: 'shifts', type: 'timer', config: { mode: 'shifts', shifts: [{ name: '白班', start: '08:00' }, { name: '夜班', start: '20:00' }] } },
  ], ['read -> oee', 'read -> hot', 'oee -> keep', 'shifts -> oee:reset']);
  const page = {
    scenario: 'line', title: { zh: '产线', en: 'Line' }, columns: 12,
    widgets: [
      { id: 'oee-now', kind: 'gauge', node: 'oee', field: 'oee', min: 0, max: 1, format: 'percent', bands: [0.6, 0.85], x: 0, y: 0, w: 3, h: 3 },
      { id: 'figures', kind: 'table', node: 'oee', columns: ['device', 'availability', 'oee'], x: 3, y: 0, w: 9, h: 3 },
      { id: 'trend', kind: 'line', node: 'oee', history: ['oee.oee'], x: 0, y: 3, w: 8, h: 3 },
      { id: 'alarms', kind: 'alarm-list', node: 'hot', x: 8, y: 3, w: 4, h: 3 },
      { id: 'bad', kind: 'gauge', node: 'read', min: 5, max: 1, x: 0, y: 6, w: 3, h: 2 },
      { id: 'note', kind: 'text', text: { zh: '说明', en: 'Note' }, x: 3, y: 6, w: 9, h: 2 },
    ],
  };
  return { flow, page };
}

describe('inline dashboard widgets', () => {
  it('become widget nodes wired from the node they show, with the config their fields imply', () => {
    const { flow, page } = scenario();
    const before = JSON.stringify({ flow, page });
    const { flows, dashboards, added } = withDashboardWidgets([flow], [page], registry);
    expect(JSON.stringify({ flow, page })).toBe(before);
    expect(added).toEqual(['line/w-oee-now', 'line/w-figures', 'line/w-trend', 'line/w-alarms']);
    const f = flows[0] as { nodes: { id: string; type: string; config: Record<string, unknown> }[]; edges: { source: string; sourcePort: string; target: string }[] };
    expect(validateFlow(f, registry).problems.filter((p) => p.severity === 'error')).toEqual([]);
    const node = (id: string) => f.nodes.find((n) => n.id === id)!;
    expect(node('w-oee-now')).toMatchObject({ type: 'gauge', config: { property: 'payload.oee', format: 'percent', aggregate: 'avg', bands: [{ to: 0.6, color: 'alarm' }, { to: 0.85, color: 'warn' }, { to: 1, color: 'ok' }] } });
    expect(node('w-figures').config.columns).toEqual([
      { property: 'device', label: { zh: '设备', en: 'Device' } },
      { property: 'payload.availability', label: { zh: '时间开动率', en: 'Availability' }, format: 'percent' },
      { property: 'payload.oee', label: { zh: 'OEE', en: 'OEE' }, format: 'percent' },
    ]);
    // A stored tag shows live as the value its history node records.
    expect(node('w-trend').config.series).toEqual([expect.objectContaining({ key: 'oee_oee', property: 'payload.oee', perDevice: true, history: { tag: 'oee.oee' } })]);
    // An alarm list listens where alarms come out.
    expect(f.edges.find((e) => e.target === 'w-alarms')).toMatchObject({ source: 'hot', sourcePort: 'alarm' });
    const widgets = (dashboards[0] as typeof page).widgets;
    expect(widgets.map((w) => [w.id, w.kind, 'node' in w ? w.node : undefined])).toEqual([
      ['oee-now', 'gauge', 'w-oee-now'], ['figures', 'table', 'w-figures'], ['trend', 'line-chart', 'w-trend'], ['alarms', 'alarm-list', 'w-alarms'],
      // A widget that cannot be made valid stays as it was: the page shows it unavailable, the deployment still runs.
      ['bad', 'gauge', 'read'], ['note', 'text', undefined],
    ]);
  });

  it('expanding twice changes nothing, and the page finds its widgets in the running flows', async () => {
    const { flow, page } = scenario();
    const once = withDashboardWidgets([flow], [page], registry);
    expect(withDashboardWidgets(once.flows, [page], registry)).toEqual({ ...once, added: [] });
    const engine = createEngine({ registry, services: { history: { write: () => undefined } } });
    try {
      await engine.deploy(once.flows);
      const pages = buildPages({ sequence: 1, dashboards: withDashboardWidgets(engine.flows.map((f) => f.flow), [page], registry).dashboards, flows: engine.flows }).pages;
      expect(pages[0]!.widgets.map((w) => `${w.id}:${w.kind}`)).toEqual(['oee-now:gauge', 'figures:table', 'trend:line-chart', 'alarms:alarm-list', 'bad:missing', 'note:text']);
      // With no report on the page, the report uses the flow's own shifts and OEE tags.
      expect(pages[0]!.report).toMatchObject({ shifts: [{ name: '白班', start: '08:00' }, { name: '夜班', start: '20:00' }], oeePrefix: 'oee.' });
    } finally {
      await engine.stop();
    }
  });

  it('a report without a shift timer in the flow uses three eight-hour shifts', () => {
    expect(reportDefaults(undefined).shifts.map((s) => s.start)).toEqual(['08:00', '16:00', '00:00']);
  });
});
