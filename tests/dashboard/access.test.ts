import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { viewerCommand } from '../../runtime/cli/viewer-command';
import { runtimeRoutes } from '../../runtime/server/app';
import { SESSION_COOKIE } from '../../runtime/server/dashboard-routes';
import { dataDir } from '../../runtime/site/data-dir';
import { openViewerAccess, setKiosk, viewersFile } from '../../runtime/site/viewers';
import { shopDashboards, shopFlows } from './fixtures';
import type { DashboardSite } from './site';
import { ADMIN_TOKEN, startDashboardSite } from './site';

const sites: DashboardSite[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.close()));
});

const VIEWERS = [
  { name: 'wang', password: 'wang-password-1', canAck: true },
  { name: 'li', password: 'li-password-22', canAck: false },
];

async function site(options: Parameters<typeof startDashboardSite>[0] = {}) {
  const s = await startDashboardSite({ viewers: VIEWERS, ...options });
  sites.push(s);
  await s.deploy(shopFlows({ tickMs: 100 }), shopDashboards());
  return s;
}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test asserts the shape it expects
  body: any;
  headers: Headers;
}

async function call(s: DashboardSite, method: string, path: string, o: { cookie?: string; bearer?: string; body?: unknown; type?: string } = {}): Promise<Answer> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(o.cookie ? { Cookie: `${SESSION_COOKIE}=${o.cookie}` } : {}),
      ...(o.bearer ? { Authorization: `Bearer ${o.bearer}` } : {}),
      ...(o.body === undefined ? {} : { 'Content-Type': o.type ?? 'application/json' }),
    },
    ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (HTML, CSV): keep the text.
  }
  return { status: res.status, body, headers: res.headers };
}

async function login(s: DashboardSite, name: string, password: string): Promise<string> {
  const r = await call(s, 'POST', '/dashboard/api/login', { body: { name, password } });
  expect(r.status).toBe(200);
  const cookie = r.headers.get('set-cookie')!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  expect(cookie).toMatch(/Path=\/dashboard/);
  return decodeURIComponent(/kaiwu_viewer=([^;]+)/.exec(cookie)![1]!);
}

