import { randomBytes } from 'node:crypto';
import { instanceHash } from '../../runtime/bundle/instance-bundle';
import type { ConflictChoice, Instance, NodeCatalog, Override, Problem, ProfileLookup, Template, Text, UpgradePlan } from '../../runtime/model';
import { InstanceSchema, UnresolvedConflicts, applyUpgrade, compareVersions, parseTemplateRef, planUpgrade, problem, resolveInstance, templateRef, zodProblems } from '../../runtime/model';
import { ApiError } from '../../runtime/server/api-error';
import { instanceScope, mayChangeInstance } from './access';
import type { StudioDb } from './database';
import { overridesInScenariosNotRun } from '../../runtime/library/copy-sample';
import { devicesFromCsv, withCsvLine } from '../../runtime/library/device-csv';
import type { Locate } from '../../runtime/library/device-checks';
import { deviceProblems, jsonLocate } from '../../runtime/library/device-checks';
import type { Enterprises } from './enterprises';
import { conflict, notFound, summarise, unprocessable } from './errors';
import type { Actor } from './roles';
import type { TemplateStore } from './template-store';

/** Devices as a request may give them: per group (the instance format), a list, or CSV text. */
export type DevicesInput = Record<string, unknown> | unknown[] | string;

export interface InstanceFields {
  readonly name?: string;
  readonly site?: string;
  readonly scenarios?: string[];
  /** Merged into the parameters; `null` removes a value (the template default applies again). */
  readonly parameters?: Record<string, unknown>;
  readonly devices?: DevicesInput;
  /** The device group a list or CSV without a `group` column belongs to (needed when the template has several). */
  readonly deviceGroup?: string;
  readonly overrides?: Override[];
  /** The uplink policy: what the enterprise agrees may leave its site; `null` withdraws it. */
  readonly uplink?: unknown;
}

export interface NewInstance extends InstanceFields {
  readonly template: string;
  readonly enterprise?: string;
  readonly sample?: boolean;
  readonly site: string;
}

export interface CopyInstance extends InstanceFields {
  readonly enterprise?: string;
  readonly site: string;
}

