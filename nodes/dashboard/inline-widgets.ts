/**
 * Dashboard pages may describe a widget inline — a kind, the node whose output it shows, and a
 * few fields (`field`, `columns`, `history`, `states` …) — instead of naming a widget node of the
 * flow. This turns each such widget into a widget node wired from that node, so the site runs
 * one kind of widget. Pure and deterministic: the same bundle gives the same flows, and nothing
 * of the bundle is changed (copies are returned). A widget that cannot be made valid is left
 * as it was (the page shows it as unavailable) rather than failing the deployment.
 */
import type { NodeCatalog } from '../../runtime/model';
import { outputPorts } from '../../runtime/model';
import { WIDGET_DEFINITIONS, isWidgetKind } from './definitions';
import { DEFAULT_STATE_MAP } from './machine-state';

type Json = Record<string, unknown>;

/** Kinds as template authors write them. */
const KIND_ALIASES: Readonly<Record<string, string>> = {
  line: 'line-chart', 'line-chart': 'line-chart', trend: 'line-chart',
  bar: 'bar-chart', 'bar-chart': 'bar-chart',
  gauge: 'gauge', stat: 'stat', kpi: 'stat', table: 'table', text: 'text', markdown: 'text',
  'state-timeline': 'state-timeline', timeline: 'state-timeline',
  'device-grid': 'device-grid', 'alarm-list': 'alarm-list', alarms: 'alarm-list',
};

/** Column names that read better with a label and, for ratios, as percentages. */
const KNOWN_FIELDS: Readonly<Record<string, { zh: string; en: string; percent?: boolean }>> = {
  device: { zh: '设备', en: 'Device' },
  availability: { zh: '时间开动率', en: 'Availability', percent: true },
  performance: { zh: '性能开动率', en: 'Performance', percent: true },
  quality: { zh: '合格品率', en: 'Quality', percent: true },
  oee: { zh: 'OEE', en: 'OEE', percent: true },
  utilisation: { zh: '利用率', en: 'Utilisation', percent: true },
  total: { zh: '产量', en: 'Output' },
  good: { zh: '良品', en: 'Good' },
  parts: { zh: '件数', en: 'Parts' },
  shots: { zh: '模数', en: 'Shots' },
  rejects: { zh: '不良', en: 'Rejects' },
  state: { zh: '状态', en: 'State' },
  mould: { zh: '模具', en: 'Mould' },
  kwh: { zh: '用电 kWh', en: 'kWh' },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : typeof v === 'string' && v !== '' ? [v] : []);

/** `oee` → `payload.oee`; a path that already starts at the message is kept. */
const property = (field: string) => (/^(payload|topic|device|ts|quality)(\.|$)/.test(field) ? field : `payload.${field}`);
/** The field a stored tag came from: `oee.availability` → `availability` (history nodes write `prefix + field`). */
const fieldOfTag = (tag: string) => (tag.includes('.') ? tag.slice(tag.lastIndexOf('.') + 1) : tag);
const seriesKey = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'value';
const idPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '-');
const label = (field: string): string | { zh: string; en: string } => {
  const known = KNOWN_FIELDS[field];
  return known ? { zh: known.zh, en: known.en } : field;
};
const isRatio = (field: string) => KNOWN_FIELDS[field]?.percent === true;

/**
 * The flow a page belongs to: its `flow`, else the flow at the same position (a resolved
 * template keeps scenarios' flows and pages in step), else the flow named like its scenario.
 */
export function flowIndexOfPage(page: Json, index: number, flowIds: readonly (string | undefined)[], pages: number): number | undefined {
  const byId = (id: unknown) => {
    const i = typeof id === 'string' ? flowIds.indexOf(id) : -1;
    return i >= 0 ? i : undefined;
  };
  return byId(page.flow) ?? (pages === flowIds.length ? index : undefined) ?? byId(page.scenario);
}

