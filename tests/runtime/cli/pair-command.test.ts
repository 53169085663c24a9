import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStudio } from '../../designer/server/helpers';
import { ROOT, runKaiwu } from '../../helpers/cli';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `kaiwu runtime` as the site runs it, heartbeating every second once paired. */
function startRuntime(data: string): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`${ROOT}bin/kaiwu.mjs`, '--lang', 'en', 'runtime', '--data', data, '--port', '0', '--log-level', 'warn', '--heartbeat', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => proc.kill('SIGKILL'));
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (http:\/\/\S+)\n/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    proc.on('exit', (code) => reject(new Error(`runtime exited with ${code}: ${out}`)));
  });
}

describe('kaiwu pair and heartbeats', () => {
  it('pairs a running runtime by code; the studio then sees it live from its heartbeats alone', async () => {
    // The studio never polls here (its health monitor is off): all it knows comes from heartbeats.
    const s = await startStudio();
    cleanups.push(() => s.close());
    const engineer = await s.user('wangfang', 'field-engineer');
    const data = join(mkdtempSync(join(tmpdir(), 'kaiwu-pair-')), 'site');
    const kaiwu = (...args: string[]) => runKaiwu(['--lang', 'en', ...args]);

    const early = await kaiwu('pair', 'ABCD-EFGH', '--studio', s.url, '--data', data, '--url', 'http://127.0.0.1:1');
    expect(early.code).toBe(1);
    expect(early.stdout).toContain(`no admin token: ${join(data, 'admin-token')} does not exist`);

    const runtime = await startRuntime(data);
    const token = readFileSync(join(data, 'admin-token'), 'utf8').trim();
    const unknown = await kaiwu('pair', 'ABCD-EFGH', '--studio', s.url, '--data', data, '--url', runtime.url);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('HTTP 404 pairing-code-unknown');

    const code = (await engineer.api('POST', '/api/pairing-codes', { name: '嘉兴二号车间', enterprise: '嘉兴某热处理厂' })).body.code as string;
    const paired = await kaiwu('pair', code, '--studio', s.url, '--data', data, '--url', runtime.url);
    expect(paired.code, paired.stdout).toBe(0);
    expect(paired.stdout).toMatch(/paired with the studio: site "嘉兴二号车间" \(st_[\w-]+\); the studio reaches this runtime at http:\/\/127\.0\.0\.1:\d+; a heartbeat every 30 s/);
    expect(statSync(join(data, 'studio.json')).mode & 0o777).toBe(0o600);
    const link = JSON.parse(readFileSync(join(data, 'studio.json'), 'utf8'));
    expect(link).toMatchObject({ studio: s.url, siteId: expect.stringMatching(/^st_/), heartbeatPath: `/api/sites/${link.siteId}/heartbeat` });

    // The running runtime finds the link by itself and reports.
    let view: { heartbeat: null | { at: string; uplink: unknown[]; devices: unknown } ; health: { state: string } } | undefined;
    for (let i = 0; i < 100; i++) {
      view = (await engineer.api('GET', `/api/sites/${link.siteId}`)).body.site;
      if (view?.heartbeat) break;
      await sleep(100);
    }
    expect(view?.heartbeat).toMatchObject({ uplink: [], devices: { total: 0, online: 0 } });
    expect(view?.health.state).toBe('ok');
    const first = Date.parse(view!.heartbeat!.at);
    await sleep(2_200);
    const later = (await engineer.api('GET', `/api/sites/${link.siteId}`)).body.site;
    expect(Date.parse(later.heartbeat.at)).toBeGreaterThan(first);
    const status = await fetch(`${runtime.url}/api/status`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
    expect(status.studio).toMatchObject({ paired: true, studio: s.url, siteId: link.siteId, failed: 0 });
    expect(status.studio.sent).toBeGreaterThanOrEqual(2);

    // Only this site's token is good for its heartbeats; a malformed report says where.
    const post = (body: unknown, bearer: string) => fetch(`${s.url}${link.heartbeatPath}`, { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const forged = await post({ site: null, deployment: null, lastKnownGood: null, lastSequence: 0, nodes: [] }, 'hb_not-the-right-token-at-all');
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('heartbeat-token-refused');
    const malformed = await post({ site: null, deployment: null, lastKnownGood: null, lastSequence: -1, nodes: [] }, link.heartbeatToken);
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.details[0]).toMatchObject({ at: 'body.lastSequence' });

    // What a site behind a dead 4G link reports once it is back: its backlog shows in the fleet.
    await runtime.proc.kill('SIGKILL');
    const backlog = { id: 'cloud', kind: 'mqtt', connected: false, backlog: 125_000, lagMs: 3_600_000, dropped: 0, dead: 0, sent: 10 };
    expect((await post({ site: 'plant-9', deployment: null, lastKnownGood: null, lastSequence: 0, nodes: [], uplink: [backlog] }, link.heartbeatToken)).status).toBe(200);
    const fleet = (await engineer.api('GET', '/api/fleet')).body;
    expect(fleet.sites[0].heartbeat.uplink).toEqual([{ id: 'cloud', connected: false, backlog: 125_000, lagMs: 3_600_000, dropped: 0, dead: 0 }]);
  }, 60_000);
});
