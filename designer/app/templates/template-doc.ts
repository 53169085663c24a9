/**
 * A template as the authoring page holds it: the document without its scenario flows (those live
 * in the embedded flow editor's store, one flow per scenario, by flow id), and the pure changes
 * made to it. `composeTemplate` puts the two back together into the JSON the API takes.
 */
import type { DeviceGroupDef, Parameter, Text } from '../../../runtime/model';
import { FLOW_SCHEMA_VERSION, TEMPLATE_SCHEMA_VERSION, compareVersions } from '../../../runtime/model';
import type { FlowDoc } from '../editor/flow-doc';
import { uniqueId } from '../editor/flow-doc';

type Json = Record<string, unknown>;

export interface DashboardWidget {
  readonly id: string;
  readonly kind?: string;
  readonly node?: string;
  readonly title?: Text | string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly [extra: string]: unknown;
}

export interface DashboardDraft {
  readonly title?: Text;
  readonly columns: number;
  readonly widgets: readonly DashboardWidget[];
  readonly [extra: string]: unknown;
}

export interface ScenarioDraft {
  readonly key: string;
  readonly kind: 'N' | 'X';
  readonly title: Text;
  readonly description?: Text;
  readonly demands: readonly string[];
  /** The id of its flow in the editor store. */
  readonly flowId: string;
  readonly dashboard: DashboardDraft;
  /** Fields of the scenario this page does not edit, kept as they came. */
  readonly extra: Json;
}

/** A parameter while it is edited: any field may be missing or half-typed until the API checks it. */
export type ParameterDraft = Partial<Parameter> & { readonly key: string; readonly type: Parameter['type']; readonly label: Text };
export type DeviceGroupDraft = Partial<DeviceGroupDef> & { readonly key: string; readonly profile: string; readonly label: Text };

export interface TemplateDraft {
  readonly schemaVersion: number;
  readonly id: string;
  readonly version: string;
  readonly industry: string;
  readonly title: Text;
  readonly description: Text;
  readonly demands: readonly string[];
  readonly author: string;
  readonly parameters: readonly ParameterDraft[];
  readonly deviceGroups: readonly DeviceGroupDraft[];
  readonly scenarios: readonly ScenarioDraft[];
  /** Scenario tests, as JSON (edited in template.json; run from the tests tab). */
  readonly tests: readonly Json[];
  readonly extra: Json;
}

const TOP_FIELDS = ['schemaVersion', 'id', 'version', 'industry', 'title', 'description', 'demands', 'author', 'parameters', 'deviceGroups', 'scenarios', 'tests'];
const SCENARIO_FIELDS = ['key', 'kind', 'title', 'description', 'demands', 'flow', 'dashboard'];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asText = (v: unknown): Text => (isObject(v) && typeof v.zh === 'string' && typeof v.en === 'string' ? { zh: v.zh, en: v.en } : { zh: '', en: '' });
const rest = (o: Json, known: readonly string[]): Json => Object.fromEntries(Object.entries(o).filter(([k]) => !known.includes(k)));

function asFlow(raw: unknown, fallbackId: string, name: Text): FlowDoc {
  const f = isObject(raw) ? raw : {};
  return {
    ...(f as object),
    schemaVersion: typeof f.schemaVersion === 'number' ? f.schemaVersion : FLOW_SCHEMA_VERSION,
    id: typeof f.id === 'string' && f.id !== '' ? f.id : fallbackId,
    name: isObject(f.name) ? asText(f.name) : name,
    nodes: Array.isArray(f.nodes) ? (f.nodes as FlowDoc['nodes']) : [],
    edges: Array.isArray(f.edges) ? (f.edges as FlowDoc['edges']) : [],
  } as FlowDoc;
}

function asDashboard(raw: unknown): DashboardDraft {
  const d = isObject(raw) ? raw : {};
  const widgets = Array.isArray(d.widgets) ? d.widgets.filter(isObject).map((w, i) => ({
    ...w,
    id: typeof w.id === 'string' ? w.id : `widget-${i + 1}`,
    x: typeof w.x === 'number' ? w.x : 0,
    y: typeof w.y === 'number' ? w.y : 0,
    w: typeof w.w === 'number' ? w.w : 4,
    h: typeof w.h === 'number' ? w.h : 3,
  }) as DashboardWidget) : [];
  return { ...d, columns: typeof d.columns === 'number' ? d.columns : 12, widgets };
}

/** Splits a template document into the draft and its flows (flow ids made unique if they were not). */
export function splitTemplate(raw: Json): { draft: TemplateDraft; flows: FlowDoc[] } {
  const flows: FlowDoc[] = [];
  const taken = new Set<string>();
  const scenarios = (Array.isArray(raw.scenarios) ? raw.scenarios : []).filter(isObject).map((s, i): ScenarioDraft => {
    const key = typeof s.key === 'string' ? s.key : `scenario-${i + 1}`;
    const title = asText(s.title);
    let flow = asFlow(s.flow, key, title);
    if (taken.has(flow.id)) flow = { ...flow, id: uniqueId(flow.id, taken) };
    taken.add(flow.id);
    flows.push(flow);
    return {
      key,
      kind: s.kind === 'X' ? 'X' : 'N',
      title,
      ...(isObject(s.description) ? { description: asText(s.description) } : {}),
      demands: Array.isArray(s.demands) ? s.demands.filter((d): d is string => typeof d === 'string') : [],
      flowId: flow.id,
      dashboard: asDashboard(s.dashboard),
      extra: rest(s, SCENARIO_FIELDS),
    };
  });
  const draft: TemplateDraft = {
    schemaVersion: typeof raw.schemaVersion === 'number' ? raw.schemaVersion : TEMPLATE_SCHEMA_VERSION,
    id: typeof raw.id === 'string' ? raw.id : '',
    version: typeof raw.version === 'string' ? raw.version : '1.0.0',
    industry: typeof raw.industry === 'string' ? raw.industry : '',
    title: asText(raw.title),
    description: asText(raw.description),
    demands: Array.isArray(raw.demands) ? raw.demands.filter((d): d is string => typeof d === 'string') : [],
    author: typeof raw.author === 'string' ? raw.author : '',
    parameters: (Array.isArray(raw.parameters) ? raw.parameters.filter(isObject) : []) as unknown as ParameterDraft[],
    deviceGroups: (Array.isArray(raw.deviceGroups) ? raw.deviceGroups.filter(isObject) : []) as unknown as DeviceGroupDraft[],
    scenarios,
    tests: Array.isArray(raw.tests) ? raw.tests.filter(isObject) : [],
    extra: rest(raw, TOP_FIELDS),
  };
  return { draft, flows };
}