describe('viewer accounts', () => {
  it('keeps passwords only as scrypt hashes, in a file only the runtime user reads', async () => {
    const s = await site();
    const file = viewersFile(dataDir(s.root));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('wang-password-1');
    expect(JSON.parse(text).viewers[0].password).toMatchObject({ N: 32768, r: 8, p: 1 });
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('kaiwu viewer add|list|remove|kiosk manage the accounts of a site', async () => {
    const s = await site();
    const lines: string[] = [];
    const print = (l: string) => lines.push(l);
    expect(await viewerCommand({ action: 'add', name: 'zhao', canAck: false, passwordStdin: false, replace: false }, { data: s.root, lang: 'zh' }, print)).toBe(0);
    const password = /密码（只显示这一次）：(\S+)/.exec(lines.join('\n'))![1]!;
    expect(await login(s, 'zhao', password)).toBeTruthy();
    expect(await viewerCommand({ action: 'add', name: 'zhao', canAck: true, passwordStdin: true, replace: false }, { data: s.root, lang: 'en', readStdin: async () => 'another-password\n' }, print)).toBe(1);
    expect(lines.at(-1)).toBe('kaiwu: viewer "zhao" exists');
    expect(await viewerCommand({ action: 'add', name: 'qian', canAck: true, passwordStdin: true, replace: false }, { data: s.root, lang: 'en', readStdin: async () => 'short\n' }, print)).toBe(1);
    expect(lines.at(-1)).toContain('at least 8 characters');
    lines.length = 0;
    await viewerCommand({ action: 'list', json: false }, { data: s.root, lang: 'en' }, print);
    expect(lines.join('\n')).toMatch(/wang\s+may acknowledge/);
    expect(lines.join('\n')).toMatch(/zhao\s+read-only/);
    expect(lines.at(-1)).toBe('open kiosk: off');
    await viewerCommand({ action: 'kiosk', open: true, allow: ['10.0.0.8'] }, { data: s.root, lang: 'en' }, print);
    lines.length = 0;
    await viewerCommand({ action: 'list', json: false }, { data: s.root, lang: 'zh' }, print);
    expect(lines.at(-1)).toBe('开放看板：开（无需登录，只读；10.0.0.8）');
    expect(await viewerCommand({ action: 'remove', name: 'nobody' }, { data: s.root, lang: 'en' }, print)).toBe(1);
  });

  it('a login lasts its hours, then the viewer logs in again; a removed viewer is out at once', async () => {
    const s = await site();
    let now = Date.now();
    const access = openViewerAccess(dataDir(s.root), { now: () => now });
    const { token } = (await access.login('li', 'li-password-22'))!;
    expect(access.session(token)).toMatchObject({ name: 'li', canAck: false });
    now += 11 * 3_600_000;
    expect(access.session(token)).toBeDefined();
    now += 2 * 3_600_000;
    expect(access.session(token)).toBeUndefined();
    const again = (await access.login('wang', 'wang-password-1'))!;
    const cookie = await login(s, 'wang', 'wang-password-1');
    await viewerCommand({ action: 'remove', name: 'wang' }, { data: s.root, lang: 'en' }, () => undefined);
    expect(access.session(again.token)).toBeUndefined();
    expect((await call(s, 'GET', '/dashboard/api/pages', { cookie })).status).toBe(401);
  });
});

describe('dashboard access', () => {
  it('serves the app to anyone, its data only to a viewer', async () => {
    const s = await site();
    const app = await call(s, 'GET', '/dashboard/');
    expect(app.status).toBe(200);
    expect(app.headers.get('content-type')).toContain('text/html');
    expect((await call(s, 'GET', '/dashboard')).status).toBe(200);
    for (const path of ['/dashboard/api/pages', '/dashboard/api/views?keys=status/grid', '/dashboard/api/alarms', '/dashboard/api/live', '/dashboard/api/report?page=output', '/dashboard/api/me']) {
      const r = await call(s, 'GET', path);
      expect(r.status, path).toBe(401);
      expect(r.body.error.code).toBe('login-required');
    }
    const wrong = await call(s, 'POST', '/dashboard/api/login', { body: { name: 'wang', password: 'nope-nope-nope' } });
    const unknown = await call(s, 'POST', '/dashboard/api/login', { body: { name: 'nobody', password: 'nope-nope-nope' } });
    // The same answer for a wrong password and an unknown name: names cannot be probed.
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'wrong-login']);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'wrong-login']);
    const cookie = await login(s, 'li', 'li-password-22');
    const pages = await call(s, 'GET', '/dashboard/api/pages', { cookie });
    expect(pages.status).toBe(200);
    expect(pages.body.pages.map((p: { id: string }) => p.id)).toEqual(['status', 'output']);
    expect((await call(s, 'GET', '/dashboard/api/me', { cookie })).body).toMatchObject({ name: 'li', canAck: false, kiosk: false });
  });

  it('a viewer cannot reach any admin route, with the session cookie or with its token as a Bearer', async () => {
    const s = await site();
    const token = await login(s, 'wang', 'wang-password-1');
    const routes = runtimeRoutes({ site: s.site, queries: s.store, token: { matches: () => false }, logger: undefined as never, version: 'x' }).filter((r) => r.access !== 'public');
    expect(routes.length).toBeGreaterThan(5);
    for (const r of routes) {
      const path = r.path.replace(':id', '1');
      for (const auth of [{ cookie: token }, { bearer: token }, { cookie: token, bearer: token }]) {
        const answer = await call(s, r.method.toUpperCase(), path, { ...auth, ...(r.method === 'post' ? { body: {} } : {}) });
        expect(answer.status, `${r.method} ${path} ${JSON.stringify(Object.keys(auth))}`).toBe(401);
      }
    }
    // The admin token still works, and is no dashboard login.
    expect((await call(s, 'GET', '/api/status', { bearer: ADMIN_TOKEN })).status).toBe(200);
    expect((await call(s, 'GET', '/dashboard/api/pages', { bearer: ADMIN_TOKEN })).status).toBe(401);
    expect((await call(s, 'GET', '/dashboard/api/pages', { cookie: ADMIN_TOKEN })).status).toBe(401);
  });

  it('only viewers allowed to may acknowledge; who acknowledged is the account, not what the browser says', async () => {
    const s = await site();
    await expect.poll(() => s.store.listAlarms({ active: true }).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const [alarm] = s.store.listAlarms({ active: true });
    const li = await login(s, 'li', 'li-password-22');
    const refused = await call(s, 'POST', `/dashboard/api/alarms/${alarm!.id}/ack`, { cookie: li, body: {} });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'not-allowed']);
    const wang = await login(s, 'wang', 'wang-password-1');
    // A form post from another site cannot send JSON: refused before anything happens.
    expect((await call(s, 'POST', `/dashboard/api/alarms/${alarm!.id}/ack`, { cookie: wang, body: 'comment=x', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    const ok = await call(s, 'POST', `/dashboard/api/alarms/${alarm!.id}/ack`, { cookie: wang, body: { comment: '已降温', by: 'someone-else' } });
    expect(ok.status).toBe(200);
    expect(s.store.listAlarms({ active: true }).find((a) => a.id === alarm!.id)!.ack).toMatchObject({ by: 'wang', comment: '已降温' });
    expect((await call(s, 'POST', `/dashboard/api/alarms/${alarm!.id}/ack`, { cookie: wang, body: {} })).status).toBe(409);
  });

  it('gives history only of series a dashboard shows', async () => {
    const s = await site();
    const cookie = await login(s, 'li', 'li-password-22');
    const now = Date.now();
    await expect.poll(async () => (await call(s, 'GET', `/dashboard/api/series?key=output/temps&series=t2&from=${now - 60_000}&to=${now + 60_000}`, { cookie })).body.points?.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    const answer = await call(s, 'GET', `/dashboard/api/series?key=output/temps&series=t2&from=${now - 60_000}&to=${now + 60_000}`, { cookie });
    expect(answer.body.points[0]).toEqual([expect.any(Number), expect.any(Number)]);
    expect((await call(s, 'GET', `/dashboard/api/series?key=output/per-device&series=t1&from=0&to=10`, { cookie })).status).toBe(404);
    expect((await call(s, 'GET', `/dashboard/api/series?key=output/temps&series=nope&from=0&to=10`, { cookie })).status).toBe(404);
  });

  it('an open kiosk shows the dashboard without a login, read-only, and only where the site allows', async () => {
    const s = await site({ kiosk: true });
    const pages = await call(s, 'GET', '/dashboard/api/pages');
    expect(pages.status).toBe(200);
    expect((await call(s, 'GET', '/dashboard/api/me')).body).toMatchObject({ name: 'kiosk', kiosk: true, canAck: false });
    expect((await call(s, 'POST', '/dashboard/api/alarms/1/ack', { body: {} })).status).toBe(403);
    expect((await call(s, 'GET', '/api/status')).status).toBe(401);
    setKiosk(dataDir(s.root), { open: true, allow: ['10.1.2.3'] });
    expect((await call(s, 'GET', '/dashboard/api/pages')).status).toBe(401);
    setKiosk(dataDir(s.root), { open: true, allow: ['127.0.0.1'] });
    expect((await call(s, 'GET', '/dashboard/api/pages')).status).toBe(200);
  });

  it('slows down guessing: after ten failed logins from an address it has to wait', async () => {
    const s = await site();
    for (let i = 0; i < 10; i++) expect((await call(s, 'POST', '/dashboard/api/login', { body: { name: 'wang', password: `guess-${i}-xxxx` } })).status).toBe(401);
    const locked = await call(s, 'POST', '/dashboard/api/login', { body: { name: 'wang', password: 'wang-password-1' } });
    expect([locked.status, locked.body.error.code]).toEqual([429, 'too-many-attempts']);
  });
});
