import type { Instance, Override } from './instance';
import type { Change, JsonValue } from './json-changes';
import { ChangeError, applyChanges, deepEqual, diffJson, formatChangePath, overlaps } from './json-changes';
import type { Text } from './text';
import { checkParameter, overridesAsChanges } from './resolve-instance';
import type { Template } from './template';
import { templateRef } from './template';

export type ConflictKind = 'change' | 'gone' | 'scenario' | 'parameter' | 'device-group';

/** One thing both the template and the site changed; nothing is decided for the site. */
export interface UpgradeConflict {
  readonly id: string;
  readonly kind: ConflictKind;
  readonly path: string;
  /** What the new template version does there. */
  readonly template: Text;
  /** What the site had done there. */
  readonly site: Text;
}

export interface TemplateChange {
  readonly path: string;
  readonly op: Change['op'];
  readonly text: Text;
}

export interface UpgradePlan {
  readonly from: string;
  readonly to: string;
  /** Baseline changes that flow into the copy. */
  readonly templateChanges: readonly TemplateChange[];
  /** Site changes that carry over unchanged. */
  readonly kept: readonly Override[];
  /** Site changes the new version already makes: no longer needed. */
  readonly absorbed: readonly Override[];
  readonly conflicts: readonly UpgradeConflict[];
  /** Parameters the new version no longer has: their values go. */
  readonly droppedParameters: readonly string[];
  /** New parameters that take their default. */
  readonly newParameters: readonly string[];
}

export type ConflictChoice = 'site' | 'template';

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
};

function describeChange(c: Change | Override, lang: 'zh' | 'en'): string {
  const path = 'path' in c && typeof c.path === 'string' ? c.path : formatChangePath((c as Change).path);
  switch (c.op) {
    case 'set': return lang === 'zh' ? `把 ${path} 改为 ${show(c.value)}` : `sets ${path} to ${show(c.value)}`;
    case 'add': return lang === 'zh' ? `新增 ${path}` : `adds ${path}`;
    case 'remove': return lang === 'zh' ? `删除 ${path}` : `removes ${path}`;
  }
}

const text = (c: Change | Override): Text => ({ zh: describeChange(c, 'zh'), en: describeChange(c, 'en') });

function scenarioDoc(t: Template): JsonValue {
  return { scenarios: t.scenarios as unknown as JsonValue } as JsonValue;
}

/**
 * The three-way merge of an upgrade: base = the template version the copy was made from,
 * theirs = the new version, ours = the site's overrides. Template changes flow in, site changes
 * stay, and wherever both touched the same thing the plan lists a conflict with both sides.
 */
