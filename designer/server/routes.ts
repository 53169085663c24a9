import { z } from 'zod';
import type { IndustryCatalog, Text } from '../../runtime/model';
import { DEMANDS, OverrideSchema, findIndustry, industryChildren, problem, searchIndustries } from '../../runtime/model';
import { ApiError } from '../../runtime/server/api-error';
import type { AuditEntry, AuditLog } from './audit-log';
import { AUDIT_ACTIONS } from './audit-log';
import type { StudioDb } from './database';
import type { Deployer, DeployResult } from './deployer';
import type { Enterprises } from './enterprises';
import { RateLimited, notFound, unprocessable } from './errors';
import { DRIFT_STATES, HEALTH_STATES, fleetPage } from './fleet';
import type { HealthRecorder } from './health-monitor';
import type { Heartbeats } from './heartbeats';
import { HEARTBEAT_INTERVAL_MS, HeartbeatSchema } from './heartbeats';
import { SESSION_COOKIE } from './http-app';
import type { Instances } from './instances';
import type { PreviewServices } from './preview-routes';
import { previewRoutes } from './preview-routes';
import type { NodeCatalogServices } from './node-catalog';
import { nodeCatalogRoutes } from './node-catalog';
import type { RuleChecker } from './rule-check';
import { ruleCheckRoutes } from './rule-check';
import type { AttemptLimiter } from './login-limiter';
import { dummyHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords';
import type { Actor } from './roles';
import { ROLES } from './roles';
import type { Reply, StudioRoute } from './route-table';
import { guarded, open } from './route-table';
import type { RuntimeClient } from './runtime-client';
import type { SessionPolicy, Sessions } from './sessions';
import type { SiteRow } from './fleet';
import type { Sites } from './sites';
import { normaliseCode } from './sites';
import type { StudioKey } from './studio-key';
import type { TemplateStore } from './template-store';
import type { Users } from './users';

export interface StudioServices {
  readonly db: StudioDb;
  readonly now: () => number;
  readonly version: string;
  readonly users: Users;
  readonly enterprises: Enterprises;
  readonly sessions: Sessions;
  readonly sessionPolicy: SessionPolicy;
  readonly loginLimiter: AttemptLimiter;
  readonly pairingLimiter: AttemptLimiter;
  readonly heartbeats: Heartbeats;
  readonly audit: AuditLog;
  readonly templates: TemplateStore;
  readonly instances: Instances;
  readonly sites: Sites;
  readonly deployer: Deployer;
  readonly health: HealthRecorder;
  readonly client: RuntimeClient;
  readonly key: StudioKey;
  readonly industries?: IndustryCatalog;
  /** Live previews and scenario test runs (preview-routes.ts). */
  readonly preview: PreviewServices;
  /** The node types and device profiles, for the designer's help pages and tag picker. */
  readonly nodeCatalog: NodeCatalogServices;
  /** Compiles rule code in the sandbox for the designer's rule editor. */
  readonly ruleChecker: RuleChecker;
}

const ALL = ROLES;
const AUTHORS = ['contractor'] as const;
const CONFIGURERS = ['contractor', 'enterprise'] as const;
const DEPLOYERS = ['admin', 'field-engineer'] as const;
/** Who may deploy to, roll back or export a bundle for one site: also the enterprise, for its own sites. */
const SITE_DEPLOYERS = ['admin', 'field-engineer', 'enterprise'] as const;
const ADMIN = ['admin'] as const;

const Page = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
const Flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const Username = z.string().refine((s) => /^[A-Za-z0-9._@-]{3,64}$/.test(s), { message: '3 to 64 letters, digits, ".", "_", "@" or "-"', params: { zh: '3～64 个字母、数字或 “.”、“_”、“@”、“-”' } });
const Password = z.string().min(1).max(1000);
const Name = z.string().trim().min(1).max(200);
const Json = z.record(z.string(), z.unknown());
const DemandKey = z.enum(Object.keys(DEMANDS) as [keyof typeof DEMANDS, ...(keyof typeof DEMANDS)[]]);

const InstanceFieldsSchema = {
  name: Name.optional(),
  scenarios: z.array(z.string()).max(100).optional(),
  parameters: Json.optional(),
  devices: z.union([Json, z.array(z.unknown()).max(1000), z.string().max(1_000_000)]).optional(),
  deviceGroup: z.string().optional(),
  overrides: z.array(OverrideSchema).max(1000).optional(),
  /** Only the enterprise may set it (its consent); null withdraws it. */
  uplink: Json.nullable().optional(),
};

const userView = (u: Actor) => ({ id: u.id, username: u.username, role: u.role, enterprise: u.enterprise });

function cookie(token: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}

/**
 * Answers one deploy result: created when deployed, else the result's own error: 502 when the
 * runtime could not be reached or would not take our token, the runtime's refusal as 409 or 422
 * (never its 401/403, which would read as the caller lacking rights in the studio).
 */
function deployReply(r: DeployResult, created = 201): Reply {
  if (r.ok) return { status: created, body: r };
  const e = r.error!;
  const status = r.status === 'not-built' ? (e.code === 'no-instance' ? 409 : 422)
    : e.runtimeStatus === undefined || e.runtimeStatus === 401 ? 502
      : e.runtimeStatus === 409 ? 409 : 422;
  throw new ApiError(status, e.code, e.text, e.details);
}

/**
 * Every route of the studio API. The access test walks this table: a route added here is
 * covered; nothing is registered around it.
 */
export function studioRoutes(s: StudioServices): StudioRoute[] {
  const audit = (who: Parameters<AuditLog['write']>[0], ip: string, entry: AuditEntry) => s.audit.write(who, ip, entry);
  /** Runs a change and its audit entry in one transaction: both happen or neither. */
  const recorded = <T>(actor: Actor, ip: string, work: () => T, entry: (result: T) => AuditEntry): T => s.db.transaction(() => {
    const result = work();
    audit(actor, ip, entry(result));
    return result;
  })();

  return [
    // ----- session ---------------------------------------------------------------------------
    open('get', '/api/health', 'public', { summary: { zh: '服务是否在运行', en: 'whether the studio is up' } }, () => ({ body: { ok: true, version: s.version } })),

    open('post', '/api/login', 'public', {
      summary: { zh: '登录：浏览器得到 HttpOnly 会话 Cookie；client 为 "api" 时在应答中返回令牌，用于 Authorization: Bearer', en: 'sign in: a browser gets an HttpOnly session cookie; with client "api" the token comes back in the answer, for Authorization: Bearer' },
      body: z.object({ username: z.string().min(1).max(200), password: Password, client: z.enum(['browser', 'api']).default('browser') }),
    }, async ({ body, ip, req }) => {
      const wait = s.loginLimiter.waitFor(body.username, ip);
      if (wait > 0) {
        audit({ id: null, username: body.username }, ip, { action: 'login', outcome: 'refused', detail: { reason: 'rate-limited' } });
        throw new RateLimited(wait, { zh: `登录失败次数过多，请 ${Math.ceil(wait / 60_000)} 分钟后再试`, en: `too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} min` });
      }
      const user = s.users.byUsername(body.username);
      const ok = await verifyPassword(body.password, user?.passwordHash ?? await dummyHash());
      if (!user || !ok || user.disabled) {
        s.loginLimiter.failed(body.username, ip);
        audit(user ? { id: user.id, username: user.username } : { id: null, username: body.username }, ip, { action: 'login', outcome: 'refused', detail: { reason: user?.disabled ? 'disabled' : 'wrong-credentials' } });
        throw new ApiError(401, 'login-failed', { zh: '用户名或密码不正确', en: 'wrong user name or password' });
      }
      s.loginLimiter.succeeded(body.username, ip);
      const session = s.sessions.create(user.id, ip);
      audit(user, ip, { action: 'login', detail: { client: body.client } });
      const reply = { user: userView(user), expiresAt: new Date(session.expiresAt).toISOString() };
      if (body.client === 'api') return { body: { ...reply, token: session.token } };
      return { body: reply, headers: { 'Set-Cookie': cookie(session.token, s.sessionPolicy.absoluteMs, req.secure) } };
    }),

    guarded('post', '/api/logout', ALL, { summary: { zh: '退出登录（结束本会话）', en: 'sign out (ends this session)' }, status: 204 }, ({ session, actor, ip, req }) => {
      s.sessions.end(session!.tokenHash);
      audit(actor, ip, { action: 'logout' });
      return { headers: { 'Set-Cookie': cookie('', 0, req.secure) } };
    }),

    guarded('get', '/api/me', ALL, { summary: { zh: '当前用户', en: 'the signed-in user' } }, ({ actor, session }) => ({
      body: { user: s.users.view(actor.id), expiresAt: new Date(session!.expiresAt).toISOString() },
    })),

    guarded('post', '/api/me/password', ALL, {
      summary: { zh: '修改自己的密码（其他会话随之结束）', en: 'change your own password (your other sessions end)' }, status: 204,
      body: z.object({ current: Password, next: Password }),
    }, async ({ actor, body, ip, session }) => {
      const user = s.users.byId(actor.id)!;
      if (!(await verifyPassword(body.current, user.passwordHash))) {
        audit(actor, ip, { action: 'password-change', outcome: 'refused' });
        throw unprocessable('wrong-password', { zh: '当前密码不正确', en: 'the current password is wrong' }, [problem('wrong-password', ['body', 'current'], { zh: '不正确', en: 'wrong' })]);
      }
      const weak = passwordProblem(body.next);
      if (weak) throw unprocessable('weak-password', weak, [problem('weak-password', ['body', 'next'], weak)]);
      const hash = await hashPassword(body.next);
      recorded(actor, ip, () => {
        s.users.update(actor.id, { passwordHash: hash });
        s.sessions.endAllOf(actor.id, session!.tokenHash);
      }, () => ({ action: 'password-change', target: `user:${actor.id}` }));
      return {};
    }),

    guarded('get', '/api/studio/public-key', ALL, { summary: { zh: '工作室签名公钥：站点用 kaiwu trust 信任它后才接受部署包', en: 'the studio\'s signing key: a site accepts bundles once it trusts it with kaiwu trust' } }, () => ({
      body: {
        keyId: s.key.keyId, alg: 'Ed25519', publicKey: s.key.publicPem,
        trust: {
          zh: '把公钥保存为 studio.pub 带到站点电脑，运行 kaiwu trust studio.pub --data <运行时数据目录>，然后重启运行时',
          en: 'save the key as studio.pub on the site PC, run kaiwu trust studio.pub --data <runtime data folder>, then restart the runtime',
        },
      },
    })),

    // ----- industry catalog and template library ----------------------------------------------
    guarded('get', '/api/industries', ALL, {
      summary: { zh: '行业目录（GB/T 4754-2017）：按代码或名称查找', en: 'the industry catalog (GB/T 4754-2017): find by code or name' },
      query: z.object({ q: z.string().max(100).optional(), code: z.string().max(10).optional() }),
    }, ({ query }) => {
      const catalog = s.industries;
      if (!catalog) return { body: { entries: [] } };
      if (query.code !== undefined) {
        const entry = findIndustry(catalog, query.code.toUpperCase());
        if (!entry) throw notFound({ zh: `行业代码 ${query.code}`, en: `industry code ${query.code}` });
        return { body: { entry, children: industryChildren(catalog, entry.code) } };
      }
      return { body: { entries: query.q ? searchIndustries(catalog, query.q, { limit: 50 }) : catalog.entries.filter((e) => e.level === 'section' || e.level === 'division') } };
    }),

    guarded('get', '/api/templates', ALL, {
      summary: { zh: '查找模板：按行业代码（含下级：C17 可找到 C1751）、需求和文字', en: 'find templates by industry code (with sub-codes: C17 finds C1751), demand and text' },
      query: z.object({ industry: z.string().max(10).optional(), demand: DemandKey.optional(), q: z.string().max(200).optional(), ...Page }),
    }, ({ actor, query }) => ({
      body: s.templates.search({ ...query, text: query.q, drafts: actor.role === 'contractor' || actor.role === 'admin' }),
    })),

    guarded('post', '/api/templates', AUTHORS, {
      summary: { zh: '上传模板的新版本（草稿，或 publish: true 直接发布）；已发布的版本不可更改', en: 'upload a new template version (a draft, or published at once with publish: true); published versions never change' },
      status: 201,
      body: z.object({ template: Json, readme: z.string().max(500_000).optional(), publish: z.boolean().default(false) }),
    }, ({ actor, ip, body }) => {
      const r = recorded(actor, ip, () => s.templates.save(actor.id, body.template, body.readme, body.publish), (r) => ({
        action: r.outcome === 'updated' ? 'template-update' : r.outcome === 'created' && r.version.status === 'published' ? 'template-publish' : 'template-create',
        target: `template:${r.version.id}@${r.version.version}`, detail: { outcome: r.outcome, status: r.version.status, contentHash: r.version.contentHash },
      }));
      return { status: r.outcome === 'created' ? 201 : 200, body: r };
    }),

    guarded('get', '/api/templates/:id', ALL, { summary: { zh: '模板的各个版本', en: 'a template\'s versions' } }, ({ actor, params }) => {
      const versions = s.templates.versions(params.id!, actor.role === 'contractor' || actor.role === 'admin');
      if (versions.length === 0) throw notFound({ zh: `模板 ${params.id}`, en: `template ${params.id}` });
      return { body: { id: params.id, versions } };
    }),

    guarded('get', '/api/templates/:id/versions/:version', ALL, { summary: { zh: '模板的一个版本：全文和说明（README）', en: 'one template version: its content and README' } }, ({ actor, params }) => {
      const v = s.templates.get(params.id!, params.version!, actor.role === 'contractor' || actor.role === 'admin');
      if (!v) throw notFound({ zh: `模板版本 ${params.id}@${params.version}`, en: `template version ${params.id}@${params.version}` });
      return { body: v };
    }),

    guarded('put', '/api/templates/:id/versions/:version', AUTHORS, {
      summary: { zh: '修改草稿（已发布的版本不可修改）', en: 'change a draft (published versions never change)' },
      body: z.object({ template: Json, readme: z.string().max(500_000).optional() }),
    }, ({ actor, ip, params, body }) => {
      if (body.template.id !== params.id || body.template.version !== params.version) {
        throw unprocessable('path-mismatch', { zh: `模板的 id 和 version 应与路径一致（${params.id}@${params.version}）`, en: `the template's id and version must match the path (${params.id}@${params.version})` },
          [problem('path-mismatch', ['body', 'template', body.template.id !== params.id ? 'id' : 'version'], { zh: '与路径不一致', en: 'differs from the path' })]);
      }
      const existing = s.templates.get(params.id!, params.version!, true);
      if (!existing) throw notFound({ zh: `模板版本 ${params.id}@${params.version}`, en: `template version ${params.id}@${params.version}` });
      const r = recorded(actor, ip, () => s.templates.save(actor.id, body.template, body.readme, false), (r) => ({ action: 'template-update', target: `template:${params.id}@${params.version}`, detail: { outcome: r.outcome, contentHash: r.version.contentHash } }));
      return { body: r };
    }),

    guarded('post', '/api/templates/:id/versions/:version/publish', AUTHORS, { summary: { zh: '发布草稿：此后内容不可再改', en: 'publish a draft: its content never changes after this' } }, ({ actor, ip, params }) => ({
      body: { version: recorded(actor, ip, () => s.templates.publish(actor.id, params.id!, params.version!), (v) => ({ action: 'template-publish', target: `template:${v.id}@${v.version}`, detail: { contentHash: v.contentHash } })) },
    })),

    guarded('delete', '/api/templates/:id/versions/:version', AUTHORS, { summary: { zh: '删除草稿', en: 'delete a draft' }, status: 204 }, ({ actor, ip, params }) => {
      recorded(actor, ip, () => s.templates.deleteDraft(params.id!, params.version!), () => ({ action: 'template-delete', target: `template:${params.id}@${params.version}` }));
      return {};
    }),

    // ----- instances ---------------------------------------------------------------------------
    guarded('get', '/api/instances', ALL, {
      summary: { zh: '能看到的实例（企业只看到本企业的和示范样本）', en: 'the instances you can see (an enterprise: its own and the sample firms)' },
      query: z.object({ template: z.string().max(100).optional(), sample: Flag.optional(), ...Page }),
    }, ({ actor, query }) => ({ body: s.instances.list(actor, query) })),

    guarded('post', '/api/instances', CONFIGURERS, {
      summary: { zh: '从已发布的模板版本创建实例；每次保存都完整校验', en: 'make an instance from a published template version; every save is checked in full' },
      status: 201,
      body: z.object({ template: z.string().max(100), enterprise: Name.optional(), sample: z.boolean().optional(), site: z.string().max(64), ...InstanceFieldsSchema }),
    }, ({ actor, ip, body }) => ({
      status: 201,
      body: { instance: recorded(actor, ip, () => s.instances.create(actor, body), (v) => ({ action: 'instance-create', target: `instance:${v.id}`, detail: { template: v.template, enterprise: v.enterprise, sample: v.sample, hash: v.hash } })) },
    })),

    guarded('get', '/api/instances/:id', ALL, { summary: { zh: '一个实例', en: 'one instance' } }, ({ actor, params }) => ({ body: { instance: s.instances.get(actor, params.id!) } })),

    guarded('patch', '/api/instances/:id', CONFIGURERS, {
      summary: { zh: '修改实例：参数（合并，null 删除）、设备（JSON 或 CSV）、可选场景、本地修改；带 revision 防止覆盖别人的修改', en: 'change an instance: parameters (merged; null removes), devices (JSON or CSV), optional scenarios, local changes; give revision to avoid overwriting someone else\'s change' },
      body: z.object({ ...InstanceFieldsSchema, site: z.string().max(64).optional(), revision: z.number().int().min(1).optional() }),
    }, ({ actor, ip, params, body }) => ({
      body: { instance: recorded(actor, ip, () => s.instances.update(actor, params.id!, body), (r) => ({ action: 'instance-update', target: `instance:${params.id}`, detail: { before: r.before, after: r.view.hash, revision: r.view.revision } })).view },
    })),

    guarded('delete', '/api/instances/:id', CONFIGURERS, {
      summary: { zh: '删除实例（须未绑定站点；部署记录保留它的哈希）', en: 'delete an instance (no site may be bound to it; deployment records keep its hash)' }, status: 204,
    }, ({ actor, ip, params }) => {
      recorded(actor, ip, () => s.instances.remove(actor, params.id!), (r) => ({ action: 'instance-delete', target: `instance:${params.id}`, detail: { name: r.name, hash: r.hash } }));
      return { status: 204 };
    }),

    guarded('post', '/api/instances/:id/copy', CONFIGURERS, {
      summary: { zh: '复制实例（如示范样本）给一家企业：站点、设备（JSON 数组或 CSV：name,host,port,unitId…）、参数覆盖', en: 'copy an instance (a sample firm\'s, say) for an enterprise: site, devices (JSON list or CSV: name,host,port,unitId…), parameter overrides' },
      status: 201,
      body: z.object({ enterprise: Name.optional(), site: z.string().max(64), ...InstanceFieldsSchema }),
    }, ({ actor, ip, params, body }) => ({
      status: 201,
      body: { instance: recorded(actor, ip, () => s.instances.copy(actor, params.id!, body), (v) => ({ action: 'instance-copy', target: `instance:${v.id}`, detail: { from: params.id, enterprise: v.enterprise, template: v.template, hash: v.hash } })) },
    })),

    guarded('get', '/api/instances/:id/upgrade', CONFIGURERS, {
      summary: { zh: '升级计划（三方合并）：模板的改动、保留的本地修改、逐条列出的冲突', en: 'the upgrade plan (three-way merge): template changes, local changes kept, every conflict listed' },
      query: z.object({ to: z.string().max(20).optional() }),
    }, ({ actor, params, query }) => ({ body: s.instances.plan(actor, params.id!, query.to) })),

    guarded('post', '/api/instances/:id/upgrade', CONFIGURERS, {
      summary: { zh: '按选择应用升级：每个冲突都要选 "site" 或 "template"，否则什么都不改', en: 'apply an upgrade with choices: every conflict needs "site" or "template", else nothing changes' },
      body: z.object({ to: z.string().max(20).optional(), choices: z.record(z.string(), z.enum(['site', 'template'])).default({}), revision: z.number().int().min(1).optional() }),
    }, ({ actor, ip, params, body }) => {
      const r = recorded(actor, ip, () => s.instances.upgrade(actor, params.id!, body.to, body.choices, body.revision), (r) => ({
        action: 'instance-upgrade', target: `instance:${params.id}`, detail: { from: r.plan.from, to: r.plan.to, choices: body.choices, hash: r.view.hash },
      }));
      return { body: { instance: r.view, plan: r.plan } };
    }),

    // ----- sites -------------------------------------------------------------------------------
    guarded('post', '/api/sites', DEPLOYERS, {
      summary: { zh: '登记站点运行时：网址和管理令牌（令牌加密保存）；工作室先确认运行时可用', en: 'register a site runtime by URL and admin token (stored encrypted); the studio checks the runtime first' },
      status: 201,
      body: z.object({ name: Name, url: z.string().max(500), token: z.string().min(16).max(500), enterprise: Name.optional() }),
    }, async ({ actor, ip, body }) => {
      const site = await s.sites.register(actor, body);
      audit(actor, ip, { action: 'site-register', target: `site:${site.id}`, detail: { name: site.name, url: site.url, enterprise: site.enterprise } });
      return { status: 201, body: { site } };
    }),

    guarded('post', '/api/pairing-codes', DEPLOYERS, {
      summary: { zh: '生成一次性配对码（15 分钟内有效）', en: 'make a one-time pairing code (valid 15 minutes)' },
      status: 201,
      body: z.object({ name: Name.optional(), enterprise: Name.optional() }),
    }, ({ actor, ip, body }) => {
      const code = s.sites.createPairingCode(actor, body);
      audit(actor, ip, { action: 'pairing-code-create', detail: { name: body.name, expiresAt: code.expiresAt } });
      return { status: 201, body: code };
    }),

    open('post', '/api/pairing/:code', 'pairing-code', {
      summary: { zh: '运行时一侧用配对码登记自己：{ url, token }，每个码只能用一次', en: 'the runtime side pairs with a code: { url, token }; each code works once' },
      status: 201,
      body: z.object({ url: z.string().max(500), token: z.string().min(16).max(500) }),
    }, async ({ params, body, ip }) => {
      const key = `pairing:${normaliseCode(params.code!)}`;
      const wait = s.pairingLimiter.waitFor(key, ip);
      if (wait > 0) throw new RateLimited(wait, { zh: `尝试次数过多，请 ${Math.ceil(wait / 60_000)} 分钟后再试`, en: `too many attempts; try again in ${Math.ceil(wait / 60_000)} min` });
      try {
        const { site, heartbeatToken } = await s.sites.pair(params.code!, body);
        audit(null, ip, { action: 'site-pair', target: `site:${site.id}`, detail: { name: site.name, url: site.url } });
        return {
          status: 201,
          body: { site: { id: site.id, name: site.name }, heartbeat: { path: `/api/sites/${site.id}/heartbeat`, token: heartbeatToken, intervalMs: HEARTBEAT_INTERVAL_MS } },
        };
      } catch (err) {
        s.pairingLimiter.failed(key, ip);
        throw err;
      }
    }),

    open('post', '/api/sites/:id/heartbeat', 'site-heartbeat', {
      summary: { zh: '已配对的运行时定期上报：健康、部署、上传积压（Authorization: Bearer <心跳令牌>）', en: 'a paired runtime reports itself: health, deployment, uplink backlog (Authorization: Bearer <heartbeat token>)' },
      body: HeartbeatSchema,
    }, ({ req, params, body }) => {
      const auth = req.headers.authorization;
      const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      return { body: s.heartbeats.receive(params.id!, bearer, body) };
    }),

    guarded('post', '/api/sites/:id/heartbeat-token', DEPLOYERS, {
      summary: { zh: '为站点换发心跳令牌（旧的作废），用于手工登记的站点：写入站点的 studio.json', en: 'issue a new heartbeat token for a site (the old one stops working), for sites registered by hand: goes into the site\'s studio.json' },
      status: 201,
    }, ({ actor, ip, params }) => {
      const row = s.sites.load(actor, params.id!, { zh: '为它换发心跳令牌', en: 'issue it a heartbeat token' });
      const token = s.heartbeats.issue(row.id);
      audit(actor, ip, { action: 'site-heartbeat-token', target: `site:${row.id}` });
      return { status: 201, body: { heartbeat: { path: `/api/sites/${row.id}/heartbeat`, token, intervalMs: HEARTBEAT_INTERVAL_MS } } };
    }),

    guarded('get', '/api/sites/:id', ALL, { summary: { zh: '一个站点：绑定的实例、部署的版本、偏差、健康、分配的工程师', en: 'one site: bound instance, deployed version, drift, health, assigned engineers' } }, ({ actor, params }) => ({
      body: { site: s.sites.view(s.sites.load(actor, params.id!, { zh: '查看它', en: 'see it' })) },
    })),

    guarded('patch', '/api/sites/:id', ADMIN, {
      summary: { zh: '修改站点：名称、网址、令牌（改网址或令牌时重新确认）、所属企业', en: 'change a site: name, URL, token (checked again when URL or token change), enterprise' },
      body: z.object({ name: Name.optional(), url: z.string().max(500).optional(), token: z.string().min(16).max(500).optional(), enterprise: Name.nullable().optional() }),
    }, async ({ actor, ip, params, body }) => {
      const site = await s.sites.update(actor, params.id!, body);
      audit(actor, ip, { action: 'site-update', target: `site:${site.id}`, detail: { name: body.name, url: body.url, token: body.token === undefined ? undefined : 'changed', enterprise: body.enterprise } });
      return { body: { site } };
    }),

    guarded('put', '/api/sites/:id/instance', ['admin', 'contractor', 'enterprise'], {
      summary: { zh: '给站点绑定实例（null 解绑）', en: 'bind an instance to the site (null unbinds)' },
      body: z.object({ instanceId: z.string().max(64).nullable() }),
    }, ({ actor, ip, params, body }) => ({
      body: { site: recorded(actor, ip, () => s.sites.bind(actor, params.id!, body.instanceId), () => ({ action: 'site-bind', target: `site:${params.id}`, detail: { instance: body.instanceId } })) },
    })),

    guarded('put', '/api/sites/:id/engineers', ADMIN, {
      summary: { zh: '设置负责站点的现场工程师', en: 'set the field engineers assigned to the site' },
      body: z.object({ userIds: z.array(z.number().int()).max(100) }),
    }, ({ actor, ip, params, body }) => ({
      body: { site: recorded(actor, ip, () => s.sites.setEngineers(params.id!, body.userIds), () => ({ action: 'site-engineers', target: `site:${params.id}`, detail: { userIds: body.userIds } })) },
    })),

    guarded('get', '/api/sites/:id/status', ALL, { summary: { zh: '站点运行时的实时状态（向运行时查询，带超时）', en: 'the site runtime\'s live status (asked of the runtime, with a timeout)' } }, async ({ actor, params }) => {
      const row = s.sites.load(actor, params.id!, { zh: '查看它', en: 'see it' });
      const answer = await s.client.status(s.sites.target(row));
      s.health.record(row.id, answer);
      if (!answer.ok) throw new ApiError(502, answer.failure.code, answer.failure.text, answer.failure.details);
      return { body: { status: answer.body } };
    }),

    guarded('get', '/api/sites/:id/deployments', ALL, {
      summary: { zh: '工作室记录的本站点部署、导出和回滚', en: 'the deploys, exports and rollbacks the studio recorded for the site' },
      query: z.object(Page),
    }, ({ actor, params, query }) => {
      const row = s.sites.load(actor, params.id!, { zh: '查看它', en: 'see it' });
      return { body: s.deployer.history(row.id, query.page, query.pageSize) };
    }),

    guarded('post', '/api/sites/:id/deploy', SITE_DEPLOYERS, { summary: { zh: '生成、签名并部署站点绑定的实例', en: 'build, sign and deploy the site\'s bound instance' }, status: 201 }, async ({ actor, ip, params }) => {
      const row = siteForDeploy(actor, ip, params.id!, 'deploy');
      const [result] = await s.deployer.deploy(actor.id, [row]);
      auditDeploy(actor, ip, result!);
      return deployReply(result!);
    }),

    guarded('post', '/api/deployments/batch', DEPLOYERS, {
      summary: { zh: '批量部署：并发发往各站点，逐站给出结果；有站点不可部署时整批拒绝、什么都不做', en: 'batch deploy: sent to the sites concurrently, a result per site; a site you may not deploy to refuses the whole batch, and nothing is done' },
      body: z.object({ sites: z.array(z.string().max(64)).min(1).max(10_000) }),
    }, async ({ actor, ip, body }) => {
      const ids = [...new Set(body.sites)];
      const rows: SiteRow[] = [];
      const problems = ids.flatMap((id, i) => {
        const row = s.sites.row(id);
        if (!row) return [problem('not-found', ['body', 'sites', i], { zh: `没有站点 ${id}`, en: `no site ${id}` })];
        if (actor.role === 'field-engineer') {
          try {
            s.sites.load(actor, id, { zh: '部署到这里', en: 'deploy to it' });
          } catch (err) {
            return [problem((err as ApiError).code, ['body', 'sites', i], (err as ApiError).text)];
          }
        }
        rows.push(row);
        return [];
      });
      if (problems.length > 0) {
        const status = problems.some((p) => p.code === 'site-not-assigned') ? 403 : 404;
        audit(actor, ip, { action: 'deploy', outcome: 'refused', detail: { sites: ids, problems: problems.map((p) => p.code) } });
        throw new ApiError(status, status === 403 ? 'sites-not-assigned' : 'not-found', status === 403
          ? { zh: `有 ${problems.length} 个站点你不能部署，整批未执行`, en: `you may not deploy to ${problems.length} of these sites; nothing was deployed` }
          : { zh: `有 ${problems.length} 个站点不存在，整批未执行`, en: `${problems.length} of these sites do not exist; nothing was deployed` }, problems);
      }
      const results = await s.deployer.deploy(actor.id, rows);
      for (const r of results) auditDeploy(actor, ip, r);
      return { body: { results, deployed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length } };
    }),

    guarded('post', '/api/sites/:id/rollback', SITE_DEPLOYERS, { summary: { zh: '让站点回到上一个运行正常的部署', en: 'take the site back to its last good deployment' } }, async ({ actor, ip, params }) => {
      const row = siteForDeploy(actor, ip, params.id!, 'rollback');
      const result = await s.deployer.rollback(actor.id, row);
      audit(actor, ip, { action: 'rollback', target: `site:${row.id}`, outcome: result.ok ? 'ok' : 'failed', detail: result.ok ? { sequence: result.deployment?.sequence, hash: result.deployment?.bundleHash } : { error: result.error?.code } });
      return deployReply(result, 200);
    }),

    guarded('post', '/api/sites/:id/offline-bundle', SITE_DEPLOYERS, {
      summary: { zh: '下载签名的部署包（用 U 盘带到站点，kaiwu deploy --data 部署）', en: 'download the signed bundle (carry it on a USB stick; deploy with kaiwu deploy --data)' },
    }, ({ actor, ip, params }) => {
      const row = siteForDeploy(actor, ip, params.id!, 'bundle-export');
      const r = s.deployer.export(actor.id, row);
      if (!r.ok) throw new ApiError(r.error.code === 'no-instance' ? 409 : 422, r.error.code, r.error.text, r.error.details);
      audit(actor, ip, { action: 'bundle-export', target: `site:${row.id}`, detail: { sequence: r.built.sequence, hash: r.built.bundleHash, template: r.built.template } });
      const file = `${(row.runtime_site ?? row.id).replace(/[^A-Za-z0-9_.-]/g, '_')}-${r.built.sequence}.json`;
      return { body: r.built.signed, headers: { 'Content-Disposition': `attachment; filename="${file}"` } };
    }),

    // ----- fleet -------------------------------------------------------------------------------
    guarded('get', '/api/fleet', ALL, {
      summary: { zh: '所有能看到的站点：部署的模板版本、与实例的偏差、健康、最近一次部署（分页）', en: 'every site you can see: deployed template version, drift from its instance, health, last deploy (paged)' },
      query: z.object({ enterprise: z.string().max(200).optional(), health: z.enum(HEALTH_STATES).optional(), drift: z.enum(DRIFT_STATES).optional(), q: z.string().max(200).optional(), ...Page }),
    }, ({ actor, query }) => ({ body: fleetPage(s.db, actor, { ...query, text: query.q }) })),

    // ----- users and audit ---------------------------------------------------------------------
    guarded('get', '/api/users', ADMIN, { summary: { zh: '所有用户', en: 'every user' } }, () => ({ body: { users: s.users.list() } })),

    guarded('post', '/api/users', ADMIN, {
      summary: { zh: '新建用户；不给密码时生成一个并只在应答中出现这一次', en: 'make a user; without a password one is made and shown in this answer only' },
      status: 201,
      body: z.object({ username: Username, role: z.enum(ROLES), enterprise: Name.optional(), displayName: Name.optional(), password: Password.optional() }),
    }, async ({ actor, ip, body }) => {
      checkEnterprise(body.role, body.enterprise);
      if (s.users.byUsername(body.username)) {
        throw new ApiError(409, 'username-taken', { zh: `用户名 “${body.username}” 已被使用`, en: `the user name "${body.username}" is taken` }, [problem('username-taken', ['body', 'username'], { zh: '已被使用', en: 'taken' })]);
      }
      const password = body.password ?? generatePassword();
      const weak = passwordProblem(password);
      if (weak) throw unprocessable('weak-password', weak, [problem('weak-password', ['body', 'password'], weak)]);
      const hash = await hashPassword(password);
      const id = recorded(actor, ip, () => s.users.create({
        username: body.username, role: body.role, enterpriseId: body.role === 'enterprise' ? s.enterprises.ensure(body.enterprise!) : null, passwordHash: hash,
        ...(body.displayName ? { displayName: body.displayName } : {}),
      }), (id) => ({ action: 'user-create', target: `user:${id}`, detail: { username: body.username, role: body.role, enterprise: body.enterprise } }));
      return { status: 201, body: { user: s.users.view(id), ...(body.password === undefined ? { password } : {}) } };
    }),

    guarded('patch', '/api/users/:id', ADMIN, {
      summary: { zh: '修改用户：角色、企业、停用、重设密码（其会话随之结束）', en: 'change a user: role, enterprise, disabled, new password (their sessions end)' },
      body: z.object({ role: z.enum(ROLES).optional(), enterprise: Name.optional(), displayName: Name.nullable().optional(), disabled: z.boolean().optional(), password: Password.optional() }),
    }, async ({ actor, ip, params, body }) => {
      const id = Number(params.id);
      const user = Number.isInteger(id) ? s.users.byId(id) : undefined;
      if (!user) throw notFound({ zh: '用户', en: 'user' });
      const role = body.role ?? user.role;
      if (role === 'enterprise') checkEnterprise(role, body.enterprise ?? user.enterprise ?? undefined);
      else if (body.enterprise !== undefined) checkEnterprise(role, body.enterprise);
      const losesAdmin = user.role === 'admin' && !user.disabled && (role !== 'admin' || body.disabled === true);
      if (losesAdmin && s.users.activeAdmins() <= 1) {
        throw new ApiError(409, 'last-admin', { zh: '这是最后一个可用的管理员，不能停用或改为其他角色', en: 'this is the last active admin; it cannot be disabled or given another role' });
      }
      if (body.password !== undefined) {
        const weak = passwordProblem(body.password);
        if (weak) throw unprocessable('weak-password', weak, [problem('weak-password', ['body', 'password'], weak)]);
      }
      const hash = body.password === undefined ? undefined : await hashPassword(body.password);
      recorded(actor, ip, () => {
        s.users.update(id, {
          ...(body.role ? { role } : {}),
          ...(body.role || body.enterprise ? { enterpriseId: role === 'enterprise' ? s.enterprises.ensure((body.enterprise ?? user.enterprise)!) : null } : {}),
          ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
          ...(hash ? { passwordHash: hash } : {}),
        });
        // What a session may do follows from the role: a changed account signs in again.
        if (body.role || body.enterprise || body.disabled || hash) s.sessions.endAllOf(id);
      }, () => ({ action: 'user-update', target: `user:${id}`, detail: { role: body.role, enterprise: body.enterprise, disabled: body.disabled, password: hash ? 'reset' : undefined } }));
      return { body: { user: s.users.view(id) } };
    }),

    guarded('get', '/api/audit', ADMIN, {
      summary: { zh: '审计日志：谁在何时做了什么（新的在前）', en: 'the audit log: who did what, when (newest first)' },
      query: z.object({
        action: z.enum(AUDIT_ACTIONS).optional(), user: z.coerce.number().int().optional(), target: z.string().max(200).optional(),
        outcome: z.enum(['ok', 'refused', 'failed']).optional(), from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional(), ...Page,
      }),
    }, ({ query }) => ({ body: s.audit.query({ ...query, ...(query.user === undefined ? {} : { userId: query.user }) }) })),

    // ----- designer: node help, device profiles, rule check ------------------------------------
    ...nodeCatalogRoutes(s.nodeCatalog),
    ...ruleCheckRoutes(s),

    // ----- preview and debug, scenario tests (preview-routes.ts) ------------------------------
    ...previewRoutes(s),
  ];

  /** A site the actor may deploy to; an engineer's refusal is audited and nothing else happens. */
  function siteForDeploy(actor: Actor, ip: string, id: string, action: 'deploy' | 'rollback' | 'bundle-export'): SiteRow {
    const purpose: Record<typeof action, Text> = {
      deploy: { zh: '部署到这里', en: 'deploy to it' },
      rollback: { zh: '回滚它', en: 'roll it back' },
      'bundle-export': { zh: '导出它的部署包', en: 'export its bundle' },
    };
    try {
      return s.sites.load(actor, id, purpose[action]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) audit(actor, ip, { action, target: `site:${id}`, outcome: 'refused', detail: { reason: err.code } });
      throw err;
    }
  }

  function auditDeploy(actor: Actor, ip: string, r: DeployResult): void {
    audit(actor, ip, {
      action: 'deploy', target: `site:${r.site.id}`, outcome: r.ok ? 'ok' : 'failed',
      detail: r.ok ? { sequence: r.deployment?.sequence, hash: r.deployment?.bundleHash, template: r.deployment?.template } : { error: r.error?.code, sequence: r.deployment?.sequence },
    });
  }
}

function checkEnterprise(role: string, enterprise: string | undefined): void {
  if (role === 'enterprise' && !enterprise) {
    throw unprocessable('enterprise-needed', { zh: '企业用户必须属于一家企业：请填写 enterprise', en: 'an enterprise user belongs to one enterprise: give enterprise' }, [problem('enterprise-needed', ['body', 'enterprise'], { zh: '必填', en: 'required' })]);
  }
  if (role !== 'enterprise' && enterprise) {
    throw unprocessable('enterprise-not-allowed', { zh: '只有企业用户属于企业', en: 'only enterprise users belong to an enterprise' }, [problem('enterprise-not-allowed', ['body', 'enterprise'], { zh: '此角色不属于企业', en: 'this role belongs to no enterprise' })]);
  }
}
