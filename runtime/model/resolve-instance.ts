import type { DeviceEntry, DeviceProfile } from './device-profile';
import { DeviceEntrySchema } from './device-profile';
import type { Instance } from './instance';
import { InstanceSchema } from './instance';
import type { Change, JsonValue } from './json-changes';
import { ChangeError, applyChanges, formatChangePath, parseChangePath } from './json-changes';
import type { NodeCatalog } from './node-spec';
import type { JsonPath, Problem } from './problem';
import { hasErrors, problem } from './problem';
import { closest } from './similar';
import type { Parameter, Scenario, Template } from './template';
import { TemplateSchema, templateRef, testDeviceCount, testDeviceName, testTimeMs } from './template';
import type { UplinkPolicy } from './uplink-policy';
import { checkUplinkPolicy } from './uplink-policy';
import { validateFlow } from './validate-flow';
import { zodProblems } from './zod-problems';

export type ProfileLookup = (id: string) => DeviceProfile | undefined;

export interface ResolvedDeviceGroup {
  readonly group: string;
  readonly profile: string;
  /** The group's devices; `profile` is the profile's id (the profile travels once, in `profiles`). */
  readonly entries: readonly DeviceEntry[];
}

/** What a bundle carries for one copy of a template: everything the site runs, nothing else. */
export interface ResolvedContent {
  readonly template: string;
  readonly scenarios: readonly string[];
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Ready to run: every device group filled in, each device with its whole profile. */
  readonly flows: readonly Record<string, unknown>[];
  /** As a bundle carries them: parameters filled in, `$deviceGroup` references kept. */
  readonly portableFlows: readonly Record<string, unknown>[];
  readonly devices: readonly ResolvedDeviceGroup[];
  /** Every profile the device groups use, once. */
  readonly profiles: readonly DeviceProfile[];
  readonly dashboards: readonly Record<string, unknown>[];
  /** The enterprise's consent: what may leave the site. */
  readonly uplink: UplinkPolicy;
}

export type Resolution = { ok: true; content: ResolvedContent; problems: Problem[] } | { ok: false; problems: Problem[] };

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration in ms from a number of ms or a text like `30s`, `10min`, `2h`. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)\s*$/.exec(value);
  return m ? Number(m[1]) * DURATION_UNITS[m[2]!]! : undefined;
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Checks one parameter value against its declaration; returns the normalised value or a problem. */
export function checkParameter(param: Parameter, value: unknown, path: JsonPath): { value?: unknown; problem?: Problem } {
  const bad = (zh: string, en: string) => ({ problem: problem('invalid-parameter', path, { zh: `参数 “${param.key}”（${param.label.zh}）${zh}`, en: `parameter "${param.key}" (${param.label.en}) ${en}` }) });
  let v: unknown = value;
  switch (param.type) {
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad(`应为数字，实际是 ${describe(v)}`, `must be a number, got ${describe(v)}`);
      if (param.type === 'integer' && !Number.isInteger(v)) return bad(`应为整数，实际是 ${describe(v)}`, `must be a whole number, got ${describe(v)}`);
      break;
    case 'duration': {
      const ms = parseDuration(v);
      if (ms === undefined) return bad(`应为时长（毫秒数，或如 "30s"、"10min"），实际是 ${describe(v)}`, `must be a duration (ms, or like "30s", "10min"), got ${describe(v)}`);
      v = ms;
      break;
    }
    case 'string':
      if (typeof v !== 'string') return bad(`应为文本，实际是 ${describe(v)}`, `must be text, got ${describe(v)}`);
      break;
    case 'boolean':
      if (typeof v !== 'boolean') return bad(`应为 true 或 false，实际是 ${describe(v)}`, `must be true or false, got ${describe(v)}`);
      break;
    case 'enum':
      if (!param.options?.some((o) => o === v)) return bad(`应为 ${param.options?.map(describe).join('、')} 之一，实际是 ${describe(v)}`, `must be one of ${param.options?.map(describe).join(', ')}, got ${describe(v)}`);
      break;
  }
  if (typeof v === 'number') {
    const unit = param.unit ? ` ${param.unit}` : '';
    if (param.min !== undefined && v < param.min) return bad(`不能小于 ${param.min}${unit}，实际是 ${v}${unit}`, `must be at least ${param.min}${unit}, got ${v}${unit}`);
    if (param.max !== undefined && v > param.max) return bad(`不能大于 ${param.max}${unit}，实际是 ${v}${unit}`, `must be at most ${param.max}${unit}, got ${v}${unit}`);
  }
  return { value: v };
}