/** What a device profile says of a tag (its label and unit), when the node reading it carries its profile. */
function tagInfo(source: Json, field: string): { label?: { zh: string; en: string }; unit?: string } {
  const devices = isObject(source.config) && Array.isArray(source.config.devices) ? source.config.devices : [];
  for (const d of devices) {
    const profile = isObject(d) && isObject(d.profile) ? d.profile : undefined;
    const tag = profile && Array.isArray(profile.tags) ? (profile.tags as Json[]).find((t) => isObject(t) && t.key === field) : undefined;
    if (!tag) continue;
    const l = isObject(tag.label) && typeof tag.label.zh === 'string' && typeof tag.label.en === 'string' ? { zh: tag.label.zh, en: tag.label.en } : undefined;
    // Profile labels may carry an explanation in brackets ("State (0 stopped, 1 running)"): a tile needs the name.
    const short = l ? { zh: l.zh.replace(/[（(].*$/, '').trim() || l.zh, en: l.en.replace(/\s*\(.*$/, '').trim() || l.en } : undefined;
    return { ...(short ? { label: short } : {}), ...(str(tag.unit) ? { unit: tag.unit as string } : {}) };
  }
  return {};
}

/** A value a `history` node of the flow records: the tag, the message property it comes from, and the port it is fed from. */
interface Recorded {
  readonly tag: string;
  readonly property: string;
  /** The device the history node writes messages without one under (a workshop figure). */
  readonly device?: string;
  readonly source: string;
  readonly port: string;
}

/**
 * What the flow's history nodes record, so a widget that names a stored tag shows the same value
 * live (a history node writes `prefix + field` from `property.field`, or `tag` from `property`).
 */
function recordedValues(nodes: readonly Json[], edges: readonly Json[]): Recorded[] {
  const out: Recorded[] = [];
  for (const n of nodes) {
    if (n.type !== 'history' || !isObject(n.config)) continue;
    const c = n.config;
    const base = str(c.property) ?? 'payload';
    const written = strings(c.fields).length > 0
      ? strings(c.fields).map((f) => ({ tag: `${str(c.prefix) ?? ''}${f}`, property: `${base}.${f}` }))
      : str(c.tag) ? [{ tag: c.tag as string, property: base }] : [];
    const device = str(c.device);
    for (const e of edges.filter((x) => x.target === n.id)) {
      for (const w of written) out.push({ ...w, ...(device ? { device } : {}), source: String(e.source), port: String(e.sourcePort) });
    }
  }
  return out;
}

/** Fills in the live properties (and the port) of a widget that names stored tags, or nothing at all, from what is recorded of its node. */
function withRecorded(w: Json, recorded: readonly Recorded[]): Json {
  const mine = recorded.filter((r) => r.source === w.node && (str(w.port) === undefined || r.port === w.port));
  const tags = strings(w.history);
  if (tags.length > 0) {
    const found = tags.map((t) => mine.find((r) => r.tag === t));
    const port = str(w.port) ?? found.find((f) => f !== undefined)?.port;
    const device = found.find((f) => f?.device !== undefined)?.device;
    return { ...w, ...(port ? { port } : {}), ...(device ? { siteDevice: device } : {}), properties: found.map((f, i) => f?.property ?? property(fieldOfTag(tags[i]!))) };
  }
  if (str(w.field) === undefined && str(w.stateField) === undefined && w.columns === undefined && w.fields === undefined && mine.length > 0) {
    // Nothing named: a chart shows the first value recorded of the node, a table all of them.
    const port = str(w.port) ?? mine[0]!.port;
    const all = mine.filter((r) => r.port === port);
    return { ...w, port, ...(all[0]!.device ? { siteDevice: all[0]!.device } : {}), properties: [all[0]!.property], history: [all[0]!.tag], recorded: all.map((r) => ({ tag: r.tag, property: r.property })) };
  }
  return w;
}

function widgetConfig(kind: string, w: Json, source: Json = {}): Json {
  const labelOf = (f: string) => (KNOWN_FIELDS[f] ? label(f) : tagInfo(source, f).label ?? f);
  const unitOf = (f: string) => tagInfo(source, f).unit;
  const field = str(w.field);
  const properties = strings(w.properties);
  // Recorded under one device name by its history node: a figure of the whole shop, not per machine.
  const siteDevice = str(w.siteDevice);
  const unit = str(w.unit);
  const percent = w.format === 'percent';
  const common: Json = {
    ...(unit && !percent ? { unit } : {}),
    ...(num(w.decimals) !== undefined ? { decimals: w.decimals } : {}),
  };
  switch (kind) {
    case 'gauge': {
      const min = num(w.min) ?? 0;
      const max = num(w.max) ?? (percent ? 1 : 100);
      const bands = Array.isArray(w.bands) && w.bands.every((b) => typeof b === 'number')
        // Thresholds of a figure where higher is better (OEE, utilisation): red, amber, then green.
        ? [...(w.bands as number[]).map((to, i, all) => ({ to, color: i === 0 && all.length > 1 ? 'alarm' : 'warn' })), { to: max, color: 'ok' }]
        : Array.isArray(w.bands) ? w.bands : [];
      return {
        ...common, property: field ? property(field) : properties[0] ?? 'payload', ...(str(w.device) ? { device: w.device } : {}), min, max, bands,
        // A dial over a group of machines shows their average, not whichever reported last.
        ...(str(w.device) || siteDevice ? {} : { aggregate: ['sum', 'min', 'max', 'last'].includes(w.aggregate as string) ? w.aggregate : 'avg' }),
        ...(percent ? { format: 'percent' } : {}),
      };
    }
    case 'stat':
      return {
        ...common,
        property: field ? property(field) : properties[0] ?? 'payload',
        ...(str(w.device) ? { device: w.device } : {}),
        ...(['sum', 'avg', 'min', 'max'].includes(w.aggregate as string) ? { aggregate: w.aggregate } : {}),
        ...(num(w.target) !== undefined ? { target: w.target } : {}),
        ...(w.better === 'lower' || w.better === 'higher' ? { better: w.better } : {}),
        ...(percent ? { format: 'percent' } : {}),
      };
    case 'text':
      return { markdown: isObject(w.text) ? w.text : { zh: str(w.text) ?? '', en: str(w.text) ?? '' }, ...(field ? { property: property(field) } : {}) };
    case 'table': {
      const names = strings(w.columns).length > 0 ? strings(w.columns) : strings(w.fields);
      const recorded = Array.isArray(w.recorded) ? (w.recorded as { tag: string; property: string }[]) : [];
      if (names.length === 0 && recorded.length > 0) {
        return { columns: [{ property: 'device', label: label('device') }, ...recorded.slice(0, 11).map((r) => ({ property: r.property, label: label(fieldOfTag(r.tag)), ...(isRatio(fieldOfTag(r.tag)) ? { format: 'percent' } : {}) }))] };
      }
      const columns = names.length > 0
        ? names.slice(0, 12).map((c) => ({ property: c === 'device' || c === 'topic' || c === 'ts' || c === 'quality' ? c : property(c), label: labelOf(c), ...(unitOf(c) ? { unit: unitOf(c) } : {}), ...(isRatio(c) ? { format: 'percent' } : {}) }))
        : Array.isArray(w.columns) ? w.columns : undefined;
      return columns ? { columns } : {};
    }
    case 'device-grid': {
      const state = str(w.stateField) ?? 'state';
      const fields = strings(w.fields).filter((f) => f !== state).slice(0, 4).map((f) => ({ property: property(f), label: labelOf(f), ...(unitOf(f) ? { unit: unitOf(f) } : {}) }));
      return { stateProperty: property(state), stateMap: { ...DEFAULT_STATE_MAP, ...(isObject(w.states) ? w.states : {}) }, fields };
    }
    case 'state-timeline':
      return { stateProperty: property(field ?? str(w.stateField) ?? 'state'), stateMap: { ...DEFAULT_STATE_MAP, ...(isObject(w.states) ? w.states : {}) } };
    case 'line-chart': {
      const tags = strings(w.history);
      // A line per device: a template's chart shows every machine of the group.
      const series = tags.length > 0
        ? tags.slice(0, 8).map((tag, i) => ({ key: seriesKey(tag), label: label(fieldOfTag(tag)), property: properties[i] ?? property(fieldOfTag(tag)), perDevice: !siteDevice, history: siteDevice ? { tag, device: siteDevice } : { tag } }))
        : [{ key: seriesKey(field ?? 'value'), ...(field ? { label: label(field) } : {}), property: property(field ?? 'payload'), perDevice: true }];
      return { ...common, series, ...(percent ? { format: 'percent' } : {}) };
    }
    case 'bar-chart': {
      const tags = strings(w.history);
      const fields = field ? [{ property: property(field), label: label(field) }]
        : tags.length > 0 ? tags.map((t, i) => ({ property: properties[i] ?? property(fieldOfTag(t)), label: label(fieldOfTag(t)) }))
          : [{ property: 'payload' }];
      return {
        ...common,
        fields: fields.slice(0, 6),
        ...(w.stacked === true ? { stacked: true } : {}),
        ...(siteDevice ? { fallbackCategory: siteDevice } : {}),
        ...(w.groupBy === 'shift' || w.groupBy === 'topic' ? { groupBy: w.groupBy } : {}),
        ...(percent ? { format: 'percent' } : {}),
      };
    }
    case 'alarm-list':
      return {
        ...(strings(w.codes).length > 0 ? { codes: strings(w.codes) } : {}),
        ...(['info', 'warning', 'critical'].includes(w.minSeverity as string) ? { minSeverity: w.minSeverity } : {}),
      };
    default:
      return {};
  }
}

/** The port a widget listens on: the one the page names, an alarm list on the alarm port, else `out`. */
function portFor(kind: string, w: Json, source: Json, catalog: NodeCatalog | undefined): string | undefined {
  if (str(w.port)) return w.port as string;
  const spec = catalog?.get(String(source.type));
  if (!spec) return 'out';
  const parsed = spec.config.safeParse(isObject(source.config) ? source.config : {});
  if (!parsed.success) return undefined;
  const ports = outputPorts(spec, parsed.data).map((p) => p.name);
  if (kind === 'alarm-list' && ports.includes('alarm')) return 'alarm';
  return ports.includes('out') ? 'out' : ports[0];
}

export interface ExpandedDashboards {
  readonly flows: unknown[];
  readonly dashboards: unknown[];
  /** Widget nodes added, `flowId/nodeId`. */
  readonly added: string[];
}

/**
 * Widget nodes for a bundle's inline widgets. `catalog` (the node registry) finds the port to
 * listen on; without it widgets listen on `out` unless the page names a `port`.
 */
export function withDashboardWidgets(flows: readonly unknown[], dashboards: readonly unknown[], catalog?: NodeCatalog): ExpandedDashboards {
  const outFlows = structuredClone(flows) as unknown[];
  const outPages = structuredClone(dashboards) as unknown[];
  const added: string[] = [];
  const flowIds = outFlows.map((f) => (isObject(f) ? str(f.id) : undefined));
  outPages.forEach((page, index) => {
    if (!isObject(page) || !Array.isArray(page.widgets)) return;
    const fi = flowIndexOfPage(page, index, flowIds, outPages.length);
    const flow = fi === undefined ? undefined : outFlows[fi];
    const nodes = isObject(flow) && Array.isArray(flow.nodes) ? (flow.nodes as Json[]) : undefined;
    const edges = isObject(flow) && Array.isArray(flow.edges) ? (flow.edges as Json[]) : undefined;
    const recorded = nodes && edges ? recordedValues(nodes, edges) : [];
    for (const w of page.widgets as unknown[]) {
      if (!isObject(w)) continue;
      const kind = KIND_ALIASES[str(w.kind) ?? ''];
      if (!kind) continue;
      if (w.node === undefined) {
        // A widget with no node (a note): its config travels with the page.
        if (!isObject(w.config)) {
          const config = WIDGET_DEFINITIONS[kind]?.config.safeParse(widgetConfig(kind, w));
          if (config?.success) {
            w.kind = kind;
            w.config = config.data as Json;
          }
        }
        continue;
      }
      if (!nodes || !edges || !isObject(flow)) continue;
      const source = nodes.find((n) => isObject(n) && n.id === w.node);
      if (!source || isWidgetKind(String(source.type))) continue;
      const spec = withRecorded(w, recorded);
      const config = WIDGET_DEFINITIONS[kind]!.config.safeParse(widgetConfig(kind, spec, source));
      const port = portFor(kind, spec, source, catalog);
      if (!config.success || port === undefined) continue;
      const base = `w-${idPart(String(w.id))}`.slice(0, 60);
      // Flows expanded already (the engine's): the same widget node is there, wired from the same node.
      if (nodes.some((n) => n.id === base && n.type === kind) && edges.some((e) => e.source === source.id && e.target === base)) {
        w.kind = kind;
        w.node = base;
        continue;
      }
      const taken = new Set(nodes.map((n) => n.id));
      let id = base;
      for (let i = 2; taken.has(id); i++) id = `w-${idPart(String(w.id))}`.slice(0, 56) + `-${i}`;
      nodes.push({ id, type: kind, version: WIDGET_DEFINITIONS[kind]!.version, ...(w.title !== undefined ? { name: w.title } : {}), config: config.data as Json });
      const edgeIds = new Set(edges.map((e) => e.id));
      let edge = `e-${id}`.slice(0, 64);
      for (let i = 2; edgeIds.has(edge); i++) edge = `e-${id}`.slice(0, 58) + `-${i}`;
      edges.push({ id: edge, source: source.id, sourcePort: port, target: id, targetPort: 'in' });
      w.kind = kind;
      w.node = id;
      added.push(`${String(flow.id)}/${id}`);
    }
  });
  return { flows: outFlows, dashboards: outPages, added };
}
