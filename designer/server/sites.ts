import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Text } from '../../runtime/model';
import { problem } from '../../runtime/model';
import { ApiError } from '../../runtime/server/api-error';
import { mayChangeInstance, notAssigned } from './access';
import type { StudioDb } from './database';
import type { Enterprises } from './enterprises';
import { conflict, notFound, unprocessable } from './errors';
import type { FleetEntry, SiteRow } from './fleet';
import { SITE_SELECT, fleetEntry } from './fleet';
import type { HealthRecorder } from './health-monitor';
import type { Heartbeats } from './heartbeats';
import type { Instances } from './instances';
import type { Actor } from './roles';
import type { RuntimeClient, RuntimeStatus, RuntimeTarget } from './runtime-client';
import type { SecretBox } from './secret-box';

export interface SiteView extends FleetEntry {
  readonly registeredVia: 'register' | 'pairing';
  readonly createdAt: string;
  readonly lastSequence: number;
  readonly engineers: readonly { readonly id: number; readonly username: string }[];
}

export interface NewSite {
  readonly name: string;
  readonly url: string;
  readonly token: string;
  readonly enterprise?: string;
}

export interface SiteChange {
  readonly name?: string;
  readonly url?: string;
  readonly token?: string;
  readonly enterprise?: string | null;
}

/** What a deploy, a rollback or a status read needs to talk to a site. */
export interface SiteTarget extends RuntimeTarget {
  readonly row: SiteRow;
}

export interface Sites {
  register(actor: Actor, input: NewSite): Promise<SiteView>;
  createPairingCode(actor: Actor, input: { name?: string; enterprise?: string }): { code: string; expiresAt: string };
  /** Registers the runtime that holds the code; it gets a heartbeat token, shown this once. */
  pair(code: string, input: { url: string; token: string }): Promise<{ site: SiteView; heartbeatToken: string }>;
  /** A site the actor may see (404 for another enterprise's; 403 for an engineer's unassigned one). */
  load(actor: Actor, id: string, purpose: Text): SiteRow;
  view(row: SiteRow): SiteView;
  update(actor: Actor, id: string, change: SiteChange): Promise<SiteView>;
  bind(actor: Actor, id: string, instanceId: string | null): SiteView;
  setEngineers(id: string, userIds: readonly number[]): SiteView;
  target(row: SiteRow): SiteTarget;
  row(id: string): SiteRow | undefined;
}

export const PAIRING_CODE_TTL_MS = 15 * 60_000;
// No 0/O, 1/I/L: the code is read off a screen and typed on a factory PC.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `ABCD-EFGH`, about 40 bits: enough for 15 minutes behind a per-address attempt limit. */
function newCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

export const normaliseCode = (code: string) => code.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
const hashCode = (code: string) => createHash('sha256').update(normaliseCode(code)).digest('hex');

/** A runtime's base URL: http(s), no credentials, query or fragment, no trailing slash. */
export function normaliseRuntimeUrl(raw: string, path: (string | number)[] = ['url']): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw unprocessable('invalid-url', { zh: `“${raw}” 不是网址，应形如 http://192.168.1.50:8420`, en: `"${raw}" is not a URL; it looks like http://192.168.1.50:8420` }, [problem('invalid-url', path, { zh: '应形如 http://192.168.1.50:8420', en: 'like http://192.168.1.50:8420' })]);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw unprocessable('invalid-url', { zh: '运行时网址只能是 http(s)://主机:端口[/路径]，不能带用户名、查询或片段', en: 'a runtime URL is http(s)://host:port[/path], without user name, query or fragment' }, [problem('invalid-url', path, { zh: '格式不对', en: 'not in that form' })]);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface SitesOptions {
  readonly db: StudioDb;
  readonly now: () => number;
  readonly box: SecretBox;
  readonly client: RuntimeClient;
  readonly enterprises: Enterprises;
  readonly instances: Instances;
  readonly health: HealthRecorder;
  readonly heartbeats: Heartbeats;
}

