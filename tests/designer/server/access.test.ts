import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../designer/server/roles';
import { ROLES } from '../../../designer/server/roles';
import type { Client, RunningStudio } from './helpers';
import { PASSWORD, client, startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
async function studio(options: Parameters<typeof startStudio>[0] = {}) {
  const s = await startStudio(options);
  running.push(s);
  return s;
}

const concrete = (path: string) => path.replace(':id', 'nope').replace(':version', '9.9.9').replace(':code', 'ABCD-EFGH');

describe('studio access', () => {
  it('serves exactly the route table, and every route but health, login, pairing and heartbeats needs a session', async () => {
    const s = await studio();
    const served = (s.studio.app.router.stack as { route?: { path: string; methods: Record<string, boolean> } }[])
      .filter((l) => l.route)
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`));
    expect(served.sort()).toEqual(s.studio.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
    expect(s.studio.routes.filter((r) => typeof r.access === 'string').map((r) => `${r.method} ${r.path}`).sort()).toEqual(['get /api/health', 'post /api/login', 'post /api/pairing/:code', 'post /api/sites/:id/heartbeat']);

    for (const r of s.studio.routes.filter((x) => typeof x.access !== 'string')) {
      for (const token of [undefined, 'not-a-session-token', '']) {
        const answer = await client(s.url, token).api(r.method.toUpperCase(), concrete(r.path), r.method === 'get' || r.method === 'delete' ? undefined : {});
        expect(answer.status, `${r.method} ${r.path} with ${JSON.stringify(token)}`).toBe(401);
        expect(answer.body.error).toMatchObject({ code: 'unauthorized', text: { zh: expect.stringContaining('请先登录'), en: expect.stringContaining('sign in') } });
      }
    }
    // An unknown path tells a stranger nothing; a signed-in user learns it does not exist.
    expect((await s.anonymous.api('GET', '/api/secret-things')).status).toBe(401);
    expect((await s.admin.api('GET', '/api/secret-things')).body.error.code).toBe('not-found');
  });

  it('lets each role reach only the routes of its role, and answers the rest 403', async () => {
    const s = await studio();
    const clients: Record<Role, Client> = {
      admin: s.admin,
      contractor: await s.user('zhangwei', 'contractor'),
      enterprise: await s.user('lihua', 'enterprise', '湖州某涂装厂'),
      'field-engineer': await s.user('wangfang', 'field-engineer'),
    };
    const expected: Record<string, readonly Role[]> = {
      'GET /api/users': ['admin'], 'POST /api/users': ['admin'], 'PATCH /api/users/:id': ['admin'], 'GET /api/audit': ['admin'],
      'POST /api/templates': ['contractor'], 'PUT /api/templates/:id/versions/:version': ['contractor'],
      'POST /api/templates/:id/versions/:version/publish': ['contractor'], 'DELETE /api/templates/:id/versions/:version': ['contractor'],
      'POST /api/instances': ['contractor', 'enterprise'], 'PATCH /api/instances/:id': ['contractor', 'enterprise'], 'DELETE /api/instances/:id': ['contractor', 'enterprise'],
      'POST /api/instances/:id/copy': ['contractor', 'enterprise'], 'GET /api/instances/:id/upgrade': ['contractor', 'enterprise'], 'POST /api/instances/:id/upgrade': ['contractor', 'enterprise'],
      'POST /api/sites': ['admin', 'field-engineer'], 'POST /api/pairing-codes': ['admin', 'field-engineer'], 'POST /api/sites/:id/heartbeat-token': ['admin', 'field-engineer'], 'PATCH /api/sites/:id': ['admin'],
      'PUT /api/sites/:id/instance': ['admin', 'contractor', 'enterprise'], 'PUT /api/sites/:id/engineers': ['admin'],
      'POST /api/sites/:id/deploy': ['admin', 'enterprise', 'field-engineer'], 'POST /api/deployments/batch': ['admin', 'field-engineer'],
      'POST /api/sites/:id/rollback': ['admin', 'enterprise', 'field-engineer'], 'POST /api/sites/:id/offline-bundle': ['admin', 'enterprise', 'field-engineer'],
      'POST /api/previews': ['admin', 'contractor', 'enterprise'], 'GET /api/previews': ['admin', 'contractor', 'enterprise'], 'GET /api/previews/:id': ['admin', 'contractor', 'enterprise'],
      'GET /api/previews/:id/events': ['admin', 'contractor', 'enterprise'], 'POST /api/previews/:id/inject': ['admin', 'contractor', 'enterprise'],
      'POST /api/previews/:id/devices/:device': ['admin', 'contractor', 'enterprise'], 'DELETE /api/previews/:id': ['admin', 'contractor', 'enterprise'],
      'POST /api/templates/:id/versions/:version/tests/run': ['admin', 'contractor'], 'POST /api/template-tests': ['admin', 'contractor'],
    };
    const guarded = s.studio.routes.filter((r) => typeof r.access !== 'string');
    for (const r of guarded) {
      const key = `${r.method.toUpperCase()} ${r.path}`;
      expect([...r.access].sort(), key).toEqual([...(expected[key] ?? ROLES)].sort());
      for (const role of ROLES) {
        // Signing out ends the session the other checks use: it gets a session of its own.
        const c = key === 'POST /api/logout' ? await s.login(role === 'admin' ? 'admin' : { contractor: 'zhangwei', enterprise: 'lihua', 'field-engineer': 'wangfang' }[role], role === 'admin' ? s.studio.adminPassword! : PASSWORD) : clients[role];
        const answer = await c.api(r.method.toUpperCase(), concrete(r.path), r.method === 'get' || r.method === 'delete' ? undefined : {});
        if (r.access.includes(role)) {
          expect(answer.status, `${key} as ${role}`).not.toBe(401);
          expect(answer.body?.error?.code, `${key} as ${role}`).not.toBe('forbidden');
        } else {
          expect(answer.status, `${key} as ${role}`).toBe(403);
          expect(answer.body.error.code).toBe('forbidden');
          expect(answer.body.error.text.en).toContain(`the ${role.replace('-', ' ')} role may not do this`);
        }
      }
    }
  });

  it('signs a browser in with an HttpOnly SameSite=Strict cookie, an API client with a bearer token, and signs out', async () => {
    const s = await studio();
    const browser = await s.anonymous.api('POST', '/api/login', { username: 'admin', password: s.studio.adminPassword });
    expect(browser.status).toBe(200);
    expect(browser.body.token).toBeUndefined();
    const setCookie = browser.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^kaiwu_session=[\w-]{20,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/);
    const cookie = setCookie.split(';')[0]!;
    const me = await fetch(`${s.url}/api/me`, { headers: { Cookie: cookie } });
    expect(((await me.json()) as { user: { username: string; role: string } }).user).toMatchObject({ username: 'admin', role: 'admin' });
    const out = await fetch(`${s.url}/api/logout`, { method: 'POST', headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${s.url}/api/me`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await s.admin.api('GET', '/api/me')).body.user.username).toBe('admin');
  });

  it('ends a session after 12 idle hours or 7 days, whichever comes first', async () => {
    let t = Date.parse('2026-03-02T08:00:00Z');
    const s = await studio({ clock: { now: () => t } });
    const idle = await s.login('admin', s.studio.adminPassword!);
    t += 12 * 3_600_000 - 60_000;
    expect((await idle.api('GET', '/api/me')).status).toBe(200);
    t += 12 * 3_600_000;
    expect((await idle.api('GET', '/api/me')).status).toBe(401);

    const busy = await s.login('admin', s.studio.adminPassword!);
    for (let h = 0; h < 7 * 24 - 11; h += 11) {
      t += 11 * 3_600_000;
      expect((await busy.api('GET', '/api/me')).status, `after ${h + 11} h`).toBe(200);
    }
    t += 11 * 3_600_000;
    expect((await busy.api('GET', '/api/me')).status).toBe(401);
  });

  it('slows down password guessing per user and address, and records every attempt', async () => {
    const s = await studio();
    for (let i = 0; i < 5; i++) {
      const bad = await s.anonymous.api('POST', '/api/login', { username: 'admin', password: `guess-${i}` });
      expect(bad.status).toBe(401);
      expect(bad.body.error).toMatchObject({ code: 'login-failed', text: { zh: '用户名或密码不正确', en: 'wrong user name or password' } });
    }
    const blocked = await s.anonymous.api('POST', '/api/login', { username: 'admin', password: s.studio.adminPassword });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too-many-attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another name from the same address is not held back by admin's failures.
    expect((await s.anonymous.api('POST', '/api/login', { username: 'nobody', password: 'whatever-it-is' })).status).toBe(401);
    const log = await s.admin.api('GET', '/api/audit?action=login');
    expect(log.body.entries.filter((e: { outcome: string }) => e.outcome === 'refused').length).toBeGreaterThanOrEqual(6);
  });

  it('creates the admin once with a password file only its owner reads, and a signing key to trust', async () => {
    const s = await studio();
    const file = s.studio.dir.adminPassword;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(s.studio.adminPassword);
    expect(statSync(s.studio.dir.signingKey).mode & 0o777).toBe(0o600);
    expect(statSync(s.studio.dir.secretKey).mode & 0o777).toBe(0o600);
    const key = await s.admin.api('GET', '/api/studio/public-key');
    expect(key.body).toMatchObject({ keyId: s.studio.key.keyId, alg: 'Ed25519', publicKey: readFileSync(s.studio.dir.publicKey, 'utf8') });
    expect(key.body.trust.zh).toContain('kaiwu trust');
    const dataDir = s.dataDir;
    const password = s.studio.adminPassword!;
    await running.pop()!.close();

    const again = await studio({ dataDir });
    expect(again.studio.adminPassword).toBeUndefined();
    expect(again.studio.key.keyId).toBe(key.body.keyId);
    expect((await (await again.login('admin', password)).api('GET', '/api/me')).body.user.role).toBe('admin');
  });

  it('answers bad JSON and oversized bodies in the one error shape, without a stack', async () => {
    const s = await studio({ bodyLimit: '2kb' });
    const bad = await s.admin.api('POST', '/api/users', '{"username": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid-json', message: expect.any(String), text: { zh: expect.any(String), en: expect.any(String) }, details: [] });
    expect(JSON.stringify(bad.body)).not.toContain('    at ');
    expect((await s.admin.api('POST', '/api/users', { username: 'x'.repeat(5000) })).body.error.code).toBe('body-too-large');
    const invalid = await s.admin.api('POST', '/api/users', { username: 'a b', role: 'boss' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { at: string }) => d.at).sort()).toEqual(['body.role', 'body.username']);
  });

  it('keeps the last admin and gives an enterprise user exactly one enterprise', async () => {
    const s = await studio();
    const me = (await s.admin.api('GET', '/api/me')).body.user;
    expect((await s.admin.api('PATCH', `/api/users/${me.id}`, { disabled: true })).body.error.code).toBe('last-admin');
    expect((await s.admin.api('POST', '/api/users', { username: 'lihua', role: 'enterprise', password: PASSWORD })).body.error).toMatchObject({ code: 'enterprise-needed', details: [expect.objectContaining({ at: 'body.enterprise' })] });
    const made = await s.admin.api('POST', '/api/users', { username: 'zhao', role: 'field-engineer' });
    expect(made.status).toBe(201);
    expect(made.body.password).toMatch(/^[\w-]{20}$/);
    const zhao = await s.login('zhao', made.body.password);
    expect((await zhao.api('GET', '/api/me')).status).toBe(200);
    await s.admin.api('PATCH', `/api/users/${made.body.user.id}`, { disabled: true });
    expect((await zhao.api('GET', '/api/me')).status).toBe(401);
    const audit = await s.admin.api('GET', '/api/audit?action=user-update');
    expect(audit.body.entries[0]).toMatchObject({ action: 'user-update', target: `user:${made.body.user.id}`, user: { username: 'admin' }, detail: { disabled: true } });
  });
});