type Reference = { kind: 'param'; key: string } | { kind: 'deviceGroup'; key: string };

function referenceOf(value: unknown): Reference | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const v = (value as Record<string, unknown>)[keys[0]!];
  if (keys[0] === '$param' && typeof v === 'string') return { kind: 'param', key: v };
  if (keys[0] === '$deviceGroup' && typeof v === 'string') return { kind: 'deviceGroup', key: v };
  return undefined;
}

/** Every `$param` / `$deviceGroup` reference inside a value, with its path. */
export function findReferences(value: unknown, path: JsonPath = []): { ref: Reference; path: JsonPath }[] {
  const ref = referenceOf(value);
  if (ref) return [{ ref, path }];
  if (Array.isArray(value)) return value.flatMap((v, i) => findReferences(v, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => findReferences(v, [...path, k]));
  return [];
}

/** Replaces references by their values. */
export function substitute(value: unknown, lookup: (ref: Reference) => unknown): unknown {
  const ref = referenceOf(value);
  if (ref) return lookup(ref);
  if (Array.isArray(value)) return value.map((v) => substitute(v, lookup));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, lookup)]));
  return value;
}

/** A device entry that stands for a group when a template is checked on its own. */
function sampleDevices(group: string, profile: DeviceProfile): DeviceEntry[] {
  return [DeviceEntrySchema.parse({ name: `${group}-sample`, host: '127.0.0.1', unitId: 1, profile })];
}

function sampleValue(param: Parameter): unknown {
  if (param.default !== undefined) return checkParameter(param, param.default, []).value ?? param.default;
  switch (param.type) {
    case 'number':
    case 'integer':
    case 'duration':
      return param.min ?? (param.max !== undefined ? Math.min(0, param.max) : 0);
    case 'string':
      return '';
    case 'boolean':
      return false;
    case 'enum':
      return param.options?.[0];
  }
}

function duplicates<T>(items: readonly T[], key: (t: T) => string, path: (i: number) => JsonPath, what: { zh: string; en: string }): Problem[] {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) out.push(problem('duplicate-key', path(i), { zh: `${what.zh} “${k}” 重复（与第 ${first} 项相同）`, en: `duplicate ${what.en} "${k}" (already item ${first})` }));
    else seen.set(k, i);
  });
  return out;
}

/**
 * Checks a template: its shape, unique keys, parameter defaults against their own types and
 * ranges, every reference naming a parameter or device group that exists, every profile known,
 * and every scenario flow valid with the node catalog (references filled with defaults and a
 * sample device).
 */
