import type { Instance, NodeCatalog, Override, Parameter, Problem, ProfileLookup, Template } from '../model';
import { InstanceSchema, problem, resolveInstance, templateRef, zodProblems } from '../model';
import { devicesFromCsv, withCsvLine } from './device-csv';
import type { Locate } from './device-checks';
import { deviceProblems, jsonLocate } from './device-checks';

export interface SampleCopyRequest {
  readonly enterprise: string;
  readonly site: string;
  /** `key=value` as typed on a command line; the value is read as the parameter's type. */
  readonly set?: readonly string[];
  /** A device list as CSV text; its groups replace the sample's devices of those groups. */
  readonly devicesCsv?: string;
  /** The device group of a CSV without a `group` column (needed when the template has several). */
  readonly deviceGroup?: string;
  /** The X scenarios to run instead of the sample's choice. */
  readonly scenarios?: readonly string[];
}

export type SampleCopy =
  | { readonly ok: true; readonly instance: Instance; readonly keptGroups: readonly string[]; readonly droppedOverrides: readonly Override[]; readonly problems: Problem[] }
  | { readonly ok: false; readonly problems: Problem[] };

const TRUE = new Set(['true', '1', 'yes', 'on', '是']);
const FALSE = new Set(['false', '0', 'no', 'off', '否']);

/** Reads a command-line value as the parameter's type; says what was expected when it cannot. */
function parameterValue(p: Parameter, text: string, at: string): { value?: unknown; problem?: Problem } {
  const bad = (zh: string, en: string) => ({ problem: problem('invalid-parameter', ['parameters', p.key], { zh: `${at}：${zh}，实际是 “${text}”`, en: `${at}: ${en}, got "${text}"` }) });
  switch (p.type) {
    case 'number':
    case 'integer': {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(n)) return bad(p.type === 'integer' ? '应为整数' : '应为数字', p.type === 'integer' ? 'expected a whole number' : 'expected a number');
      return { value: n };
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return { value: true };
      if (FALSE.has(t)) return { value: false };
      return bad('应为 true 或 false', 'expected true or false');
    }
    case 'enum':
      // An enum of numbers takes the number the text spells.
      return { value: p.options?.some((o) => typeof o === 'number') && Number.isFinite(Number(text)) ? Number(text) : text };
    default:
      return { value: text };
  }
}

function parametersFrom(template: Template, set: readonly string[], base: Record<string, unknown>): { parameters: Record<string, unknown>; problems: Problem[] } {
  const parameters = { ...base };
  const problems: Problem[] = [];
  for (const item of set) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    const at = `--set ${item}`;
    if (!key) {
      problems.push(problem('invalid-parameter', ['parameters'], { zh: `${at}：应写成 参数=值，如 ratedSpeed=650`, en: `${at}: write it as key=value, like ratedSpeed=650` }));
      continue;
    }
    const p = template.parameters.find((q) => q.key === key);
    if (!p) {
      const known = template.parameters.map((q) => q.key).join(', ');
      problems.push(problem('unknown-parameter', ['parameters', key], { zh: `${at}：模板 ${templateRef(template)} 没有参数 “${key}”（有：${known}）`, en: `${at}: template ${templateRef(template)} has no parameter "${key}" (it has: ${known})` }));
      continue;
    }
    const read = parameterValue(p, item.slice(eq + 1), at);
    if (read.problem) problems.push(read.problem);
    else parameters[key] = read.value;
  }
  return { parameters, problems };
}

/**
 * The sample's own changes inside X scenarios a copy does not run: they go with the scenario
 * (kept, they would not apply to anything and the copy would be refused).
 */
export function overridesInScenariosNotRun(template: Template, overrides: readonly Override[], chosen: readonly string[]): Override[] {
  const notRun = template.scenarios.filter((sc) => sc.kind === 'X' && !chosen.includes(sc.key)).map((sc) => `/scenarios/${sc.key}`);
  return overrides.filter((o) => notRun.some((prefix) => o.path === prefix || o.path.startsWith(`${prefix}/`)));
}

/**
 * A new enterprise's instance made from a sample firm's: the sample's scenarios, parameters,
 * devices and local changes, with this enterprise's name, site, parameter values and device list.
 * The sample's uplink consent is not copied (consent is each enterprise's own). The result
 * resolves against the template, or every problem is returned and nothing is made.
 */
export function copySampleInstance(sample: unknown, template: Template, request: SampleCopyRequest, profiles: ProfileLookup, catalog: NodeCatalog): SampleCopy {
  const parsedSample = InstanceSchema.safeParse(sample, { reportInput: true });
  if (!parsedSample.success) return { ok: false, problems: zodProblems(parsedSample.error, [], 'invalid-instance') };
  const { uplink: _consent, ...copied } = parsedSample.data;
  const problems: Problem[] = [];
  const { parameters, problems: parameterProblems } = parametersFrom(template, request.set ?? [], copied.parameters);
  problems.push(...parameterProblems);

  const devices: Record<string, unknown[]> = { ...copied.devices };
  let lines: ReadonlyMap<string, number> = new Map();
  let locate: Locate = jsonLocate;
  const groups = template.deviceGroups.map((g) => g.key);
  let replaced: string[] = [];
  if (request.devicesCsv !== undefined) {
    const single = request.deviceGroup ?? (groups.length === 1 ? groups[0] : undefined);
    if (request.deviceGroup !== undefined && !groups.includes(request.deviceGroup)) {
      problems.push(problem('unknown-device-group', ['deviceGroup'], { zh: `模板没有设备组 “${request.deviceGroup}”（有：${groups.join('、')}）`, en: `the template has no device group "${request.deviceGroup}" (it has: ${groups.join(', ')})` }));
    } else {
      const csv = devicesFromCsv(request.devicesCsv, groups, single);
      problems.push(...csv.problems);
      Object.assign(devices, csv.devices);
      replaced = Object.keys(csv.devices);
      lines = csv.lines;
      const fromCsv = new Set(replaced);
      // Entries from the CSV are located by line and column; the sample's by JSON path.
      locate = (group, index, field) => (fromCsv.has(group) ? csv.locate : jsonLocate)(group, index, field);
    }
  }
  // A device list that cannot be read leaves nothing to check; bad --set values still let the
  // rest be checked, so every mistake is told in one go.
  if (problems.some((p) => p.code !== 'invalid-parameter' && p.code !== 'unknown-parameter')) return { ok: false, problems };

  const droppedOverrides = request.scenarios === undefined ? [] : overridesInScenariosNotRun(template, copied.overrides, request.scenarios);
  const doc = {
    ...copied,
    overrides: copied.overrides.filter((o) => !droppedOverrides.includes(o)),
    enterprise: request.enterprise,
    site: request.site,
    parameters,
    devices,
    ...(request.scenarios !== undefined ? { scenarios: [...request.scenarios] } : {}),
  };
  const parsed = InstanceSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: [...problems, ...zodProblems(parsed.error, [], 'invalid-instance')] };
  const resolved = resolveInstance(template, parsed.data, profiles, catalog);
  const found = [...problems, ...resolved.problems.map((p) => withCsvLine(p, lines)), ...deviceProblems(parsed.data.devices, locate)];
  if (!resolved.ok || found.some((p) => p.severity === 'error')) return { ok: false, problems: found };
  const keptGroups = request.devicesCsv === undefined ? [] : groups.filter((g) => !replaced.includes(g) && (devices[g]?.length ?? 0) > 0);
  return { ok: true, instance: parsed.data, keptGroups, droppedOverrides, problems: found };
}
