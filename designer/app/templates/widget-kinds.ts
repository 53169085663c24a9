/**
 * The widget kinds a dashboard page places, as template authors write them (the site dashboard
 * also takes aliases such as `line-chart` or `trend`), with the size a new one starts at. A widget
 * either names a dashboard node of the flow (its own kind) or gives a kind and the node it shows.
 */
import type { NodeRegistry } from '../../../nodes/registry';
import type { FlowDoc } from '../editor/flow-doc';
import type { DashboardDraft } from './template-doc';

export const WIDGET_KINDS = ['stat', 'gauge', 'line', 'bar', 'table', 'state-timeline', 'device-grid', 'alarm-list', 'text'] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];

const ALIASES: Readonly<Record<string, WidgetKind>> = {
  'line-chart': 'line', trend: 'line', 'bar-chart': 'bar', kpi: 'stat', markdown: 'text', timeline: 'state-timeline', alarms: 'alarm-list',
};

/** The kind a widget's `kind` means (`line-chart` → `line`), or undefined for one we do not know. */
export function widgetKind(kind: string | undefined): WidgetKind | undefined {
  if (!kind) return undefined;
  return (WIDGET_KINDS as readonly string[]).includes(kind) ? kind as WidgetKind : ALIASES[kind];
}

const SIZES: Readonly<Record<WidgetKind, { w: number; h: number }>> = {
  stat: { w: 3, h: 2 }, gauge: { w: 4, h: 4 }, line: { w: 6, h: 4 }, bar: { w: 6, h: 4 }, table: { w: 12, h: 5 },
  'state-timeline': { w: 12, h: 3 }, 'device-grid': { w: 12, h: 4 }, 'alarm-list': { w: 6, h: 5 }, text: { w: 4, h: 2 },
};

export function defaultSize(kind: string | undefined, columns: number): { w: number; h: number } {
  const s = SIZES[widgetKind(kind) ?? 'stat'];
  return { w: Math.min(s.w, columns), h: s.h };
}

/** The flow's nodes of the dashboard category (their own widget) that no widget of the page shows yet. */
export function unplacedWidgetNodes(flow: FlowDoc | undefined, dashboard: DashboardDraft, registry: Pick<NodeRegistry, 'get'>): FlowDoc['nodes'] {
  if (!flow) return [];
  const placed = new Set(dashboard.widgets.map((w) => w.node).filter((n): n is string => typeof n === 'string'));
  return flow.nodes.filter((n) => registry.get(n.type)?.category === 'dashboard' && !placed.has(n.id));
}