export function createSites(o: SitesOptions): Sites {
  const { db, now } = o;
  const byId = db.prepare<[string], SiteRow>(`${SITE_SELECT} WHERE s.id = ?`);
  const engineersOf = db.prepare<[string], { id: number; username: string }>('SELECT u.id, u.username FROM site_engineers se JOIN users u ON u.id = se.user_id WHERE se.site_id = ? ORDER BY u.username');
  const assigned = db.prepare<[string, number], { n: number }>('SELECT 1 AS n FROM site_engineers WHERE site_id = ? AND user_id = ?');

  function view(row: SiteRow): SiteView {
    return { ...fleetEntry(row), registeredVia: row.registered_via, createdAt: new Date(row.created_at).toISOString(), lastSequence: row.last_sequence, engineers: engineersOf.all(row.id) };
  }

  /** Asks the runtime for its status with the token given: the token works and it is a Kaiwu runtime. */
  async function verify(url: string, token: string): Promise<RuntimeStatus> {
    const answer = await o.client.status({ url, token });
    if (answer.ok) return answer.body;
    const f = answer.failure;
    const status = f.kind === 'unauthorized' ? 422 : 502;
    throw new ApiError(status, f.kind === 'unauthorized' ? 'site-token-refused' : 'site-unreachable', {
      zh: `无法确认站点运行时：${f.text.zh}`,
      en: `cannot confirm the site runtime: ${f.text.en}`,
    }, [problem(f.code, f.kind === 'unauthorized' ? ['token'] : ['url'], f.text)]);
  }

  const insert = db.prepare(`INSERT INTO sites (id, name, url, token_sealed, enterprise_id, runtime_site, registered_via, created_by, created_at)
    VALUES (@id, @name, @url, @token, @enterprise_id, @runtime_site, @via, @by, @at)`);

  function insertSite(f: { name: string; url: string; token: string; enterpriseId: number | null; status: RuntimeStatus; via: 'register' | 'pairing'; by: number | null }): string {
    const id = `st_${randomBytes(9).toString('base64url')}`;
    insert.run({ id, name: f.name, url: f.url, token: o.box.seal(f.token), enterprise_id: f.enterpriseId, runtime_site: f.status.site, via: f.via, by: f.by, at: now() });
    if (f.by !== null && db.prepare("SELECT role FROM users WHERE id = ?").pluck().get(f.by) === 'field-engineer') {
      // The engineer who registers a site works on it: it is assigned to them from the start.
      db.prepare('INSERT INTO site_engineers (user_id, site_id) VALUES (?, ?)').run(f.by, id);
    }
    o.health.record(id, { ok: true, body: f.status });
    return id;
  }

  function load(actor: Actor, id: string, purpose: Text): SiteRow {
    const row = byId.get(id);
    if (!row) throw notFound({ zh: '站点', en: 'site' });
    if (actor.role === 'enterprise' && row.enterprise_id !== actor.enterpriseId) throw notFound({ zh: '站点', en: 'site' });
    if (actor.role === 'field-engineer' && !assigned.get(id, actor.id)) throw notAssigned(row, purpose);
    return row;
  }

  return {
    async register(actor, input) {
      const url = normaliseRuntimeUrl(input.url);
      const status = await verify(url, input.token);
      const id = db.transaction(() => insertSite({
        name: input.name, url, token: input.token, enterpriseId: input.enterprise ? o.enterprises.ensure(input.enterprise) : null, status, via: 'register', by: actor.id,
      }))();
      return view(byId.get(id)!);
    },

    createPairingCode(actor, input) {
      const code = newCode();
      const expiresAt = now() + PAIRING_CODE_TTL_MS;
      db.prepare('INSERT INTO pairing_codes (code_hash, name, enterprise_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(hashCode(code), input.name ?? null, input.enterprise ? o.enterprises.ensure(input.enterprise) : null, actor.id, now(), expiresAt);
      return { code, expiresAt: new Date(expiresAt).toISOString() };
    },

    async pair(code, input) {
      const hash = hashCode(code);
      const row = db.prepare<[string], { name: string | null; enterprise_id: number | null; created_by: number; expires_at: number; claimed_at: number | null }>('SELECT * FROM pairing_codes WHERE code_hash = ?').get(hash);
      if (!row || row.expires_at <= now()) {
        throw new ApiError(404, 'pairing-code-unknown', { zh: '配对码不存在或已过期（有效期 15 分钟）；请在工作室重新生成', en: 'no such pairing code, or it expired (codes last 15 minutes); make a new one in the studio' });
      }
      if (row.claimed_at !== null) throw conflict('pairing-code-used', { zh: '这个配对码已经用过了；每个配对码只能用一次', en: 'this pairing code has been used; each code pairs once' });
      const url = normaliseRuntimeUrl(input.url);
      // Claim first, so two runtimes racing with one code cannot both pair; give it back if the runtime does not check out.
      if (db.prepare('UPDATE pairing_codes SET claimed_at = ? WHERE code_hash = ? AND claimed_at IS NULL').run(now(), hash).changes === 0) {
        throw conflict('pairing-code-used', { zh: '这个配对码已经用过了；每个配对码只能用一次', en: 'this pairing code has been used; each code pairs once' });
      }
      let status: RuntimeStatus;
      try {
        status = await verify(url, input.token);
      } catch (err) {
        db.prepare('UPDATE pairing_codes SET claimed_at = NULL WHERE code_hash = ?').run(hash);
        throw err;
      }
      const paired = db.transaction(() => {
        const siteId = insertSite({ name: row.name ?? status.site ?? url, url, token: input.token, enterpriseId: row.enterprise_id, status, via: 'pairing', by: row.created_by });
        db.prepare('UPDATE pairing_codes SET site_id = ? WHERE code_hash = ?').run(siteId, hash);
        return { siteId, heartbeatToken: o.heartbeats.issue(siteId) };
      })();
      return { site: view(byId.get(paired.siteId)!), heartbeatToken: paired.heartbeatToken };
    },

    load,
    view,

    async update(actor, id, change) {
      const row = load(actor, id, { zh: '修改站点', en: 'change the site' });
      const url = change.url === undefined ? row.url : normaliseRuntimeUrl(change.url);
      const token = change.token ?? o.box.open(row.token_sealed);
      const status = change.url !== undefined || change.token !== undefined ? await verify(url, token) : undefined;
      db.transaction(() => {
        db.prepare('UPDATE sites SET name = ?, url = ?, token_sealed = ?, enterprise_id = ? WHERE id = ?').run(
          change.name ?? row.name, url, o.box.seal(token),
          change.enterprise === undefined ? row.enterprise_id : change.enterprise === null ? null : o.enterprises.ensure(change.enterprise), id,
        );
        if (status) o.health.record(id, { ok: true, body: status });
      })();
      return view(byId.get(id)!);
    },

    bind(actor, id, instanceId) {
      const site = load(actor, id, { zh: '绑定实例', en: 'bind an instance' });
      if (instanceId === null) {
        db.prepare('UPDATE sites SET instance_id = NULL WHERE id = ?').run(id);
        return view(byId.get(id)!);
      }
      const instance = o.instances.get(actor, instanceId);
      const row = o.instances.row(instance.id)!;
      if (!mayChangeInstance(actor, row) && actor.role !== 'admin') {
        throw new ApiError(403, 'read-only', { zh: '示范样本不能直接部署到企业站点；请先复制', en: 'a sample firm is not bound to an enterprise\'s site as it is; copy it first' });
      }
      if (site.runtime_site !== null && site.runtime_site !== instance.instance.site) {
        throw conflict('site-id-mismatch', {
          zh: `实例的站点 id 是 “${instance.instance.site}”，而这个运行时属于站点 “${site.runtime_site}”；请先把实例的 site 改为 “${site.runtime_site}”`,
          en: `the instance is for site id "${instance.instance.site}", but this runtime serves "${site.runtime_site}"; set the instance's site to "${site.runtime_site}" first`,
        }, [problem('site-id-mismatch', ['instanceId'], { zh: `站点 id 应为 “${site.runtime_site}”`, en: `the site id must be "${site.runtime_site}"` })]);
      }
      if (site.enterprise_id !== null && row.enterprise_id !== null && site.enterprise_id !== row.enterprise_id) {
        throw conflict('other-enterprise', { zh: `站点属于 ${site.enterprise}，实例属于 ${instance.enterprise}`, en: `the site belongs to ${site.enterprise}, the instance to ${instance.enterprise}` });
      }
      const other = db.prepare<[string, string], { id: string; name: string }>('SELECT id, name FROM sites WHERE instance_id = ? AND id <> ?').get(instance.id, id);
      if (other) {
        throw conflict('instance-bound-elsewhere', { zh: `实例已绑定到站点 “${other.name}”（${other.id}）；一个实例只对应一个站点，请先解绑或复制实例`, en: `the instance is bound to site "${other.name}" (${other.id}); an instance serves one site: unbind it there or copy it` });
      }
      db.prepare('UPDATE sites SET instance_id = ?, enterprise_id = coalesce(enterprise_id, ?) WHERE id = ?').run(instance.id, row.enterprise_id, id);
      return view(byId.get(id)!);
    },

    setEngineers(id, userIds) {
      if (!byId.get(id)) throw notFound({ zh: '站点', en: 'site' });
      const problems = userIds.flatMap((uid, i) => {
        const role = db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(uid) as string | undefined;
        if (role === 'field-engineer') return [];
        return [problem('not-an-engineer', ['userIds', i], role === undefined
          ? { zh: `没有用户 ${uid}`, en: `no user ${uid}` }
          : { zh: `用户 ${uid} 不是现场工程师（是 ${role}）`, en: `user ${uid} is not a field engineer (but ${role})` })];
      });
      if (problems.length > 0) throw unprocessable('invalid-engineers', { zh: '只能把站点分配给现场工程师', en: 'sites are assigned to field engineers only' }, problems);
      db.transaction(() => {
        db.prepare('DELETE FROM site_engineers WHERE site_id = ?').run(id);
        const add = db.prepare('INSERT OR IGNORE INTO site_engineers (user_id, site_id) VALUES (?, ?)');
        for (const uid of userIds) add.run(uid, id);
      })();
      return view(byId.get(id)!);
    },

    target: (row) => ({ row, url: row.url, token: o.box.open(row.token_sealed) }),
    row: (id) => byId.get(id),
  };
}
