import { siteScope } from './access';
import type { StudioDb } from './database';
import type { Actor } from './roles';

export const HEALTH_STATES = ['unknown', 'ok', 'degraded', 'down', 'unauthorized'] as const;
export type Health = (typeof HEALTH_STATES)[number];

/**
 * How what a site runs compares with what the studio would deploy now:
 * `in-sync`; `instance-changed` (the instance was edited or upgraded since); `site-changed` (the
 * runtime runs a bundle the studio did not make, or nothing at all); `not-deployed`; `no-instance`.
 */
export const DRIFT_STATES = ['in-sync', 'instance-changed', 'site-changed', 'not-deployed', 'no-instance'] as const;
export type Drift = (typeof DRIFT_STATES)[number];

/** Drift as SQL, so the fleet page can filter and count by it in the same indexed read. */
export const DRIFT_SQL = `CASE
  WHEN s.instance_id IS NULL THEN 'no-instance'
  WHEN s.deployed_bundle_hash IS NULL THEN 'not-deployed'
  WHEN s.runtime_hash IS NOT NULL AND s.runtime_hash <> s.deployed_bundle_hash THEN 'site-changed'
  WHEN i.doc_hash IS NOT s.deployed_instance_hash THEN 'instance-changed'
  ELSE 'in-sync' END`;

export const SITE_SELECT = `SELECT s.*, e.name AS enterprise, i.name AS instance_name, i.template_id || '@' || i.template_version AS instance_template, ${DRIFT_SQL} AS drift
  FROM sites s LEFT JOIN enterprises e ON e.id = s.enterprise_id LEFT JOIN instances i ON i.id = s.instance_id`;

export interface SiteRow {
  id: string;
  name: string;
  url: string;
  token_sealed: string;
  enterprise_id: number | null;
  enterprise: string | null;
  instance_id: string | null;
  instance_name: string | null;
  instance_template: string | null;
  runtime_site: string | null;
  last_sequence: number;
  registered_via: 'register' | 'pairing';
  created_at: number;
  deployed_id: number | null;
  deployed_bundle_hash: string | null;
  deployed_instance_hash: string | null;
  deployed_template: string | null;
  deployed_sequence: number | null;
  deployed_at: number | null;
  last_deploy_at: number | null;
  last_deploy_status: string | null;
  last_deploy_error: string | null;
  health: Health;
  health_checked_at: number | null;
  health_error: string | null;
  runtime_hash: string | null;
  runtime_sequence: number | null;
  runtime_last_sequence: number | null;
  runtime_status: string | null;
  heartbeat_token_hash: string | null;
  heartbeat_at: number | null;
  /** The last heartbeat's uplink and devices, JSON. */
  heartbeat_report: string | null;
  drift: Drift;
}

interface HeartbeatExtras {
  readonly version?: string;
  readonly uplink?: readonly { readonly id: string; readonly connected: boolean; readonly backlog: number; readonly lagMs: number; readonly dropped: number; readonly dead: number }[];
  readonly devices?: { readonly total: number; readonly online: number };
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** One site as the fleet shows it: what runs there, how it compares, how it is. */
export function fleetEntry(r: SiteRow) {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    enterprise: r.enterprise,
    runtimeSite: r.runtime_site,
    instance: r.instance_id === null ? null : { id: r.instance_id, name: r.instance_name, template: r.instance_template },
    deployed: r.deployed_bundle_hash === null ? null : {
      template: r.deployed_template, sequence: r.deployed_sequence, bundleHash: r.deployed_bundle_hash, instanceHash: r.deployed_instance_hash, at: iso(r.deployed_at),
    },
    drift: r.drift,
    health: {
      state: r.health,
      checkedAt: iso(r.health_checked_at),
      error: r.health_error === null ? null : JSON.parse(r.health_error) as unknown,
      runtime: r.runtime_hash === null ? null : { hash: r.runtime_hash || null, sequence: r.runtime_sequence, status: r.runtime_status, lastSequence: r.runtime_last_sequence },
    },
    heartbeat: r.heartbeat_at === null ? null : { at: iso(r.heartbeat_at), ...(r.heartbeat_report === null ? {} : JSON.parse(r.heartbeat_report) as HeartbeatExtras) },
    lastDeploy: r.last_deploy_at === null ? null : { at: iso(r.last_deploy_at), status: r.last_deploy_status, error: r.last_deploy_error === null ? null : JSON.parse(r.last_deploy_error) as unknown },
  };
}
export type FleetEntry = ReturnType<typeof fleetEntry>;

export interface FleetQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly enterprise?: string;
  readonly health?: Health;
  readonly drift?: Drift;
  /** Part of a site's name or id. */
  readonly text?: string;
}

export interface FleetPage {
  readonly sites: FleetEntry[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  /** Counts over every site the actor sees (not just this page). */
  readonly summary: { readonly health: Partial<Record<Health, number>>; readonly drift: Partial<Record<Drift, number>> };
}

/**
 * The fleet roll-up: one read of the sites table (health and deployments are kept there by the
 * background monitor and the deployer), never a call to a runtime.
 */
export function fleetPage(db: StudioDb, actor: Actor, q: FleetQuery): FleetPage {
  const scope = siteScope(actor);
  const where = [scope.sql];
  const params: unknown[] = [...scope.params];
  if (q.enterprise !== undefined) {
    where.push('e.name = ?');
    params.push(q.enterprise);
  }
  if (q.text !== undefined && q.text !== '') {
    where.push("(s.name LIKE ? ESCAPE '\\' OR s.id = ?)");
    params.push(`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, q.text);
  }
  const base = `FROM sites s LEFT JOIN enterprises e ON e.id = s.enterprise_id LEFT JOIN instances i ON i.id = s.instance_id WHERE ${where.join(' AND ')}`;
  const counts = db.prepare<unknown[], { health: Health; drift: Drift; n: number }>(`SELECT s.health AS health, ${DRIFT_SQL} AS drift, count(*) AS n ${base} GROUP BY 1, 2`).all(...params);
  const summary = { health: {} as Partial<Record<Health, number>>, drift: {} as Partial<Record<Drift, number>> };
  let total = 0;
  for (const c of counts) {
    summary.health[c.health] = (summary.health[c.health] ?? 0) + c.n;
    summary.drift[c.drift] = (summary.drift[c.drift] ?? 0) + c.n;
    if ((q.health === undefined || c.health === q.health) && (q.drift === undefined || c.drift === q.drift)) total += c.n;
  }
  const filters: string[] = [];
  if (q.health !== undefined) {
    filters.push('s.health = ?');
    params.push(q.health);
  }
  if (q.drift !== undefined) {
    filters.push(`${DRIFT_SQL} = ?`);
    params.push(q.drift);
  }
  const rows = db.prepare<unknown[], SiteRow>(`SELECT s.*, e.name AS enterprise, i.name AS instance_name, i.template_id || '@' || i.template_version AS instance_template, ${DRIFT_SQL} AS drift
    ${base}${filters.length ? ` AND ${filters.join(' AND ')}` : ''} ORDER BY s.name, s.id LIMIT ? OFFSET ?`).all(...params, q.pageSize, (q.page - 1) * q.pageSize);
  return { sites: rows.map(fleetEntry), page: q.page, pageSize: q.pageSize, total, summary };
}
