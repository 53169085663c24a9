import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignedBundle } from '../../../runtime/bundle/verify-bundle';
import type { TestSite } from '../../helpers/site';
import type { Client, Json, RunningStudio } from './helpers';
import { ovenInstance, startStudio, startTrustingSite } from './helpers';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function studio(options: Parameters<typeof startStudio>[0] = {}) {
  const s = await startStudio(options);
  cleanup.push(() => s.close());
  return s;
}

async function site(s: RunningStudio, options: { probationMs?: number } = {}): Promise<TestSite & { closed?: boolean }> {
  const t: TestSite & { closed?: boolean } = await startTrustingSite(s.studio, options);
  cleanup.push(async () => {
    if (!t.closed) await t.close();
  });
  return t;
}

/** An enterprise with an instance bound to a registered site runtime, and an engineer assigned to it. */
async function ready(s: RunningStudio, options: { probationMs?: number; enterprise?: Client; name?: string } = {}) {
  const runtime = await site(s, options);
  const registered = await s.admin.api('POST', '/api/sites', { name: options.name ?? '湖州一号车间', url: runtime.url, token: runtime.token, enterprise: '湖州某涂装厂' });
  if (registered.status !== 201) throw new Error(JSON.stringify(registered.body));
  const enterprise = options.enterprise ?? await s.user('lihua', 'enterprise', '湖州某涂装厂');
  const instance = (await enterprise.api('POST', '/api/instances', ovenInstance())).body.instance;
  const bound = await enterprise.api('PUT', `/api/sites/${registered.body.site.id}/instance`, { instanceId: instance.id });
  if (bound.status !== 200) throw new Error(JSON.stringify(bound.body));
  return { runtime, siteId: registered.body.site.id as string, instance, enterprise };
}

async function untilActive(runtime: TestSite, sequence: number) {
  for (let i = 0; i < 200; i++) {
    const st = (await runtime.api('GET', '/api/status')).body;
    if (st.deployment?.sequence === sequence && st.deployment.status === 'active') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`deployment ${sequence} did not become active`);
}

