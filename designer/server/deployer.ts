import type { Instance, Problem, Text } from '../../runtime/model';
import { InstanceSchema } from '../../runtime/model';
import type { BuiltBundle, BundleBuilder } from './bundle-builder';
import type { StudioDb } from './database';
import type { SiteRow } from './fleet';
import type { HealthRecorder } from './health-monitor';
import { mapLimit } from './map-limit';
import type { RuntimeClient, RuntimeFailure } from './runtime-client';
import type { Sites } from './sites';

export interface DeployError {
  readonly code: string;
  readonly message: string;
  readonly text: Text;
  readonly details: readonly Problem[];
  /** The runtime's HTTP status when it answered with a refusal. */
  readonly runtimeStatus?: number;
}

export interface DeployResult {
  readonly site: { readonly id: string; readonly name: string };
  readonly ok: boolean;
  /** deployed: the runtime accepted and started it; failed: the runtime refused or could not be reached; not-built: nothing was sent. */
  readonly status: 'deployed' | 'failed' | 'not-built';
  /** `template` is null after a rollback to a bundle this studio did not make. */
  readonly deployment?: { readonly id: number; readonly sequence: number; readonly bundleHash: string; readonly template: string | null; readonly runtimeStatus?: string };
  readonly error?: DeployError;
}

export interface Deployer {
  /** Builds, signs and sends each site's bundle, `concurrency` at a time; one result per site, in order. */
  deploy(userId: number, sites: readonly SiteRow[]): Promise<DeployResult[]>;
  rollback(userId: number, site: SiteRow): Promise<DeployResult>;
  /** A signed bundle for a USB stick: the next sequence, recorded as exported. */
  export(userId: number, site: SiteRow): { ok: true; built: BuiltBundle } | { ok: false; error: DeployError };
  history(siteId: string, page: number, pageSize: number): { deployments: unknown[]; total: number };
}

const err = (code: string, text: Text, details: readonly Problem[] = [], runtimeStatus?: number): DeployError => ({ code, message: text.en, text, details, ...(runtimeStatus === undefined ? {} : { runtimeStatus }) });

const fromFailure = (f: RuntimeFailure): DeployError => err(f.code, f.text, f.details, f.status);

const tokenUnreadable = err('site-token-unreadable', {
  zh: '无法解开保存的站点令牌（secret.key 与数据库不匹配？）；请用 PATCH /api/sites/:id 重新填写令牌',
  en: 'the stored site token cannot be opened (secret.key does not match the database?); set the token again with PATCH /api/sites/:id',
});

class NotBuilt extends Error {
  constructor(readonly error: DeployError) {
    super(error.message);
  }
}

export interface DeployerOptions {
  readonly db: StudioDb;
  readonly now: () => number;
  readonly sites: Sites;
  readonly builder: BundleBuilder;
  readonly client: RuntimeClient;
  readonly health: HealthRecorder;
  /** Runtimes deployed to at once in a batch. Default 8. */
  readonly concurrency?: number;
}

interface DeploymentRow {
  id: number;
  kind: string;
  sequence: number | null;
  bundle_hash: string | null;
  instance_hash: string | null;
  template: string | null;
  status: string;
  error: string | null;
  user_id: number | null;
  username: string | null;
  at: number;
  finished_at: number | null;
}