export interface InstanceView {
  readonly id: string;
  readonly name: string;
  readonly enterprise: string | null;
  readonly sample: boolean;
  readonly template: string;
  readonly revision: number;
  readonly hash: string;
  readonly copiedFrom: string | null;
  readonly site: { readonly id: string; readonly name: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly instance: Instance;
}

export interface InstanceRow {
  id: string;
  name: string;
  enterprise_id: number | null;
  enterprise: string | null;
  sample: number;
  template_id: string;
  template_version: string;
  doc: string;
  doc_hash: string;
  revision: number;
  copied_from: string | null;
  created_at: number;
  updated_at: number;
  site_id: string | null;
  site_name: string | null;
}

export interface Instances {
  create(actor: Actor, input: NewInstance): InstanceView;
  copy(actor: Actor, sourceId: string, input: CopyInstance): InstanceView;
  update(actor: Actor, id: string, input: InstanceFields & { revision?: number }): { before: string; view: InstanceView };
  get(actor: Actor, id: string): InstanceView;
  list(actor: Actor, q: { template?: string; sample?: boolean; page: number; pageSize: number }): { instances: Omit<InstanceView, 'instance'>[]; total: number };
  plan(actor: Actor, id: string, to: string | undefined): { plan: UpgradePlan; revision: number };
  upgrade(actor: Actor, id: string, to: string | undefined, choices: Record<string, ConflictChoice>, revision: number | undefined): { plan: UpgradePlan; view: InstanceView };
  /** For the bundle builder and the fleet: the stored row, no access check. */
  row(id: string): InstanceRow | undefined;
  /** Deletes an instance no site is bound to; deployment records keep its hash, copies lose the link. */
  remove(actor: Actor, id: string): { name: string; hash: string };
}

const SELECT = `SELECT i.*, e.name AS enterprise, s.id AS site_id, s.name AS site_name FROM instances i
  LEFT JOIN enterprises e ON e.id = i.enterprise_id LEFT JOIN sites s ON s.instance_id = i.id`;

const WHAT: Text = { zh: '实例', en: 'instance' };

export function view(r: InstanceRow): InstanceView {
  return {
    ...summaryOf(r),
    instance: JSON.parse(r.doc) as Instance,
  };
}

function summaryOf(r: InstanceRow): Omit<InstanceView, 'instance'> {
  return {
    id: r.id, name: r.name, enterprise: r.enterprise, sample: r.sample === 1, template: `${r.template_id}@${r.template_version}`,
    revision: r.revision, hash: r.doc_hash, copiedFrom: r.copied_from, site: r.site_id ? { id: r.site_id, name: r.site_name! } : null,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export interface InstancesOptions {
  readonly db: StudioDb;
  readonly now: () => number;
  readonly templates: TemplateStore;
  readonly enterprises: Enterprises;
  readonly profiles: ProfileLookup;
  readonly catalog: NodeCatalog;
}

export function createInstances(o: InstancesOptions): Instances {
  const { db, now } = o;
  const byId = db.prepare<[string], InstanceRow>(`${SELECT} WHERE i.id = ?`);

  function template(ref: string, path: (string | number)[] = ['template']): Template {
    const t = o.templates.published(ref);
    if (t) return t;
    const parsed = parseTemplateRef(ref);
    const known = parsed ? o.templates.versions(parsed.id, false).map((v) => v.version) : [];
    throw unprocessable('unknown-template', {
      zh: `没有已发布的模板 ${ref}${known.length ? `（已发布：${known.join('、')}）` : ''}`,
      en: `no published template ${ref}${known.length ? ` (published: ${known.join(', ')})` : ''}`,
    }, [problem('unknown-template', path, { zh: `没有已发布的模板 ${ref}`, en: `no published template ${ref}` })]);
  }

  /** Devices in the instance format, with CSV lines kept for messages about them later. */
  function devicesOf(t: Template, input: DevicesInput, group: string | undefined): { devices: Record<string, unknown[]>; locate: Locate; lines?: ReadonlyMap<string, number> } {
    const groups = t.deviceGroups.map((g) => g.key);
    const single = group ?? (groups.length === 1 ? groups[0] : undefined);
    if (group !== undefined && !groups.includes(group)) {
      throw unprocessable('unknown-device-group', { zh: `模板没有设备组 “${group}”（有：${groups.join('、')}）`, en: `the template has no device group "${group}" (it has: ${groups.join(', ')})` },
        [problem('unknown-device-group', ['deviceGroup'], { zh: `模板没有设备组 “${group}”`, en: `the template has no device group "${group}"` })]);
    }
    if (typeof input === 'string') {
      const csv = devicesFromCsv(input, groups, single);
      if (csv.problems.length > 0) throw unprocessable('invalid-devices', summarise({ zh: '设备清单有错误', en: 'the device list has problems' }, csv.problems), csv.problems);
      return { devices: csv.devices, locate: jsonLocate, lines: csv.lines };
    }
    if (Array.isArray(input)) {
      if (single === undefined) {
        throw unprocessable('device-group-needed', { zh: `模板有多个设备组（${groups.join('、')}），请用 deviceGroup 指明这份清单属于哪一组`, en: `the template has several device groups (${groups.join(', ')}): say which one this list is for with deviceGroup` }, []);
      }
      const locate: Locate = (_g, i, field) => ({ path: ['devices', i, field], where: { zh: `devices[${i}].${field}：`, en: `devices[${i}].${field}: ` } });
      return { devices: { [single]: input }, locate };
    }
    return { devices: input as Record<string, unknown[]>, locate: jsonLocate };
  }

  /**
   * The check every save passes: the instance resolves against its template version (types,
   * ranges, device groups, scenarios, overrides, flows), and no two devices share a Modbus
   * address. Returns the normalised document.
   */
  function validate(doc: Record<string, unknown>, t: Template, devices?: { locate: Locate; lines?: ReadonlyMap<string, number> }): Instance {
    const parsed = InstanceSchema.safeParse(doc, { reportInput: true });
    if (!parsed.success) {
      const problems = zodProblems(parsed.error, [], 'invalid-instance');
      throw unprocessable('invalid-instance', summarise({ zh: '实例有错误', en: 'the instance has problems' }, problems), problems);
    }
    const instance = parsed.data;
    const problems: Problem[] = [];
    const resolved = resolveInstance(t, instance, o.profiles, o.catalog);
    if (!resolved.ok) problems.push(...resolved.problems.map((p) => withCsvLine(p, devices?.lines)));
    problems.push(...deviceProblems(instance.devices, devices?.locate));
    if (problems.some((p) => p.severity === 'error')) {
      throw unprocessable('invalid-instance', summarise({ zh: '实例有错误', en: 'the instance has problems' }, problems), problems);
    }
    return instance;
  }

  function load(actor: Actor, id: string): InstanceRow {
    const scope = instanceScope(actor);
    const row = db.prepare<unknown[], InstanceRow>(`${SELECT} WHERE i.id = ? AND ${scope.sql}`).get(id, ...scope.params);
    if (!row) throw notFound(WHAT);
    return row;
  }

  function loadForChange(actor: Actor, id: string): InstanceRow {
    const row = load(actor, id);
    if (!mayChangeInstance(actor, row)) {
      // A sample firm is visible to every enterprise, but only its contractor changes it.
      throw new ApiError(403, 'read-only', { zh: '示范样本只能复制，不能修改；请先复制（POST /api/instances/:id/copy）', en: 'a sample firm can be copied, not changed; copy it first (POST /api/instances/:id/copy)' });
    }
    return row;
  }

  /** Which enterprise a new instance belongs to, by who makes it. */
  function owner(actor: Actor, enterprise: string | undefined, sample: boolean): { enterpriseId: number | null; name: string } {
    if (actor.role === 'enterprise') {
      if (sample) throw unprocessable('not-allowed', { zh: '只有总承包商能创建示范样本', en: 'only a contractor makes sample firms' }, [problem('not-allowed', ['sample'], { zh: '只有总承包商能创建示范样本', en: 'only a contractor makes sample firms' })]);
      if (enterprise !== undefined && enterprise !== actor.enterprise) {
        throw unprocessable('wrong-enterprise', { zh: `你只能为本企业（${actor.enterprise}）创建实例`, en: `you can only make instances for your own enterprise (${actor.enterprise})` },
          [problem('wrong-enterprise', ['enterprise'], { zh: `应为 “${actor.enterprise}” 或不填`, en: `must be "${actor.enterprise}" or left out` })]);
      }
      return { enterpriseId: actor.enterpriseId, name: actor.enterprise! };
    }
    if (enterprise === undefined || enterprise.trim() === '') {
      throw unprocessable('enterprise-needed', { zh: '请填写企业名称（示范样本填样本企业的名称）', en: 'name the enterprise (for a sample firm, the sample firm\'s name)' },
        [problem('enterprise-needed', ['enterprise'], { zh: '必填', en: 'required' })]);
    }
    return { enterpriseId: sample ? null : o.enterprises.ensure(enterprise.trim()), name: enterprise.trim() };
  }

  const insert = db.prepare(`INSERT INTO instances (id, name, enterprise_id, sample, template_id, template_version, doc, doc_hash, revision, copied_from, created_by, created_at, updated_at)
    VALUES (@id, @name, @enterprise_id, @sample, @template_id, @template_version, @doc, @doc_hash, 1, @copied_from, @by, @at, @at)`);

  function store(actor: Actor, doc: Instance, t: Template, f: { name: string; enterpriseId: number | null; sample: boolean; copiedFrom: string | null }): InstanceView {
    const id = `ins_${randomBytes(9).toString('base64url')}`;
    insert.run({
      id, name: f.name, enterprise_id: f.enterpriseId, sample: f.sample ? 1 : 0, template_id: t.id, template_version: t.version,
      doc: JSON.stringify(doc), doc_hash: instanceHash(doc), copied_from: f.copiedFrom, by: actor.id, at: now(),
    });
    return view(byId.get(id)!);
  }

  function mergeParameters(base: Record<string, unknown>, patch: Record<string, unknown> | undefined): Record<string, unknown> {
    if (!patch) return base;
    const out = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  }

  function applyFields(t: Template, base: Record<string, unknown>, f: InstanceFields) {
    const doc: Record<string, unknown> = { ...base };
    if (f.site !== undefined) doc.site = f.site;
    if (f.scenarios !== undefined) doc.scenarios = f.scenarios;
    if (f.overrides !== undefined) doc.overrides = f.overrides;
    if (f.uplink === null) delete doc.uplink;
    else if (f.uplink !== undefined) doc.uplink = f.uplink;
    doc.parameters = mergeParameters((base.parameters as Record<string, unknown> | undefined) ?? {}, f.parameters);
    let devices: { locate: Locate; lines?: ReadonlyMap<string, number> } | undefined;
    if (f.devices !== undefined) {
      const d = devicesOf(t, f.devices, f.deviceGroup);
      doc.devices = d.devices;
      devices = d;
    }
    return { doc, devices };
  }

  /** Consent to send data off site is the enterprise's own: nobody else gives or changes it. */
  function checkConsent(actor: Actor, f: InstanceFields) {
    if (f.uplink !== undefined && actor.role !== 'enterprise') {
      throw new ApiError(403, 'consent-by-enterprise', {
        zh: '上传策略（哪些数据可以离开工厂）只能由企业自己设定或撤回',
        en: 'the uplink policy (what data may leave the site) is set or withdrawn by the enterprise alone',
      });
    }
  }

  return {
    create(actor, input) {
      checkConsent(actor, input);
      const t = template(input.template);
      const sample = input.sample === true;
      const who = owner(actor, input.enterprise, sample);
      const { doc, devices } = applyFields(t, { schemaVersion: 1, template: templateRef(t), enterprise: who.name, site: input.site }, input);
      const instance = validate(doc, t, devices);
      return db.transaction(() => store(actor, instance, t, { name: input.name ?? `${who.name} · ${t.title.zh}`, enterpriseId: who.enterpriseId, sample, copiedFrom: null }))();
    },

    copy(actor, sourceId, input) {
      const source = load(actor, sourceId);
      const t = template(`${source.template_id}@${source.template_version}`);
      const who = owner(actor, input.enterprise, false);
      // One enterprise's consent does not pass to another with a copy.
      const { uplink: _consent, ...copied } = JSON.parse(source.doc) as Record<string, unknown>;
      checkConsent(actor, input);
      // The sample's changes inside X scenarios this copy does not run go with the scenario.
      const dropped = input.scenarios === undefined ? [] : overridesInScenariosNotRun(t, (copied.overrides as Override[] | undefined) ?? [], input.scenarios);
      const base = { ...copied, enterprise: who.name, ...(dropped.length > 0 ? { overrides: (copied.overrides as Override[]).filter((o) => !dropped.includes(o)) } : {}) };
      const { doc, devices } = applyFields(t, base, input);
      const instance = validate(doc, t, devices);
      return db.transaction(() => store(actor, instance, t, { name: input.name ?? `${who.name} · ${t.title.zh}`, enterpriseId: who.enterpriseId, sample: false, copiedFrom: source.id }))();
    },

    update(actor, id, input) {
      checkConsent(actor, input);
      const row = loadForChange(actor, id);
      if (input.revision !== undefined && input.revision !== row.revision) {
        throw conflict('stale-revision', { zh: `实例已被修改（当前修订号 ${row.revision}，你的是 ${input.revision}）；请重新读取后再改`, en: `the instance changed meanwhile (revision ${row.revision}, yours is ${input.revision}); read it again and redo the change` });
      }
      const t = template(`${row.template_id}@${row.template_version}`);
      const { doc, devices } = applyFields(t, JSON.parse(row.doc) as Record<string, unknown>, input);
      const instance = validate(doc, t, devices);
      return db.transaction(() => {
        // The revision guards against two editors: only the one who read the current revision writes.
        const changed = db.prepare('UPDATE instances SET name = ?, doc = ?, doc_hash = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ?')
          .run(input.name ?? row.name, JSON.stringify(instance), instanceHash(instance), now(), id, row.revision);
        if (changed.changes === 0) throw conflict('stale-revision', { zh: '实例刚被别人修改；请重新读取后再改', en: 'someone changed the instance just now; read it again and redo the change' });
        return { before: row.doc_hash, view: view(byId.get(id)!) };
      })();
    },

    get: (actor, id) => view(load(actor, id)),

    remove(actor, id) {
      const row = loadForChange(actor, id);
      if (row.site_id !== null) {
        throw conflict('instance-bound', {
          zh: `实例绑定在站点 “${row.site_name}” 上：请先为该站点换绑或解除绑定，再删除`,
          en: `the instance is bound to site "${row.site_name}": bind the site to another instance or unbind it first`,
        });
      }
      db.transaction(() => {
        db.prepare('UPDATE instances SET copied_from = NULL WHERE copied_from = ?').run(id);
        db.prepare('UPDATE deployments SET instance_id = NULL WHERE instance_id = ?').run(id);
        db.prepare('DELETE FROM instances WHERE id = ?').run(id);
      })();
      return { name: row.name, hash: row.doc_hash };
    },

    list(actor, q) {
      const scope = instanceScope(actor);
      const where = [scope.sql];
      const params: unknown[] = [...scope.params];
      if (q.template !== undefined) {
        const ref = parseTemplateRef(q.template);
        where.push(ref ? 'i.template_id = ? AND i.template_version = ?' : 'i.template_id = ?');
        params.push(...(ref ? [ref.id, ref.version] : [q.template]));
      }
      if (q.sample !== undefined) {
        where.push('i.sample = ?');
        params.push(q.sample ? 1 : 0);
      }
      const clause = where.join(' AND ');
      const total = db.prepare(`SELECT count(*) FROM instances i WHERE ${clause}`).pluck().get(...params) as number;
      const rows = db.prepare<unknown[], InstanceRow>(`${SELECT} WHERE ${clause} ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?`).all(...params, q.pageSize, (q.page - 1) * q.pageSize);
      return { total, instances: rows.map(summaryOf) };
    },

    plan(actor, id, to) {
      const row = load(actor, id);
      return { plan: planFor(row, to).plan, revision: row.revision };
    },

    upgrade(actor, id, to, choices, revision) {
      const row = loadForChange(actor, id);
      if (revision !== undefined && revision !== row.revision) {
        throw conflict('stale-revision', { zh: `实例已被修改（当前修订号 ${row.revision}）；请重新生成升级计划`, en: `the instance changed meanwhile (revision ${row.revision}); make the upgrade plan again` });
      }
      const { plan, from, target, instance } = planFor(row, to);
      const problems: Problem[] = [];
      for (const [key, choice] of Object.entries(choices)) {
        const c = plan.conflicts.find((x) => x.id === key);
        if (!c) problems.push(problem('unknown-conflict', ['choices', key], { zh: `计划中没有冲突 “${key}”（有：${plan.conflicts.map((x) => x.id).join('、') || '无'}）`, en: `the plan has no conflict "${key}" (it has: ${plan.conflicts.map((x) => x.id).join(', ') || 'none'})` }));
        else if (choice === 'site' && (c.kind === 'scenario' || c.kind === 'device-group' || c.kind === 'gone')) {
          problems.push(problem('cannot-keep', ['choices', key], { zh: `${c.id}：新版本已没有 ${c.path}，只能选 "template"（放弃本站点的修改）`, en: `${c.id}: the new version no longer has ${c.path}; only "template" (letting the site's change go) is possible` }));
        }
      }
      if (problems.length > 0) throw unprocessable('invalid-choices', summarise({ zh: '冲突选择不正确', en: 'the conflict choices are not valid' }, problems), problems);
      let upgraded: Instance;
      try {
        upgraded = applyUpgrade(plan, instance, target, choices);
      } catch (err) {
        if (!(err instanceof UnresolvedConflicts)) throw err;
        const details = err.conflicts.map((c) => problem('upgrade-conflict', ['choices', c.id], {
          zh: `${c.id}（${c.path}）：${c.template.zh}；${c.site.zh}。请选择 "site"（保留本站点）或 "template"（采用新版本）`,
          en: `${c.id} (${c.path}): ${c.template.en}; ${c.site.en}. Choose "site" (keep this site's) or "template" (take the new version's)`,
        }));
        throw conflict('conflicts-need-choice', {
          zh: `从 ${templateRef(from)} 升级到 ${templateRef(target)} 有 ${err.conflicts.length} 处冲突需要选择，未做任何修改`,
          en: `upgrading from ${templateRef(from)} to ${templateRef(target)} has ${err.conflicts.length} conflict(s) to choose on; nothing was changed`,
        }, details);
      }
      const checked = validate(upgraded as unknown as Record<string, unknown>, target);
      return db.transaction(() => {
        const changed = db.prepare('UPDATE instances SET template_id = ?, template_version = ?, doc = ?, doc_hash = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ?')
          .run(target.id, target.version, JSON.stringify(checked), instanceHash(checked), now(), id, row.revision);
        if (changed.changes === 0) throw conflict('stale-revision', { zh: '实例刚被别人修改；请重新生成升级计划', en: 'someone changed the instance just now; make the upgrade plan again' });
        return { plan, view: view(byId.get(id)!) };
      })();
    },

    row: (id) => byId.get(id),
  };

  function planFor(row: InstanceRow, to: string | undefined) {
    const from = template(`${row.template_id}@${row.template_version}`);
    const version = to ?? o.templates.latestPublished(row.template_id) ?? row.template_version;
    if (compareVersions(version, row.template_version) < 0) {
      throw unprocessable('downgrade', { zh: `不能从 ${row.template_version} 降级到 ${version}`, en: `cannot go down from ${row.template_version} to ${version}` }, [problem('downgrade', ['to'], { zh: `应不低于 ${row.template_version}`, en: `must be at least ${row.template_version}` })]);
    }
    const target = template(`${row.template_id}@${version}`, ['to']);
    const instance = InstanceSchema.parse(JSON.parse(row.doc));
    return { plan: planUpgrade(from, target, instance), from, target, instance };
  }
}

/** A problem about devices.group[i] that came from CSV also says which line. */
