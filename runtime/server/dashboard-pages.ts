import { z } from 'zod';
import { WIDGET_DEFINITIONS, isWidgetKind } from '../../nodes/dashboard/definitions';
import { flowIndexOfPage } from '../../nodes/dashboard/inline-widgets';
import type { CheckedFlow, Text } from '../model';
import { TextSchema } from '../model';
import type { DashboardSource } from '../site/site-runtime';
import type { ReportSpec } from './dashboard-report';
import { ReportSpecSchema } from './dashboard-report';

/** A widget as the dashboard app places and draws it. */
export interface PageWidget {
  readonly id: string;
  readonly kind: string;
  /** `flowId/nodeId` of the node that feeds it: its live view and history. */
  readonly key?: string;
  readonly title?: Text;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** The node's config, defaults filled: what the widget needs to draw (units, ranges, labels). */
  readonly config: unknown;
}

export interface Page {
  readonly id: string;
  readonly scenario?: string;
  readonly title: Text;
  readonly columns: number;
  readonly widgets: readonly PageWidget[];
  readonly report: ReportSpec;
}

export interface Pages {
  readonly sequence: number | null;
  readonly pages: readonly Page[];
  /** Widget configs by key, for the routes that act on one widget (series, alarms). */
  readonly byKey: ReadonlyMap<string, PageWidget>;
}

const LabelSchema = z.union([z.string(), TextSchema]);

const WidgetEntrySchema = z.object({
  id: z.string().min(1).max(100),
  kind: z.string().max(50).optional(),
  node: z.string().min(1).max(200).optional(),
  /** A node of another flow of the bundle. */
  flow: z.string().max(100).optional(),
  title: LabelSchema.optional(),
  x: z.number().int().min(0).max(1000).default(0),
  y: z.number().int().min(0).max(1000).default(0),
  w: z.number().int().min(1).max(48).default(4),
  h: z.number().int().min(1).max(100).default(3),
  /** For a widget without a node (text): its config. */
  config: z.record(z.string(), z.unknown()).optional(),
}).passthrough();

const PageEntrySchema = z.object({
  scenario: z.string().max(100).optional(),
  /** The flow the page's widgets are nodes of; by default the flow at the same position. */
  flow: z.string().max(100).optional(),
  title: LabelSchema.optional(),
  columns: z.number().int().min(1).max(48).default(12),
  widgets: z.array(z.unknown()).default([]),
  report: ReportSpecSchema.optional(),
}).passthrough();

const asText = (label: string | Text | undefined): Text | undefined => (typeof label === 'string' ? { zh: label, en: label } : label);

/**
 * A page's report when its dashboard names none: the shifts of the flow's shift timer, and the
 * tag prefix its history gives the OEE node's figures.
 */
export function reportDefaults(flow: CheckedFlow | undefined): ReportSpec {
  const found: Record<string, unknown> = {};
  for (const n of flow?.nodes ?? []) {
    const c = n.config as { mode?: string; shifts?: { name: string; start: string }[]; prefix?: string } | undefined;
    if (n.node.type === 'timer' && c?.mode === 'shifts' && Array.isArray(c.shifts) && found.shifts === undefined) found.shifts = c.shifts.map((s) => ({ name: s.name, start: s.start }));
    if (n.node.type === 'history' && typeof c?.prefix === 'string' && found.oeePrefix === undefined) {
      const fedByOee = flow!.edges.some((e) => e.target === n.node.id && flow!.nodes.find((m) => m.node.id === e.source)?.node.type === 'oee');
      if (fedByOee) found.oeePrefix = c.prefix;
    }
  }
  const parsed = ReportSpecSchema.safeParse(found);
  return parsed.success ? parsed.data : ReportSpecSchema.parse({});
}