export function createDeployer(o: DeployerOptions): Deployer {
  const { db, now } = o;
  const concurrency = o.concurrency ?? 8;
  const sequences = db.prepare<[string], { last_sequence: number; runtime_last_sequence: number | null; instance_id: string | null; doc: string | null }>(
    'SELECT s.last_sequence, s.runtime_last_sequence, s.instance_id, i.doc FROM sites s LEFT JOIN instances i ON i.id = s.instance_id WHERE s.id = ?');
  const insertDeployment = db.prepare(`INSERT INTO deployments (site_id, instance_id, kind, sequence, bundle_hash, instance_hash, template, status, user_id, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  /**
   * Takes the site's next sequence and builds the bundle in one transaction: a bundle that does
   * not build uses up no sequence and leaves no record.
   */
  const prepare = db.transaction((siteId: string, userId: number, kind: 'online' | 'offline'): { deploymentId: number; built: BuiltBundle } => {
    const s = sequences.get(siteId);
    if (!s || s.instance_id === null || s.doc === null) {
      throw new NotBuilt(err('no-instance', { zh: '站点还没有绑定实例：先用 PUT /api/sites/:id/instance 绑定', en: 'no instance is bound to the site yet: bind one with PUT /api/sites/:id/instance' }));
    }
    // Above both our own last sequence and the runtime's: another studio or a USB bundle may have gone further.
    const sequence = Math.max(s.last_sequence, s.runtime_last_sequence ?? 0) + 1;
    const instance: Instance = InstanceSchema.parse(JSON.parse(s.doc));
    const built = o.builder.build(instance, sequence);
    if (!built.ok) {
      throw new NotBuilt(err('invalid-instance', { zh: `实例无法生成部署包：${built.problems[0]?.message.zh ?? ''}`, en: `the instance does not build: ${built.problems[0]?.message.en ?? ''}` }, built.problems));
    }
    db.prepare('UPDATE sites SET last_sequence = ? WHERE id = ?').run(sequence, siteId);
    const b = built.built;
    const id = Number(insertDeployment.run(siteId, s.instance_id, kind, sequence, b.bundleHash, b.instanceHash, b.template, kind === 'offline' ? 'exported' : 'sending', userId, now()).lastInsertRowid);
    return { deploymentId: id, built: b };
  });

  const succeeded = db.transaction((siteId: string, deploymentId: number, b: BuiltBundle, runtime: { sequence: number; hash: string; status: string }) => {
    const t = now();
    db.prepare("UPDATE deployments SET status = 'deployed', finished_at = ? WHERE id = ?").run(t, deploymentId);
    db.prepare(`UPDATE sites SET deployed_id = ?, deployed_bundle_hash = ?, deployed_instance_hash = ?, deployed_template = ?, deployed_sequence = ?, deployed_at = ?,
      last_deploy_at = ?, last_deploy_status = 'deployed', last_deploy_error = NULL,
      runtime_hash = ?, runtime_sequence = ?, runtime_status = ?, runtime_last_sequence = max(coalesce(runtime_last_sequence, 0), ?) WHERE id = ?`)
      .run(deploymentId, b.bundleHash, b.instanceHash, b.template, b.sequence, t, t, runtime.hash, runtime.sequence, runtime.status, runtime.sequence, siteId);
  });

  const failed = db.transaction((siteId: string, deploymentId: number, e: DeployError) => {
    const t = now();
    const error = JSON.stringify({ code: e.code, text: e.text, details: e.details, ...(e.runtimeStatus === undefined ? {} : { runtimeStatus: e.runtimeStatus }) });
    db.prepare("UPDATE deployments SET status = 'failed', error = ?, finished_at = ? WHERE id = ?").run(error, t, deploymentId);
    db.prepare("UPDATE sites SET last_deploy_at = ?, last_deploy_status = 'failed', last_deploy_error = ? WHERE id = ?").run(t, JSON.stringify({ code: e.code, text: e.text }), siteId);
  });

  async function deployOne(userId: number, row: SiteRow): Promise<DeployResult> {
    const site = { id: row.id, name: row.name };
    let target: ReturnType<Sites['target']>;
    try {
      target = o.sites.target(row);
    } catch {
      return { site, ok: false, status: 'not-built', error: tokenUnreadable };
    }
    for (let attempt = 0; ; attempt++) {
      let prepared: { deploymentId: number; built: BuiltBundle };
      try {
        prepared = prepare(row.id, userId, 'online');
      } catch (e) {
        if (e instanceof NotBuilt) return { site, ok: false, status: 'not-built', error: e.error };
        throw e;
      }
      const { deploymentId, built } = prepared;
      const answer = await o.client.deploy(target, built.signed);
      if (answer.ok) {
        const d = answer.body.deployment;
        succeeded(row.id, deploymentId, built, d);
        return { site, ok: true, status: 'deployed', deployment: { id: deploymentId, sequence: built.sequence, bundleHash: built.bundleHash, template: built.template, runtimeStatus: d.status } };
      }
      const f = answer.failure;
      failed(row.id, deploymentId, fromFailure(f));
      if (f.kind === 'unreachable' || f.kind === 'timeout' || f.kind === 'unauthorized') o.health.record(row.id, answer);
      // The runtime has seen a higher sequence than we knew of: learn it and try once more.
      if (f.code === 'stale-sequence' && attempt === 0) {
        const status = await o.client.status(target);
        o.health.record(row.id, status);
        if (status.ok) continue;
      }
      return { site, ok: false, status: 'failed', deployment: { id: deploymentId, sequence: built.sequence, bundleHash: built.bundleHash, template: built.template }, error: fromFailure(f) };
    }
  }

  return {
    deploy: (userId, rows) => mapLimit(rows, concurrency, (row) => deployOne(userId, row)),

    async rollback(userId, row) {
      const site = { id: row.id, name: row.name };
      let target: ReturnType<Sites['target']>;
      try {
        target = o.sites.target(row);
      } catch {
        return { site, ok: false, status: 'not-built', error: tokenUnreadable };
      }
      const answer = await o.client.rollback(target);
      const t = now();
      if (!answer.ok) {
        const e = fromFailure(answer.failure);
        db.prepare("INSERT INTO deployments (site_id, instance_id, kind, status, error, user_id, at, finished_at) VALUES (?, ?, 'rollback', 'failed', ?, ?, ?, ?)")
          .run(row.id, row.instance_id, JSON.stringify({ code: e.code, text: e.text, details: e.details }), userId, t, t);
        return { site, ok: false, status: 'failed', error: e };
      }
      const d = answer.body.deployment;
      const { id, template } = db.transaction(() => {
        // What the site went back to: a bundle of ours if we know its hash.
        const known = db.prepare<[string, string], { instance_hash: string; template: string }>("SELECT instance_hash, template FROM deployments WHERE site_id = ? AND bundle_hash = ? AND kind IN ('online', 'offline') ORDER BY id DESC LIMIT 1").get(row.id, d.hash);
        const rid = Number(db.prepare("INSERT INTO deployments (site_id, instance_id, kind, sequence, bundle_hash, instance_hash, template, status, user_id, at, finished_at) VALUES (?, ?, 'rollback', ?, ?, ?, ?, 'rolled-back', ?, ?, ?)")
          .run(row.id, row.instance_id, d.sequence, d.hash, known?.instance_hash ?? null, known?.template ?? null, userId, t, t).lastInsertRowid);
        db.prepare(`UPDATE sites SET deployed_id = ?, deployed_bundle_hash = ?, deployed_instance_hash = ?, deployed_template = ?, deployed_sequence = ?, deployed_at = ?,
          runtime_hash = ?, runtime_sequence = ?, runtime_status = ?, last_deploy_at = ?, last_deploy_status = 'rolled-back', last_deploy_error = NULL WHERE id = ?`)
          .run(rid, d.hash, known?.instance_hash ?? null, known?.template ?? null, d.sequence, t, d.hash, d.sequence, d.status, t, row.id);
        return { id: rid, template: known?.template ?? null };
      })();
      return { site, ok: true, status: 'deployed', deployment: { id, sequence: d.sequence, bundleHash: d.hash, template, runtimeStatus: d.status } };
    },

    export(userId, row) {
      try {
        return { ok: true, built: prepare(row.id, userId, 'offline').built };
      } catch (e) {
        if (e instanceof NotBuilt) return { ok: false, error: e.error };
        throw e;
      }
    },

    history(siteId, page, pageSize) {
      const total = db.prepare('SELECT count(*) FROM deployments WHERE site_id = ?').pluck().get(siteId) as number;
      const rows = db.prepare<[string, number, number], DeploymentRow>('SELECT d.*, u.username FROM deployments d LEFT JOIN users u ON u.id = d.user_id WHERE d.site_id = ? ORDER BY d.id DESC LIMIT ? OFFSET ?').all(siteId, pageSize, (page - 1) * pageSize);
      return {
        total,
        deployments: rows.map((r) => ({
          id: r.id, kind: r.kind, status: r.status, sequence: r.sequence, bundleHash: r.bundle_hash, instanceHash: r.instance_hash, template: r.template,
          by: r.username, at: new Date(r.at).toISOString(), finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
          error: r.error === null ? null : JSON.parse(r.error) as unknown,
        })),
      };
    },
  };
}