/** Drops empty optional texts (`{ zh: '', en: '' }`) so an untouched field is absent, not invalid. */
const optionalText = (t: Text | undefined): Text | undefined => (t && (t.zh !== '' || t.en !== '') ? t : undefined);

/** Leaves out undefined and '' fields of an edited row (a cleared min is no min). */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** The template document for the API: the draft with each scenario's flow from the editor. */
export function composeTemplate(draft: TemplateDraft, flows: Readonly<Record<string, FlowDoc>>): Json {
  return {
    ...draft.extra,
    schemaVersion: draft.schemaVersion,
    id: draft.id,
    version: draft.version,
    industry: draft.industry,
    title: draft.title,
    description: draft.description,
    demands: draft.demands,
    author: draft.author,
    parameters: draft.parameters.map((p) => clean({ ...p, ...(p.help ? { help: optionalText(p.help) } : {}) })),
    deviceGroups: draft.deviceGroups.map((g) => clean({ ...g })),
    scenarios: draft.scenarios.map((s) => ({
      ...s.extra,
      key: s.key,
      kind: s.kind,
      title: s.title,
      ...(optionalText(s.description) ? { description: s.description } : {}),
      demands: s.demands,
      flow: flows[s.flowId] ?? { schemaVersion: FLOW_SCHEMA_VERSION, id: s.flowId, name: s.title, nodes: [], edges: [] },
      dashboard: s.dashboard,
    })),
    tests: draft.tests,
  };
}

/** A new scenario with an empty flow, its key and flow id free in the draft. */
export function newScenario(draft: TemplateDraft, kind: 'N' | 'X', flowIds: Iterable<string>): { scenario: ScenarioDraft; flow: FlowDoc } {
  const n = draft.scenarios.length + 1;
  const key = uniqueId(`scenario-${n}`, new Set(draft.scenarios.map((s) => s.key)));
  const flowId = uniqueId(draft.id ? `${draft.id}-${key}` : key, new Set(flowIds));
  const title = { zh: `场景 ${n}`, en: `Scenario ${n}` };
  return {
    scenario: { key, kind, title, demands: [], flowId, dashboard: { columns: 12, widgets: [] }, extra: {} },
    flow: { schemaVersion: FLOW_SCHEMA_VERSION, id: flowId, name: title, nodes: [], edges: [] },
  };
}

/** A fresh template: one N scenario with an empty flow. */
export function blankTemplate(fields: { id: string; version: string; industry: string; title: Text; author: string }): Json {
  const flowId = `${fields.id}-base`;
  return {
    schemaVersion: TEMPLATE_SCHEMA_VERSION,
    ...fields,
    description: fields.title,
    demands: [],
    parameters: [],
    deviceGroups: [],
    scenarios: [{
      key: 'base', kind: 'N', title: { zh: '基础场景', en: 'Base scenario' }, demands: [],
      flow: { schemaVersion: FLOW_SCHEMA_VERSION, id: flowId, name: { zh: '基础场景', en: 'Base scenario' }, nodes: [], edges: [] },
      dashboard: { columns: 12, widgets: [] },
    }],
    tests: [],
  };
}

/** The item at `from` moved to `to` (clamped); the same array when nothing moves. */
export function moveItem<T>(list: readonly T[], from: number, to: number): readonly T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from === target || from < 0 || from >= list.length) return list;
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item!);
  return out;
}

export type Bump = 'patch' | 'minor' | 'major';

/** `1.3.0` bumped: patch 1.3.1, minor 1.4.0, major 2.0.0. */
export function bumpVersion(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The version a new draft proposes: one step (of `bump`) above the highest version there is. */
export function nextVersion(versions: readonly string[], bump: Bump = 'minor'): string {
  const top = [...versions].sort(compareVersions).at(-1) ?? '0.0.0';
  return bumpVersion(top, bump);
}

/** Parses a parameter's options as typed in one field: `a, b, 3` → ['a', 'b', 3]. */
export function parseOptions(text: string): (string | number)[] | undefined {
  const parts = text.split(/[,，]/).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) return undefined;
  return parts.map((s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s));
}

/** A parameter's default as typed in a text field, as the parameter's type wants it. */
export function parseDefault(type: Parameter['type'], text: string): unknown {
  const s = text.trim();
  if (s === '') return undefined;
  switch (type) {
    case 'number': case 'integer': return Number.isFinite(Number(s)) ? Number(s) : s;
    case 'boolean': return s === 'true' ? true : s === 'false' ? false : s;
    case 'duration': return /^\d+$/.test(s) ? Number(s) : s;
    case 'enum': return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
    default: return text;
  }
}

/** A parameter's default shown in a text field. */
export function formatDefault(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
