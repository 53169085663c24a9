import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kaiwu demo (npm start)', () => {
  it('starts a studio and a paired site running the sample firm on simulated machines, and stops cleanly', async () => {
    const proc = spawn(process.execPath, [`${ROOT}bin/kaiwu.mjs`, '--lang', 'en', 'demo', '--for', '50', '--studio-port', '0', '--site-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    try {
      for (let i = 0; i < 600 && !out.includes('stops by itself'); i++) await sleep(50);
      const studio = /studio \(designer, library, fleet\): (http:\S+)/.exec(out)?.[1];
      const admin = /users admin \/ (\S+);/.exec(out)?.[1];
      const [, site, token] = /site runtime: (http:\S+) \(admin token (\S+)\)/.exec(out) ?? [];
      expect(studio && admin && site && token, out).toBeTruthy();
      expect(out).toContain('simulated machines: 25 (loom-controller × 24, chint-dtsu666 × 1)');

      // The site runs the sample firm's scenarios and reads the simulated machines.
      let status: { deployment?: { status: string }; devices: { health: string }[]; studio?: { sent: number } } = { devices: [] };
      for (let i = 0; i < 100; i++) {
        status = await fetch(`${site}/api/status`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
        if (status.devices.filter((d) => d.health === 'online').length === 25 && (status.studio?.sent ?? 0) > 0) break;
        await sleep(100);
      }
      expect(status.deployment?.status).toMatch(/probation|active/);
      expect(status.devices.filter((d) => d.health === 'online')).toHaveLength(25);
      // The studio sees it deployed and in sync, live from its heartbeats.
      const login = await fetch(`${studio}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: admin, client: 'api' }) }).then((r) => r.json());
      const fleet = await fetch(`${studio}/api/fleet`, { headers: { Authorization: `Bearer ${login.token}` } }).then((r) => r.json());
      // The site's dashboard shows the sample firm's pages to the demo viewer.
      const viewer = /dashboard: \S+ \(user viewer \/ (\S+)\)/.exec(out)?.[1];
      const login2 = await fetch(`${site}/dashboard/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'viewer', password: viewer }) });
      expect(login2.status).toBe(200);
      const cookie = login2.headers.get('set-cookie')!.split(';')[0]!;
      const pages = await fetch(`${site}/dashboard/api/pages`, { headers: { Cookie: cookie } }).then((r) => r.json());
      expect(JSON.stringify(pages).length).toBeGreaterThan(100);
      expect(fleet.sites).toEqual([expect.objectContaining({ drift: 'in-sync', deployed: expect.objectContaining({ template: 'weaving-waterjet@1.2.0' }), heartbeat: expect.objectContaining({ devices: { total: 25, online: expect.any(Number) } }) })]);
    } finally {
      // Ctrl-C, as a user stops it.
      proc.kill('SIGINT');
      const code = await exited;
      expect(code, out).toBe(0);
    }
    expect(out).toContain('stopped');
  }, 90_000);
});