export function checkTemplate(raw: unknown, catalog: NodeCatalog, profiles: ProfileLookup): { ok: true; template: Template; problems: Problem[] } | { ok: false; problems: Problem[] } {
  const parsed = TemplateSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, [], 'invalid-template') };
  const t = parsed.data;
  const problems: Problem[] = [
    ...duplicates(t.parameters, (p) => p.key, (i) => ['parameters', i, 'key'], { zh: '参数', en: 'parameter' }),
    ...duplicates(t.deviceGroups, (g) => g.key, (i) => ['deviceGroups', i, 'key'], { zh: '设备组', en: 'device group' }),
    ...duplicates(t.scenarios, (s) => s.key, (i) => ['scenarios', i, 'key'], { zh: '场景', en: 'scenario' }),
    ...duplicates(t.scenarios, (s) => String(s.flow.id), (i) => ['scenarios', i, 'flow', 'id'], { zh: '流程 id', en: 'flow id' }),
    ...duplicates(t.tests, (s) => s.key, (i) => ['tests', i, 'key'], { zh: '测试', en: 'test' }),
  ];
  if (!t.scenarios.some((s) => s.kind === 'N')) {
    problems.push(problem('no-base-scenario', ['scenarios'], { zh: '模板至少要有一个 N（基础）场景', en: 'a template needs at least one N (base) scenario' }));
  }
  const params = new Map(t.parameters.map((p) => [p.key, p]));
  t.parameters.forEach((p, i) => {
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) problems.push(problem('invalid-parameter', ['parameters', i, 'max'], { zh: `最大值 ${p.max} 小于最小值 ${p.min}`, en: `max ${p.max} is below min ${p.min}` }));
    if (p.type === 'enum' && !p.options) problems.push(problem('invalid-parameter', ['parameters', i, 'options'], { zh: '枚举参数需要 options', en: 'an enum parameter needs options' }));
    if (p.default !== undefined) {
      const c = checkParameter(p, p.default, ['parameters', i, 'default']);
      if (c.problem) problems.push(c.problem);
    }
  });
  const groups = new Map<string, DeviceProfile>();
  t.deviceGroups.forEach((g, i) => {
    const profile = profiles(g.profile);
    if (!profile) problems.push(problem('unknown-profile', ['deviceGroups', i, 'profile'], { zh: `未知的设备模型 “${g.profile}”`, en: `unknown device profile "${g.profile}"` }));
    else groups.set(g.key, profile);
    if (g.min > g.max) problems.push(problem('invalid-device-group', ['deviceGroups', i, 'max'], { zh: `最多 ${g.max} 台少于最少 ${g.min} 台`, en: `max ${g.max} is below min ${g.min}` }));
  });
  t.scenarios.forEach((s, i) => {
    const base: JsonPath = ['scenarios', i, 'flow'];
    for (const { ref, path } of findReferences(s.flow)) {
      const known = ref.kind === 'param' ? params.has(ref.key) : t.deviceGroups.some((g) => g.key === ref.key);
      if (!known) {
        problems.push(problem(ref.kind === 'param' ? 'unknown-parameter' : 'unknown-device-group', [...base, ...path], {
          zh: `引用了不存在的${ref.kind === 'param' ? '参数' : '设备组'} “${ref.key}”`,
          en: `refers to ${ref.kind === 'param' ? 'parameter' : 'device group'} "${ref.key}", which the template does not declare`,
        }));
      }
    }
  });
  if (hasErrors(problems)) return { ok: false, problems };
  t.scenarios.forEach((s, i) => {
    const flow = substitute(s.flow, (ref) => (ref.kind === 'param' ? sampleValue(params.get(ref.key)!) : sampleDevices(ref.key, groups.get(ref.key)!)));
    for (const p of validateFlow(flow, catalog).problems) problems.push({ ...p, path: ['scenarios', i, 'flow', ...p.path], at: `scenarios[${i}].flow.${p.at}` });
  });
  problems.push(...scenarioTestProblems(t, groups));
  return hasErrors(problems) ? { ok: false, problems } : { ok: true, template: t, problems };
}

function scenarioDocument(scenarios: readonly Scenario[]): JsonValue {
  return { scenarios: scenarios as unknown as JsonValue } as JsonValue;
}

/** The overrides of an instance as changes (paths parsed). */
export function overridesAsChanges(instance: Instance): Change[] {
  return instance.overrides.map((o) => (o.op === 'remove'
    ? { op: 'remove', path: parseChangePath(o.path) }
    : { op: o.op, path: parseChangePath(o.path), value: o.value as JsonValue }));
}

/**
 * Resolves an enterprise's copy of a template into what a bundle carries. Checks every
 * parameter against its type and range, expands device groups (the group's profile applies),
 * drops X scenarios not chosen, applies the site's overrides, fills `$param` and `$deviceGroup`
 * references, and validates the resulting flows. Deterministic: the same inputs give the same
 * output, key for key.
 */