describe('deploying to site runtimes', () => {
  it('lets an enterprise deploy to and roll back its own site, and see no other', async () => {
    const s = await studio();
    const { runtime, siteId, enterprise } = await ready(s);
    const deployed = await enterprise.api('POST', `/api/sites/${siteId}/deploy`);
    expect(deployed.status).toBe(201);
    expect((await runtime.api('GET', '/api/status')).body.deployment).toMatchObject({ sequence: 1 });
    const other = await s.user('zhoujie', 'enterprise', '嘉兴某热处理厂');
    expect((await other.api('POST', `/api/sites/${siteId}/deploy`)).status).toBe(404);
    expect((await other.api('POST', `/api/sites/${siteId}/offline-bundle`)).status).toBe(404);
    expect((await s.admin.api('GET', '/api/audit?action=deploy')).body.entries[0]).toMatchObject({ user: { username: 'lihua' }, outcome: 'ok' });
  });

  it('deploys a signed bundle that the runtime runs, and shows it in the fleet with its drift and health', async () => {
    const s = await studio();
    const { runtime, siteId, instance, enterprise } = await ready(s);
    const engineer = await s.user('wangfang', 'field-engineer');
    expect((await s.admin.api('PUT', `/api/sites/${siteId}/engineers`, { userIds: [engineer.id] })).status).toBe(200);

    // The engineer sees the instance it deploys, and nothing else.
    expect((await engineer.api('GET', '/api/instances')).body.instances.map((i: Json) => i.id)).toEqual([instance.id]);
    const deployed = await engineer.api('POST', `/api/sites/${siteId}/deploy`);
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ ok: true, status: 'deployed', deployment: { sequence: 1, template: 'oven-watch@1.2.0', runtimeStatus: 'probation' } });
    // What the runtime itself says, through its own API.
    const status = (await runtime.api('GET', '/api/status')).body;
    expect(status.deployment).toMatchObject({ sequence: 1, hash: deployed.body.deployment.bundleHash, status: 'probation' });
    expect(status.nodes.map((n: Json) => `${n.flowId}/${n.nodeId}`).sort()).toEqual(['energy/sum', 'energy/tick', 'overheat/alarm', 'overheat/read', 'overheat/show', 'report/shift']);
    const live = await enterprise.api('GET', `/api/sites/${siteId}/status`);
    expect(live.body.status.deployment.hash).toBe(deployed.body.deployment.bundleHash);

    await s.studio.health.refresh([siteId]);
    const fleet = (await enterprise.api('GET', '/api/fleet')).body;
    expect(fleet.total).toBe(1);
    expect(fleet.sites[0]).toMatchObject({
      id: siteId, enterprise: '湖州某涂装厂', runtimeSite: 'test-site', drift: 'in-sync',
      deployed: { template: 'oven-watch@1.2.0', sequence: 1, bundleHash: deployed.body.deployment.bundleHash },
      health: { state: 'ok', runtime: { sequence: 1, hash: deployed.body.deployment.bundleHash } },
      lastDeploy: { status: 'deployed' },
    });

    await enterprise.api('PATCH', `/api/instances/${instance.id}`, { parameters: { highC: 255 } });
    expect((await enterprise.api('GET', '/api/fleet')).body.sites[0].drift).toBe('instance-changed');
    const again = await engineer.api('POST', `/api/sites/${siteId}/deploy`);
    expect(again.body.deployment.sequence).toBe(2);
    expect((await enterprise.api('GET', '/api/fleet')).body).toMatchObject({ sites: [{ drift: 'in-sync', deployed: { sequence: 2 } }], summary: { drift: { 'in-sync': 1 }, health: { ok: 1 } } });
    const history = (await enterprise.api('GET', `/api/sites/${siteId}/deployments`)).body;
    expect(history.deployments.map((d: Json) => [d.kind, d.status, d.sequence, d.by])).toEqual([['online', 'deployed', 2, 'wangfang'], ['online', 'deployed', 1, 'wangfang']]);
    const audit = (await s.admin.api('GET', '/api/audit?action=deploy')).body.entries;
    expect(audit.map((e: Json) => [e.user.username, e.target, e.outcome, e.detail.sequence])).toEqual([['wangfang', `site:${siteId}`, 'ok', 2], ['wangfang', `site:${siteId}`, 'ok', 1]]);
  });

  it('refuses an engineer\'s deploy to a site not assigned to it, with the reason, and records nothing as deployed', async () => {
    const s = await studio();
    const { runtime, siteId } = await ready(s);
    const outsider = await s.user('sunli', 'field-engineer');
    const refused = await outsider.api('POST', `/api/sites/${siteId}/deploy`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'site-not-assigned',
      text: {
        zh: `站点 “湖州一号车间”（${siteId}）没有分配给你，不能部署到这里；请管理员用 PUT /api/sites/${siteId}/engineers 分配`,
        en: `site "湖州一号车间" (${siteId}) is not assigned to you, so you cannot deploy to it; an admin assigns it with PUT /api/sites/${siteId}/engineers`,
      },
    });
    const batch = await outsider.api('POST', '/api/deployments/batch', { sites: [siteId] });
    expect(batch.status).toBe(403);
    expect(batch.body.error).toMatchObject({ code: 'sites-not-assigned', details: [expect.objectContaining({ code: 'site-not-assigned', at: 'body.sites[0]' })] });
    expect((await outsider.api('POST', `/api/sites/${siteId}/offline-bundle`)).body.error.code).toBe('site-not-assigned');
    expect((await s.admin.api('GET', `/api/sites/${siteId}/deployments`)).body.deployments).toEqual([]);
    expect((await s.admin.api('GET', `/api/sites/${siteId}`)).body.site).toMatchObject({ deployed: null, lastSequence: 0, lastDeploy: null });
    expect((await runtime.api('GET', '/api/status')).body.deployment).toBeNull();
    const audit = (await s.admin.api('GET', '/api/audit?action=deploy')).body.entries;
    expect(audit.map((e: Json) => [e.user.username, e.outcome])).toEqual([['sunli', 'refused'], ['sunli', 'refused']]);
  });

  it('deploys a batch concurrently with a result per site: a site that is down gets its error, the others run', async () => {
    const s = await studio();
    const enterprise = await s.user('lihua', 'enterprise', '湖州某涂装厂');
    const sites = [];
    for (const name of ['一号车间', '二号车间', '三号车间']) sites.push(await ready(s, { enterprise, name }));
    const down = sites[1]!;
    await down.runtime.close();
    (down.runtime as { closed?: boolean }).closed = true;

    const batch = await s.admin.api('POST', '/api/deployments/batch', { sites: sites.map((x) => x.siteId) });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ deployed: 2, failed: 1 });
    expect(batch.body.results.map((r: Json) => [r.site.name, r.status])).toEqual([['一号车间', 'deployed'], ['二号车间', 'failed'], ['三号车间', 'deployed']]);
    expect(batch.body.results[1].error).toMatchObject({ code: 'unreachable', text: { zh: expect.stringContaining(`连不上站点运行时 ${down.runtime.url}`), en: expect.stringContaining(`cannot reach the site runtime at ${down.runtime.url}`) } });
    for (const i of [0, 2]) expect((await sites[i]!.runtime.api('GET', '/api/status')).body.deployment.sequence).toBe(1);
    const fleet = (await s.admin.api('GET', '/api/fleet')).body;
    expect(fleet.sites.map((x: Json) => [x.name, x.drift, x.health.state, x.lastDeploy.status])).toEqual([
      ['一号车间', 'in-sync', 'ok', 'deployed'],
      ['三号车间', 'in-sync', 'ok', 'deployed'],
      ['二号车间', 'not-deployed', 'down', 'failed'],
    ]);
  });

  it('passes on the runtime\'s refusal with its details, and takes a site back to its last good deployment', async () => {
    const s = await studio();
    const { runtime, siteId, instance, enterprise } = await ready(s, { probationMs: 30 });
    expect((await s.admin.api('POST', `/api/sites/${siteId}/rollback`)).body.error).toMatchObject({ code: 'nothing-to-roll-back-to', text: { en: expect.stringContaining('the site runtime refused (HTTP 409 nothing-to-roll-back-to)') } });
    const first = (await s.admin.api('POST', `/api/sites/${siteId}/deploy`)).body;
    await untilActive(runtime, 1);
    await enterprise.api('PATCH', `/api/instances/${instance.id}`, { parameters: { highC: 300 } });
    expect((await s.admin.api('POST', `/api/sites/${siteId}/deploy`)).body.deployment.sequence).toBe(2);

    const back = await s.admin.api('POST', `/api/sites/${siteId}/rollback`);
    expect(back.status).toBe(200);
    expect(back.body.deployment).toMatchObject({ sequence: 1, bundleHash: first.deployment.bundleHash });
    expect((await runtime.api('GET', '/api/status')).body.deployment).toMatchObject({ sequence: 1, status: 'active' });
    expect((await s.admin.api('GET', '/api/fleet')).body.sites[0]).toMatchObject({ drift: 'instance-changed', deployed: { sequence: 1, template: 'oven-watch@1.2.0' }, lastDeploy: { status: 'rolled-back' } });

    // Nothing the runtime accepts can carry a sequence it has passed; the studio learns the runtime's and goes above it.
    const next = await s.admin.api('POST', `/api/sites/${siteId}/deploy`);
    expect(next.body.deployment.sequence).toBe(3);
    expect((await s.admin.api('GET', '/api/audit?action=rollback')).body.entries.map((e: Json) => e.outcome)).toEqual(['ok', 'failed']);
  });

  it('exports a signed bundle for a USB stick that the runtime accepts, and recognises it when the site runs it', async () => {
    const s = await studio();
    const { runtime, siteId } = await ready(s);
    const res = await fetch(`${s.url}/api/sites/${siteId}/offline-bundle`, { method: 'POST', headers: { Authorization: `Bearer ${s.admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="test-site-1.json"');
    const signed = await res.json() as Json;
    const trusted = new Map([[s.studio.key.keyId, createPublicKey(readFileSync(s.studio.key.publicFile, 'utf8'))]]);
    const verified = verifySignedBundle(signed, trusted);
    expect(verified).toMatchObject({ ok: true, bundle: { site: 'test-site', sequence: 1, source: { kind: 'instance', template: 'oven-watch@1.2.0' } } });
    expect((await s.admin.api('GET', `/api/sites/${siteId}/deployments`)).body.deployments.map((d: Json) => [d.kind, d.status, d.sequence])).toEqual([['offline', 'exported', 1]]);
    expect((await s.admin.api('GET', '/api/fleet')).body.sites[0].drift).toBe('not-deployed');

    // The engineer applies it on site; the studio sees the runtime run a bundle it made.
    expect((await runtime.api('POST', '/api/deployments', signed)).status).toBe(201);
    await s.studio.health.refresh([siteId]);
    expect((await s.admin.api('GET', '/api/fleet')).body.sites[0]).toMatchObject({ drift: 'in-sync', deployed: { sequence: 1, bundleHash: signed.hash } });
  });

  it('registers a runtime only when its token works, keeps the token sealed, and checks the bound instance is for that runtime', async () => {
    const s = await studio();
    const runtime = await site(s);
    const wrong = await s.admin.api('POST', '/api/sites', { name: 'x', url: runtime.url, token: 'not-the-right-token-at-all' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'site-token-refused', details: [expect.objectContaining({ at: 'token' })] });
    const nowhere = await s.admin.api('POST', '/api/sites', { name: 'x', url: 'http://127.0.0.1:9', token: runtime.token });
    expect(nowhere.status).toBe(502);
    expect(nowhere.body.error.code).toBe('site-unreachable');
    expect((await s.admin.api('POST', '/api/sites', { name: 'x', url: 'ftp://somewhere', token: runtime.token })).body.error.code).toBe('invalid-url');

    const ok = await s.admin.api('POST', '/api/sites', { name: '德清示范车间', url: `${runtime.url}/`, token: runtime.token });
    expect(ok.body.site).toMatchObject({ url: runtime.url, runtimeSite: 'test-site', health: { state: 'ok' }, registeredVia: 'register' });
    expect((await s.admin.api('GET', '/api/audit?action=site-register')).body.entries.map((e: Json) => [e.user.username, e.target, e.detail.name])).toEqual([['admin', `site:${ok.body.site.id}`, '德清示范车间']]);
    const stored = s.studio.db.prepare('SELECT token_sealed FROM sites').pluck().get() as string;
    expect(stored).not.toContain(runtime.token);
    expect(readFileSync(s.studio.dir.database).includes(Buffer.from(runtime.token))).toBe(false);

    const contractor = await s.user('zhangwei', 'contractor');
    const elsewhere = (await contractor.api('POST', '/api/instances', ovenInstance({ enterprise: '德清某涂装厂', site: 'deqing-1' }))).body.instance;
    const mismatch = await contractor.api('PUT', `/api/sites/${ok.body.site.id}/instance`, { instanceId: elsewhere.id });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error).toMatchObject({ code: 'site-id-mismatch', text: { en: 'the instance is for site id "deqing-1", but this runtime serves "test-site"; set the instance\'s site to "test-site" first' } });
  });

  it('pairs a runtime with a one-time code that works once and lapses after 15 minutes', async () => {
    let t = Date.parse('2026-05-04T09:00:00Z');
    const s = await studio({ clock: { now: () => t } });
    const runtime = await site(s);
    const engineer = await s.user('wangfang', 'field-engineer');
    const code = await engineer.api('POST', '/api/pairing-codes', { name: '嘉兴二号车间', enterprise: '嘉兴某热处理厂' });
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(code.body.expiresAt).toBe(new Date(t + 15 * 60_000).toISOString());

    const bad = await s.anonymous.api('POST', `/api/pairing/${code.body.code}`, { url: runtime.url, token: 'wrong-wrong-wrong-wrong' });
    expect(bad.body.error.code).toBe('site-token-refused');
    const paired = await s.anonymous.api('POST', `/api/pairing/${code.body.code.toLowerCase()}`, { url: runtime.url, token: runtime.token });
    expect(paired.status).toBe(201);
    const view = (await engineer.api('GET', `/api/sites/${paired.body.site.id}`)).body.site;
    expect(view).toMatchObject({ name: '嘉兴二号车间', enterprise: '嘉兴某热处理厂', registeredVia: 'pairing', engineers: [{ username: 'wangfang' }] });
    expect((await s.anonymous.api('POST', `/api/pairing/${code.body.code}`, { url: runtime.url, token: runtime.token })).body.error.code).toBe('pairing-code-used');

    const late = (await engineer.api('POST', '/api/pairing-codes', {})).body.code;
    t += 15 * 60_000 + 1;
    expect((await s.anonymous.api('POST', `/api/pairing/${late}`, { url: runtime.url, token: runtime.token })).body.error.code).toBe('pairing-code-unknown');
    expect((await s.admin.api('GET', '/api/audit?action=site-pair')).body.entries).toHaveLength(1);
  });

  it('keeps each enterprise to its own sites', async () => {
    const s = await studio();
    const { siteId } = await ready(s);
    const jiaxing = await s.user('zhoujie', 'enterprise', '嘉兴某热处理厂');
    const missing = await jiaxing.api('GET', '/api/sites/st_nothing');
    for (const path of [`/api/sites/${siteId}`, `/api/sites/${siteId}/status`, `/api/sites/${siteId}/deployments`]) {
      const r = await jiaxing.api('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body).toEqual(missing.body);
    }
    expect((await jiaxing.api('PUT', `/api/sites/${siteId}/instance`, { instanceId: null })).status).toBe(404);
    expect((await jiaxing.api('GET', '/api/fleet')).body).toMatchObject({ total: 0, sites: [] });
  });
});
