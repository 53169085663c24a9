import { afterEach, describe, expect, it } from 'vitest';
import type { TestSite } from '../../helpers/site';
import type { Json, RunningStudio } from './helpers';
import { seedSites, startStudio, startTrustingSite } from './helpers';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('the fleet roll-up', () => {
  it('pages through every site with counts over all of them, and shows each role only its sites', async () => {
    const s: RunningStudio = await startStudio();
    cleanup.push(() => s.close());
    const ids = seedSites(s.studio, 250);
    const all = (await s.admin.api('GET', '/api/fleet?pageSize=100')).body;
    expect(all).toMatchObject({ total: 250, page: 1, pageSize: 100 });
    expect(all.sites).toHaveLength(100);
    expect(all.summary.health).toEqual({ ok: 126, degraded: 42, down: 41, unknown: 41 });
    expect(Object.values(all.summary.drift as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(250);
    const last = (await s.admin.api('GET', '/api/fleet?pageSize=100&page=3')).body;
    expect(last.sites).toHaveLength(50);
    expect(last.sites.at(-1).name).toBe('车间 00249');
    expect((await s.admin.api('GET', '/api/fleet?health=down&pageSize=200')).body.sites.every((x: Json) => x.health.state === 'down')).toBe(true);
    expect((await s.admin.api('GET', '/api/fleet?health=down')).body.total).toBe(41);
    expect((await s.admin.api('GET', '/api/fleet?q=00042')).body.sites.map((x: Json) => x.id)).toEqual([ids[42]]);

    const huzhou = await s.user('lihua', 'enterprise', '湖州某涂装厂');
    const mine = (await huzhou.api('GET', '/api/fleet?pageSize=200')).body;
    expect(mine.total).toBe(125);
    expect(mine.sites.every((x: Json) => x.enterprise === '湖州某涂装厂')).toBe(true);

    const engineer = await s.user('wangfang', 'field-engineer');
    await s.admin.api('PUT', `/api/sites/${ids[7]}/engineers`, { userIds: [engineer.id] });
    await s.admin.api('PUT', `/api/sites/${ids[8]}/engineers`, { userIds: [engineer.id] });
    expect((await engineer.api('GET', '/api/fleet')).body.sites.map((x: Json) => x.id)).toEqual([ids[7], ids[8]]);
    expect((await engineer.api('GET', `/api/sites/${ids[9]}`)).body.error.code).toBe('site-not-assigned');
    expect((await s.admin.api('GET', '/api/fleet?pageSize=500')).body.error.details[0].at).toBe('query.pageSize');
  });

  it('refreshes health in the background, so a runtime that goes down shows as down without anyone waiting on it', async () => {
    const s = await startStudio({ health: { intervalMs: 20, maxAgeMs: 0, statusTimeoutMs: 500 } });
    cleanup.push(() => s.close());
    const runtime: TestSite = await startTrustingSite(s.studio);
    const site = (await s.admin.api('POST', '/api/sites', { name: '一号车间', url: runtime.url, token: runtime.token })).body.site;
    expect(site.health.state).toBe('ok');
    await runtime.close();
    let entry: Json;
    for (let i = 0; i < 250; i++) {
      entry = (await s.admin.api('GET', '/api/fleet')).body.sites[0];
      if (entry.health.state === 'down') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(entry.health).toMatchObject({ state: 'down', error: { code: 'unreachable', text: { zh: expect.stringContaining('连不上站点运行时') } } });
  });
});