/** Widgets of a flow laid out on their own, for bundles that carry no dashboard pages. */
function autoPage(flow: CheckedFlow): Page | undefined {
  const widgets: PageWidget[] = [];
  for (const n of flow.nodes) {
    if (!isWidgetKind(n.node.type) || n.node.disabled) continue;
    const wide = n.node.type === 'line-chart' || n.node.type === 'state-timeline' || n.node.type === 'device-grid' || n.node.type === 'alarm-list' || n.node.type === 'table';
    widgets.push({ id: n.node.id, kind: n.node.type, key: `${flow.flow.id}/${n.node.id}`, title: asText(n.node.name) ?? WIDGET_DEFINITIONS[n.node.type]!.title, x: 0, y: 0, w: wide ? 6 : 3, h: wide ? 4 : 3, config: n.config });
  }
  if (widgets.length === 0) return undefined;
  // Row by row, left to right, twelve columns.
  let x = 0;
  let y = 0;
  let rowH = 0;
  const placed = widgets.map((w) => {
    if (x + w.w > 12) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const at = { ...w, x, y };
    x += w.w;
    rowH = Math.max(rowH, w.h);
    return at;
  });
  return { id: flow.flow.id, title: flow.flow.name, columns: 12, widgets: placed, report: reportDefaults(flow) };
}

/**
 * The pages of the running deployment: one per bundle dashboard (a scenario), widgets joined
 * to the nodes that feed them. A widget whose node is missing is kept (it shows as unavailable)
 * so the layout does not shift; unusable entries are skipped.
 */
export function buildPages(source: DashboardSource | null): Pages {
  if (!source) return { sequence: null, pages: [], byKey: new Map() };
  const flows = new Map(source.flows.map((f) => [f.flow.id, f]));
  const pages: Page[] = [];
  const byKey = new Map<string, PageWidget>();
  const flowIds = source.flows.map((f) => f.flow.id);

  source.dashboards.forEach((raw, index) => {
    const parsed = PageEntrySchema.safeParse(raw);
    if (!parsed.success) return;
    const d = parsed.data;
    const at = flowIndexOfPage(d, index, flowIds, source.dashboards.length);
    const flow = at === undefined ? undefined : source.flows[at];
    const widgets: PageWidget[] = [];
    for (const rawWidget of d.widgets) {
      const w = WidgetEntrySchema.safeParse(rawWidget);
      if (!w.success) continue;
      const e = w.data;
      const target = e.flow !== undefined ? flows.get(e.flow) : flow;
      const node = e.node !== undefined ? target?.nodes.find((n) => n.node.id === e.node) : undefined;
      const place = { x: e.x, y: e.y, w: e.w, h: e.h };
      if (node && target && isWidgetKind(node.node.type)) {
        const title = asText(e.title) ?? asText(node.node.name) ?? WIDGET_DEFINITIONS[node.node.type]!.title;
        const widget: PageWidget = { id: e.id, kind: node.node.type, key: `${target.flow.id}/${node.node.id}`, title, ...place, config: node.config };
        byKey.set(widget.key!, widget);
        widgets.push(widget);
        continue;
      }
      const kind = e.kind ?? (e.node === undefined ? 'text' : 'missing');
      const definition = e.node === undefined && isWidgetKind(kind) ? WIDGET_DEFINITIONS[kind] : undefined;
      const config = definition ? definition.config.safeParse(e.config ?? {}) : undefined;
      if (config && config.success) widgets.push({ id: e.id, kind, ...(e.title ? { title: asText(e.title)! } : {}), ...place, config: config.data });
      else widgets.push({ id: e.id, kind: 'missing', ...(e.title ? { title: asText(e.title)! } : {}), ...place, config: { node: e.node ?? null, kind } });
    }
    const id = d.scenario ?? flow?.flow.id ?? `page-${index + 1}`;
    pages.push({
      id,
      ...(d.scenario === undefined ? {} : { scenario: d.scenario }),
      title: asText(d.title) ?? flow?.flow.name ?? { zh: id, en: id },
      columns: d.columns,
      widgets,
      report: d.report ?? reportDefaults(flow),
    });
  });

  // Flows no page covers still show their widgets.
  const covered = new Set([...byKey.keys()].map((k) => k.slice(0, k.indexOf('/'))));
  for (const f of source.flows) {
    if (covered.has(f.flow.id) || pages.some((p) => p.id === f.flow.id)) continue;
    const page = autoPage(f);
    if (!page) continue;
    for (const w of page.widgets) byKey.set(w.key!, w);
    pages.push(page);
  }
  return { sequence: source.sequence, pages, byKey };
}