export function resolveInstance(template: Template, rawInstance: unknown, profiles: ProfileLookup, catalog: NodeCatalog): Resolution {
  const parsed = InstanceSchema.safeParse(rawInstance, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, [], 'invalid-instance') };
  const instance = parsed.data;
  const problems: Problem[] = [];
  if (instance.template !== templateRef(template)) {
    problems.push(problem('wrong-template', ['template'], {
      zh: `实例基于 ${instance.template}，而给出的模板是 ${templateRef(template)}`,
      en: `the instance is made from ${instance.template}, but the template given is ${templateRef(template)}`,
    }));
    return { ok: false, problems };
  }

  const values: Record<string, unknown> = {};
  const declared = new Map(template.parameters.map((p) => [p.key, p]));
  for (const key of Object.keys(instance.parameters)) {
    if (!declared.has(key)) {
      problems.push(problem('unknown-parameter', ['parameters', key], {
        zh: `模板 ${templateRef(template)} 没有参数 “${key}”（有：${[...declared.keys()].join('、') || '无'}）`,
        en: `template ${templateRef(template)} has no parameter "${key}" (it has: ${[...declared.keys()].join(', ') || 'none'})`,
      }));
    }
  }
  for (const p of template.parameters) {
    const given = Object.hasOwn(instance.parameters, p.key) ? instance.parameters[p.key] : undefined;
    if (given === undefined && p.default === undefined) {
      if (p.required) problems.push(problem('missing-parameter', ['parameters', p.key], { zh: `缺少必填参数 “${p.key}”（${p.label.zh}）`, en: `required parameter "${p.key}" (${p.label.en}) is missing` }));
      continue;
    }
    const checked = checkParameter(p, given ?? p.default, ['parameters', p.key]);
    if (checked.problem) problems.push(checked.problem);
    else values[p.key] = checked.value;
  }

  const xKeys = new Set(template.scenarios.filter((s) => s.kind === 'X').map((s) => s.key));
  instance.scenarios.forEach((key, i) => {
    if (!template.scenarios.some((s) => s.key === key)) {
      problems.push(problem('unknown-scenario', ['scenarios', i], {
        zh: `模板没有场景 “${key}”（可选场景：${[...xKeys].join('、') || '无'}）`,
        en: `the template has no scenario "${key}" (optional ones: ${[...xKeys].join(', ') || 'none'})`,
      }));
    }
  });
  const chosen = template.scenarios.filter((s) => s.kind === 'N' || instance.scenarios.includes(s.key));

  const devices: ResolvedDeviceGroup[] = [];
  const groupEntries = new Map<string, DeviceEntry[]>();
  const usedProfiles = new Map<string, DeviceProfile>();
  const names = new Map<string, string>();
  for (const key of Object.keys(instance.devices)) {
    if (!template.deviceGroups.some((g) => g.key === key)) {
      problems.push(problem('unknown-device-group', ['devices', key], {
        zh: `模板没有设备组 “${key}”（有：${template.deviceGroups.map((g) => g.key).join('、') || '无'}）`,
        en: `the template has no device group "${key}" (it has: ${template.deviceGroups.map((g) => g.key).join(', ') || 'none'})`,
      }));
    }
  }
  for (const g of template.deviceGroups) {
    const profile = profiles(g.profile);
    if (!profile) {
      problems.push(problem('unknown-profile', ['deviceGroups', g.key], { zh: `未知的设备模型 “${g.profile}”`, en: `unknown device profile "${g.profile}"` }));
      continue;
    }
    const entries = instance.devices[g.key] ?? [];
    if (entries.length < g.min || entries.length > g.max) {
      problems.push(problem('device-count', ['devices', g.key], {
        zh: `设备组 “${g.key}”（${g.label.zh}）应有 ${g.min}～${g.max} 台设备，实际 ${entries.length} 台`,
        en: `device group "${g.key}" (${g.label.en}) needs ${g.min} to ${g.max} devices, got ${entries.length}`,
      }));
    }
    const resolved: DeviceEntry[] = [];
    entries.forEach((entry, i) => {
      const path: JsonPath = ['devices', g.key, i];
      if (Object.hasOwn(entry, 'profile')) {
        problems.push(problem('profile-from-group', [...path, 'profile'], { zh: '设备模型由设备组决定，不能逐台指定', en: 'the profile comes from the device group; a device cannot set its own' }));
        return;
      }
      // Checked with the profile's id: the profile itself was checked once, not once a device.
      const r = DeviceEntrySchema.safeParse({ ...entry, profile: g.profile }, { reportInput: true });
      if (!r.success) {
        problems.push(...zodProblems(r.error, path, 'invalid-device'));
        return;
      }
      const other = names.get(r.data.name);
      if (other !== undefined) {
        problems.push(problem('duplicate-device', [...path, 'name'], { zh: `设备名 “${r.data.name}” 已用于 ${other}`, en: `device name "${r.data.name}" is already used by ${other}` }));
        return;
      }
      names.set(r.data.name, `devices.${g.key}[${i}]`);
      resolved.push(r.data);
    });
    groupEntries.set(g.key, resolved.map((e) => ({ ...e, profile })));
    devices.push({ group: g.key, profile: g.profile, entries: resolved });
    usedProfiles.set(g.profile, profile);
  }
  const uplink = checkUplinkPolicy(instance.uplink, ['uplink']);
  if (!uplink.ok) problems.push(...uplink.problems);
  if (hasErrors(problems) || !uplink.ok) return { ok: false, problems };

  let doc: JsonValue;
  try {
    doc = applyChanges(scenarioDocument(chosen), overridesAsChanges(instance));
  } catch (err) {
    if (!(err instanceof ChangeError)) throw err;
    const i = instance.overrides.findIndex((o) => o.path === formatChangePath(err.path));
    return { ok: false, problems: [problem('override-does-not-apply', ['overrides', Math.max(0, i), 'path'], {
      zh: `本地修改无法应用到 ${templateRef(template)}：${err.message}`,
      en: `a local change does not apply to ${templateRef(template)}: ${err.message}`,
    })] };
  }
  const scenarios = (doc as { scenarios: Scenario[] }).scenarios;
  const portableFlows = scenarios.map((s) => substitute(s.flow, (ref) => (ref.kind === 'param' ? values[ref.key] : { $deviceGroup: ref.key })) as Record<string, unknown>);
  const flows = portableFlows.map((f) => substitute(f, (ref) => (ref.kind === 'deviceGroup' ? groupEntries.get(ref.key) : { $param: ref.key })) as Record<string, unknown>);
  flows.forEach((flow, i) => {
    for (const p of validateFlow(flow, catalog).problems) problems.push({ ...p, path: ['scenarios', scenarios[i]!.key, 'flow', ...p.path], at: `scenarios.${scenarios[i]!.key}.flow.${p.at}` });
  });
  if (hasErrors(problems)) return { ok: false, problems };
  return {
    ok: true,
    problems,
    content: {
      template: templateRef(template),
      scenarios: scenarios.map((s) => s.key),
      parameters: values,
      flows,
      portableFlows,
      devices,
      profiles: [...usedProfiles.keys()].sort().map((id) => usedProfiles.get(id)!),
      dashboards: scenarios.map((s) => ({ scenario: s.key, title: s.title, ...s.dashboard })),
      uplink: uplink.policy,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Scenario tests against their template (kept apart: checkTemplate only calls it).

/** A scenario flow's nodes as far as they are objects (the flow's own check reports the rest). */
function flowNodes(s: Scenario): Record<string, unknown>[] {
  const nodes = s.flow.nodes;
  return Array.isArray(nodes) ? nodes.filter((n): n is Record<string, unknown> => typeof n === 'object' && n !== null) : [];
}

function didYouMean(word: string, candidates: readonly string[]): { zh: string; en: string } {
  const guess = closest(word, candidates);
  return guess ? { zh: `，是否指 “${guess}”？`, en: `; did you mean "${guess}"?` } : { zh: '', en: '' };
}

/**
 * What a template's scenario tests name that the template does not have: scenarios, nodes,
 * parameters (and values outside their range), device groups, devices, tags; times past the
 * end of a test are warnings. Each problem has its path, e.g. `tests[2].expect[1].node`.
 */
export function scenarioTestProblems(t: Template, profiles: ReadonlyMap<string, DeviceProfile>): Problem[] {
  const out: Problem[] = [];
  const params = new Map(t.parameters.map((p) => [p.key, p]));
  const scenarios = new Map(t.scenarios.map((s) => [s.key, s]));
  const configs = t.scenarios.flatMap((s) => flowNodes(s).map((n) => (typeof n.config === 'object' && n.config !== null ? n.config as Record<string, unknown> : {})));
  const alarmCodes = new Set(configs.map((c) => c.code).filter((c): c is string => typeof c === 'string'));
  // Series of no device of the site (a workshop total) are written under a name a node sets.
  const seriesDevices = new Set(configs.map((c) => c.device).filter((d): d is string => typeof d === 'string'));
  t.tests.forEach((test, ti) => {
    const at = (...rest: (string | number)[]): JsonPath => ['tests', ti, ...rest];
    const err = (code: string, path: JsonPath, zh: string, en: string, severity: 'error' | 'warning' = 'error') => out.push(problem(code, path, { zh, en }, { severity }));
    const duration = testTimeMs(test.durationMs) ?? 0;
    const late = (value: string | number | undefined, path: JsonPath) => {
      const ms = testTimeMs(value);
      if (ms !== undefined && ms > duration) err('test-time-after-end', path, `时间 ${String(value)} 在测试结束（${String(test.durationMs)}）之后`, `${String(value)} is after the end of the test (${String(test.durationMs)})`, 'warning');
    };
    const run = new Set(t.scenarios.filter((s) => s.kind === 'N').map((s) => s.key));
    test.scenarios.forEach((key, i) => {
      const s = scenarios.get(key);
      if (!s) err('unknown-scenario', at('scenarios', i), `模板没有场景 “${key}”${didYouMean(key, [...scenarios.keys()]).zh}`, `the template has no scenario "${key}"${didYouMean(key, [...scenarios.keys()]).en}`);
      else if (s.kind === 'N') err('base-scenario-chosen', at('scenarios', i), `“${key}” 是 N（基础）场景，总是运行，不必选择`, `"${key}" is an N (base) scenario; it always runs`, 'warning');
      else run.add(key);
    });
    for (const [key, value] of Object.entries(test.parameters)) {
      const p = params.get(key);
      if (!p) {
        err('unknown-parameter', at('parameters', key), `模板没有参数 “${key}”${didYouMean(key, [...params.keys()]).zh}`, `the template has no parameter "${key}"${didYouMean(key, [...params.keys()]).en}`);
        continue;
      }
      const c = checkParameter(p, value, at('parameters', key));
      if (c.problem) out.push(c.problem);
    }
    // The devices the test's instance will have, by group.
    const devices = new Map<string, string>();
    for (const g of t.deviceGroups) {
      const n = testDeviceCount(g, test);
      for (let k = 1; k <= n; k++) devices.set(testDeviceName(g.key, k, n), g.key);
    }
    const knownDevice = (name: string | undefined, path: JsonPath) => {
      if (name === undefined || devices.has(name)) return;
      err('unknown-device', path, `测试中没有设备 “${name}”（设备命名为 <设备组>-01 …）${didYouMean(name, [...devices.keys()]).zh}`, `the test has no device "${name}" (devices are named <group>-01 …)${didYouMean(name, [...devices.keys()]).en}`);
    };
    const tagIn = (tag: string, groupKeys: readonly string[], path: JsonPath) => {
      const tags = groupKeys.flatMap((g) => profiles.get(g)?.tags.map((x) => x.key) ?? []);
      if (groupKeys.some((g) => !profiles.has(g)) || tags.includes(tag)) return;
      err('unknown-tag', path, `设备模型没有点位 “${tag}”${didYouMean(tag, tags).zh}`, `the device profile has no tag "${tag}"${didYouMean(tag, tags).en}`);
    };
    for (const [key, sim] of Object.entries(test.devices)) {
      const g = t.deviceGroups.find((x) => x.key === key);
      if (!g) {
        err('unknown-device-group', at('devices', key), `模板没有设备组 “${key}”${didYouMean(key, t.deviceGroups.map((x) => x.key)).zh}`, `the template has no device group "${key}"${didYouMean(key, t.deviceGroups.map((x) => x.key)).en}`);
        continue;
      }
      const n = testDeviceCount(g, test);
      if (n < g.min || n > g.max) err('device-count', at('devices', key, 'count'), `设备组 “${key}” 应有 ${g.min}～${g.max} 台设备，测试给了 ${n} 台`, `device group "${key}" takes ${g.min} to ${g.max} devices; the test gives ${n}`);
      sim.events.forEach((e, ei) => {
        const path = at('devices', key, 'events', ei);
        if (typeof e.device === 'number' && e.device > n) err('unknown-device', [...path, 'device'], `设备组 “${key}” 只有 ${n} 台设备，没有第 ${e.device} 台`, `device group "${key}" has ${n} devices, not a number ${e.device}`);
        if (typeof e.device === 'string' && devices.has(e.device) && devices.get(e.device) !== key) {
          err('device-of-other-group', [...path, 'device'], `设备 “${e.device}” 属于设备组 “${devices.get(e.device)}”，不属于 “${key}”`, `device "${e.device}" belongs to group "${devices.get(e.device)}", not "${key}"`);
        } else if (typeof e.device === 'string') knownDevice(e.device, [...path, 'device']);
        if (e.tag !== undefined) tagIn(e.tag, [key], [...path, 'tag']);
        late(e.at, [...path, 'at']);
      });
    }
    test.expect.forEach((e, ei) => {
      const path = at('expect', ei);
      if (e.kind !== 'history' || !seriesDevices.has(e.device)) knownDevice(e.device, [...path, 'device']);
      late(e.from, [...path, 'from']);
      late(e.to, [...path, 'to']);
      if (e.kind === 'alarm' || (e.kind === 'no-alarm' && e.code !== undefined)) {
        const code = e.code!;
        if (!alarmCodes.has(code)) err('unknown-alarm-code', [...path, 'code'], `模板中没有节点发出报警代码 “${code}”${didYouMean(code, [...alarmCodes]).zh}`, `no node of the template raises alarm code "${code}"${didYouMean(code, [...alarmCodes]).en}`, 'warning');
      }
      if (e.kind !== 'output') return;
      const s = scenarios.get(e.scenario);
      if (!s) {
        err('unknown-scenario', [...path, 'scenario'], `模板没有场景 “${e.scenario}”${didYouMean(e.scenario, [...scenarios.keys()]).zh}`, `the template has no scenario "${e.scenario}"${didYouMean(e.scenario, [...scenarios.keys()]).en}`);
        return;
      }
      if (!run.has(e.scenario)) err('scenario-not-run', [...path, 'scenario'], `本测试不运行可选场景 “${e.scenario}”，请把它加入 scenarios`, `this test does not run the optional scenario "${e.scenario}"; add it to scenarios`);
      const nodes = flowNodes(s).map((n) => String(n.id));
      if (!nodes.includes(e.node)) err('unknown-node', [...path, 'node'], `场景 “${e.scenario}” 没有节点 “${e.node}”${didYouMean(e.node, nodes).zh}`, `scenario "${e.scenario}" has no node "${e.node}"${didYouMean(e.node, nodes).en}`);
      if (e.matchesCounter) tagIn(e.matchesCounter.tag, e.device !== undefined && devices.has(e.device) ? [devices.get(e.device)!] : t.deviceGroups.map((g) => g.key), [...path, 'matchesCounter', 'tag']);
    });
  });
  return out;
}