export function planUpgrade(from: Template, to: Template, instance: Instance): UpgradePlan {
  const theirs = diffJson(scenarioDoc(from), scenarioDoc(to));
  const ours = overridesAsChanges(instance);
  const kept: Override[] = [];
  const absorbed: Override[] = [];
  const conflicts: UpgradeConflict[] = [];
  const add = (c: Omit<UpgradeConflict, 'id'>) => conflicts.push({ id: `c${conflicts.length + 1}`, ...c });

  ours.forEach((o, i) => {
    const override = instance.overrides[i]!;
    const touching = theirs.filter((t) => overlaps(t.path, o.path));
    if (touching.length === 0) {
      kept.push(override);
      return;
    }
    if (touching.length === 1 && touching[0]!.op === o.op && deepEqual(touching[0]!.path, o.path) && deepEqual((touching[0] as { value?: unknown }).value, (o as { value?: unknown }).value)) {
      absorbed.push(override);
      return;
    }
    const gone = touching.some((t) => t.op === 'remove' && t.path.length <= o.path.length);
    add({
      kind: gone ? 'gone' : 'change',
      path: override.path,
      template: { zh: `新版本${touching.map((t) => describeChange(t, 'zh')).join('；')}`, en: `the new version ${touching.map((t) => describeChange(t, 'en')).join('; ')}` },
      site: { zh: `本站点${describeChange(override, 'zh')}`, en: `this site ${describeChange(override, 'en')}` },
    });
  });

  // A kept change may still fail on the new version (its parent moved): that is a conflict too.
  let doc = scenarioDoc(to);
  for (const o of [...kept]) {
    try {
      doc = applyChanges(doc, overridesAsChanges({ ...instance, overrides: [o] }));
    } catch (err) {
      if (!(err instanceof ChangeError)) throw err;
      kept.splice(kept.indexOf(o), 1);
      add({ kind: 'gone', path: o.path, template: { zh: `新版本中 ${err.message}`, en: `in the new version ${err.message}` }, site: { zh: `本站点${describeChange(o, 'zh')}`, en: `this site ${describeChange(o, 'en')}` } });
    }
  }

  for (const key of instance.scenarios) {
    const next = to.scenarios.find((s) => s.key === key);
    if (!next) {
      add({ kind: 'scenario', path: `/scenarios/${key}`, template: { zh: `新版本删除了可选场景 “${key}”`, en: `the new version removes optional scenario "${key}"` }, site: { zh: `本站点运行该场景`, en: 'this site runs it' } });
    }
  }

  const droppedParameters = Object.keys(instance.parameters).filter((k) => !to.parameters.some((p) => p.key === k));
  const newParameters = to.parameters.filter((p) => !from.parameters.some((q) => q.key === p.key)).map((p) => p.key);
  for (const p of to.parameters) {
    const given = instance.parameters[p.key];
    if (given === undefined) {
      if (p.default === undefined && p.required) {
        add({ kind: 'parameter', path: `/parameters/${p.key}`, template: { zh: `新版本要求参数 “${p.key}”（${p.label.zh}），且没有默认值`, en: `the new version requires parameter "${p.key}" (${p.label.en}) with no default` }, site: { zh: '本站点没有设置', en: 'this site has no value for it' } });
      }
      continue;
    }
    const checked = checkParameter(p, given, ['parameters', p.key]);
    if (checked.problem) {
      add({ kind: 'parameter', path: `/parameters/${p.key}`, template: { zh: `新版本：${checked.problem.message.zh}`, en: `the new version: ${checked.problem.message.en}` }, site: { zh: `本站点的值为 ${show(given)}`, en: `this site has ${show(given)}` } });
    }
  }

  for (const key of Object.keys(instance.devices)) {
    if ((instance.devices[key]?.length ?? 0) > 0 && !to.deviceGroups.some((g) => g.key === key)) {
      add({ kind: 'device-group', path: `/devices/${key}`, template: { zh: `新版本删除了设备组 “${key}”`, en: `the new version removes device group "${key}"` }, site: { zh: `本站点在其中登记了 ${instance.devices[key]!.length} 台设备`, en: `this site lists ${instance.devices[key]!.length} devices in it` } });
    }
  }

  return {
    from: templateRef(from),
    to: templateRef(to),
    templateChanges: theirs.map((t) => ({ path: formatChangePath(t.path), op: t.op, text: text(t) })),
    kept,
    absorbed,
    conflicts,
    droppedParameters,
    newParameters,
  };
}

export class UnresolvedConflicts extends Error {
  constructor(readonly conflicts: readonly UpgradeConflict[]) {
    super(`${conflicts.length} conflict(s) need a choice: ${conflicts.map((c) => c.id).join(', ')}`);
  }
}

/**
 * The upgraded instance, once every conflict has a choice: `site` keeps the site's change or
 * parameter value, `template` takes the new version's. What the new version no longer has (a
 * scenario, a device group, the thing a change applied to) can only be let go: `template`.
 * Resolve the result again: a kept value may still be out of the new range.
 */
export function applyUpgrade(plan: UpgradePlan, instance: Instance, to: Template, choices: Readonly<Record<string, ConflictChoice>>): Instance {
  const open = plan.conflicts.filter((c) => choices[c.id] === undefined);
  if (open.length > 0) throw new UnresolvedConflicts(open);
  const overrides = [...plan.kept];
  const scenarios = instance.scenarios.filter((k) => to.scenarios.some((s) => s.key === k));
  const parameters: Record<string, unknown> = Object.fromEntries(Object.entries(instance.parameters).filter(([k]) => !plan.droppedParameters.includes(k)));
  const devices = { ...instance.devices };
  for (const c of plan.conflicts) {
    const choice = choices[c.id];
    if ((c.kind === 'scenario' || c.kind === 'device-group' || c.kind === 'gone') && choice === 'site') {
      throw new UnresolvedConflicts([c]);
    }
    if (c.kind === 'change' && choice === 'site') {
      const o = instance.overrides.find((x) => x.path === c.path);
      if (o) overrides.push(o);
    }
    if (c.kind === 'parameter' && choice === 'template') delete parameters[c.path.split('/')[2]!];
    if (c.kind === 'device-group') delete devices[c.path.split('/')[2]!];
  }
  return { ...instance, template: templateRef(to), scenarios, parameters, devices, overrides };
}
