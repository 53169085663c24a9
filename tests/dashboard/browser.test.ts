// The site dashboard in a real Chromium against a real runtime: what an operator and a manager see.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebugEntry } from '../../nodes/core/debug/runtime';
import { DEVICES, shopDashboards, shopFlows } from './fixtures';
import { keepScreenshot, launchBrowser, requireBuiltApp } from './browser';
import type { DashboardSite } from './site';
import { startDashboardSite } from './site';

const WANG = { name: 'wang', password: 'wang-password-1', canAck: true };
const LI = { name: 'li', password: 'li-password-22', canAck: false };
const PHONE = { width: 390, height: 844 };
const TV = { width: 1920, height: 1080 };
const STATES: Record<number, string> = { 0: 'idle', 1: 'running', 2: 'fault', 3: 'planned-stop' };

let browser: BrowserContext;
const sites: DashboardSite[] = [];

beforeAll(async () => {
  requireBuiltApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(sites.map((s) => s.close()));
});

async function shop(options: { tickMs?: number; limit?: number } = {}): Promise<DashboardSite> {
  const s = await startDashboardSite({ viewers: [WANG, LI] });
  sites.push(s);
  await s.deploy(shopFlows(options), shopDashboards());
  return s;
}

async function logIn(page: Page, s: DashboardSite, who: { name: string; password: string }, query = '') {
  await page.goto(`${s.url}/dashboard/${query}#/login`);
  await page.locator('input[name=name]').fill(who.name);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('button[type=submit]').click();
  await page.locator('.app-conn.is-live').waitFor();
}

const widget = (page: Page, id: string) => page.locator(`section[data-widget="${id}"]`);
const textOf = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? '';

/** A widget's text changes by itself: data keeps arriving. */
async function keepsChanging(page: Page, selector: string) {
  const first = await textOf(page, selector);
  await expect.poll(() => textOf(page, selector), { timeout: 10_000 }).not.toBe(first);
}

describe('site dashboard in Chromium', () => {
  let s: DashboardSite;
  let page: Page;

  beforeAll(async () => {
    s = await shop();
    page = await browser.newPage();
    await page.setViewportSize(TV);
    await logIn(page, s, WANG, '?lang=zh&theme=dark');
  });

  afterAll(async () => {
    await page?.close();
  });

  it('shows live data from the runtime in every widget of the machine status page', async () => {
    await page.goto(`${s.url}/dashboard/?lang=zh#/p/status`);
    const tiles = widget(page, 'grid').locator('.w-tile');
    await expect.poll(() => tiles.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-device')}:${e.getAttribute('data-state') !== 'unknown'}`)), { timeout: 10_000 })
      .toEqual(DEVICES.map((d) => `${d}:true`));
    await expect.poll(() => textOf(page, '[data-widget="grid"] [data-device="IMM-01"]')).toMatch(/料筒温度\s*2\d\d\.\d °C/);
    await expect.poll(() => textOf(page, '[data-widget="temp1"] .w-gauge-value')).toMatch(/^2\d\d\.\d\s*°C$/);
    await keepsChanging(page, '[data-widget="temp1"] .w-gauge-value');
    await expect.poll(async () => Number((await textOf(page, '[data-widget="parts"] .w-number')).replace(/,/g, ''))).toBeGreaterThan(0);
    await expect.poll(() => textOf(page, '[data-widget="parts"] .w-stat-target')).toMatch(/^目标 50 件/);
    await expect.poll(() => textOf(page, '[data-widget="note"] .w-text')).toMatch(/1 号机已生产 \d[\d,]* 件/);
    for (const d of DEVICES) await expect.poll(() => widget(page, 'timeline').locator(`[data-device="${d}"] .w-seg`).count()).toBeGreaterThan(0);
    await expect.poll(() => textOf(page, '[data-widget="alarms"] .w-alarm')).toContain('IMM-02 料筒温度过高');
    // One click switches the language: tabs, widgets and units.
    await page.getByRole('button', { name: '切换语言' }).click();
    await expect.poll(() => page.locator('.app-tabs a').allTextContents()).toEqual(['Machine status', 'Output and energy', 'Report']);
    await expect.poll(() => textOf(page, '[data-widget="parts"] .w-stat-target')).toMatch(/^Target 50 pcs/);
    await page.getByRole('button', { name: 'Switch language' }).click();
    await expect.poll(() => page.locator('.app-tabs a').first().textContent()).toBe('设备状态');
  });

  it('shows live data and history in every widget of the output and energy page', async () => {
    await page.goto(`${s.url}/dashboard/?lang=en#/p/output`);
    const legend = widget(page, 'temps').locator('.w-legend-value');
    await expect.poll(() => legend.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringMatching(/°C$/), expect.stringMatching(/°C$/), expect.stringMatching(/°C$/)]);
    await keepsChanging(page, '[data-widget="temps"] [data-series="t2"] .w-legend-value');
    // Each bar chart describes its bars for screen readers: the machines and their numbers are there.
    await expect.poll(async () => (await widget(page, 'per-device').locator('[aria-label]').first().getAttribute('aria-label')) ?? '').toMatch(/IMM-01.*IMM-02.*IMM-03/s);
    await expect.poll(async () => (await widget(page, 'oee-bars').locator('[aria-label]').first().getAttribute('aria-label')) ?? '', { timeout: 10_000 }).toMatch(/Availability/);
    await expect.poll(() => widget(page, 'latest').locator('tbody tr th, tbody tr td:first-child').allTextContents()).toEqual([...DEVICES]);
    await expect.poll(() => textOf(page, '[data-widget="energy"] .w-stat-main')).toMatch(/^1,2\d\d\.\d\d\s*kWh$/);
    // History: the stored temperatures of the last hour come from the series API.
    await widget(page, 'temps').getByRole('button', { name: '1 h' }).click();
    await widget(page, 'temps').locator('.w-line[data-history="loaded"]').waitFor();
    await expect.poll(async () => Number(/\d+/.exec(await textOf(page, '[data-widget="temps"] [data-series="t1"] .sr-only'))?.[0] ?? 0)).toBeGreaterThan(5);
  });

  it('an alarm raised by the threshold appears; acknowledging it records who did, for everyone', async () => {
    await page.goto(`${s.url}/dashboard/?lang=zh#/p/status`);
    const alarm = widget(page, 'alarms').locator('li.w-alarm[data-code="barrel-overheat"]').first();
    await alarm.waitFor();
    await expect.poll(() => alarm.textContent()).toMatch(/严重.*IMM-02 料筒温度过高 2\d\d\.\d，高于 235\.0/s);
    await expect.poll(() => textOf(page, '[data-widget="alarms"] .w-tabs')).toContain('1 未确认');
    await alarm.getByRole('button', { name: '确认' }).click();
    await alarm.getByRole('textbox').fill('已通知维修');
    await alarm.getByRole('button', { name: '确认报警' }).click();
    await expect.poll(() => alarm.locator('.w-alarm-ack').textContent()).toMatch(/wang 于 .* 确认：已通知维修/);
    const stored = s.store.listAlarms({ active: true }).find((a) => a.code === 'barrel-overheat')!;
    expect(stored.ack).toMatchObject({ by: 'wang', comment: '已通知维修' });
    expect(stored.ack!.at).toBeGreaterThan(stored.raisedAt);

    // Another viewer, read-only, sees who acknowledged and has no button to do it.
    const other = await browser.newPage();
    try {
      await other.goto(`${s.url}/dashboard/?lang=en#/p/status`);
      await other.getByRole('button', { name: 'Log out' }).click();
      await logIn(other, s, LI, '?lang=en');
      const seen = widget(other, 'alarms').locator('li.w-alarm[data-code="barrel-overheat"]').first();
      await expect.poll(() => seen.locator('.w-alarm-ack').textContent()).toMatch(/acknowledged by wang at/);
      expect(await widget(other, 'alarms').getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    } finally {
      await other.close();
      // The login page shared the browser's cookie: log wang back in for the next tests.
      await logIn(page, s, WANG, '?lang=zh');
    }
  }, 90_000);

  it('a logged-in viewer cannot reach the admin API from the browser', async () => {
    for (const [method, path] of [['GET', '/api/status'], ['GET', '/api/alarms'], ['GET', '/api/series?device=IMM-01&tag=temp&from=0&to=1'], ['POST', '/api/deployments'], ['POST', '/api/deployments/rollback'], ['POST', '/api/purge'], ['GET', '/api/events']] as const) {
      const answer = await page.evaluate(async ({ method, path }) => {
        const r = await fetch(path, { method, credentials: 'include', ...(method === 'POST' ? { headers: { 'Content-Type': 'application/json' }, body: '{}' } : {}) });
        return r.status;
      }, { method, path });
      expect(answer, `${method} ${path}`).toBe(401);
    }
  });

  it('the report page shows output, OEE and its factors, downtime and energy, and exports CSV', async () => {
    await page.goto(`${s.url}/dashboard/?lang=zh#/report/output`);
    await expect.poll(() => page.locator('.report-table tbody tr th').allTextContents(), { timeout: 10_000 }).toEqual([...DEVICES, '合计']);
    expect(await page.locator('.report-kpi span').allTextContents()).toEqual(['产量', 'OEE', '时间开动率', '性能开动率', '合格品率', '单位能耗']);
    await expect.poll(() => textOf(page, '.report-kpi:nth-child(1) b')).toMatch(/^[1-9][\d,]* 件$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'kaiwu-csv-')), 'report.csv');
    await download.saveAs(file);
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[1]).toMatch(/^设备,产量,良品,时间开动率/);
    expect(csv).toMatch(/\r\nIMM-01,\d+,/);
    // Printing hides the controls and keeps the table.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.report-controls').isVisible()).toBe(false);
    expect(await page.locator('.report-table').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('a shop-floor screen in kiosk mode turns the pages by itself', async () => {
    await page.goto(`${s.url}/dashboard/?kiosk=1&rotate=5&lang=zh#/p/status`);
    await expect.poll(() => textOf(page, '.app-page-title')).toBe('设备状态');
    await expect.poll(() => textOf(page, '.app-page-title'), { timeout: 20_000 }).toBe('产量与能耗');
    expect(await page.locator('.app-tabs').count()).toBe(0);
  }, 60_000);

  it('takes screenshots of each page in zh and en, on a phone and a TV', async () => {
    const shots: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'kaiwu-shots-'));
    for (const [size, viewport] of [['tv', TV], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      for (const lang of ['zh', 'en'] as const) {
        for (const [name, hash] of [['status', '#/p/status'], ['output', '#/p/output'], ['report', '#/report/output']] as const) {
          await page.goto(`${s.url}/dashboard/?lang=${lang}&theme=${size === 'tv' ? 'dark' : 'light'}${hash}`);
          await page.locator('.app-conn.is-live').waitFor();
          if (name === 'report') await page.locator('.report-table tbody tr').nth(DEVICES.length).waitFor();
          else await page.locator('.widget canvas').first().waitFor();
          // Charts draw on the next frame after their data.
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          const file = join(dir, `${name}-${lang}-${size}.png`);
          await page.screenshot({ path: file, fullPage: size === 'phone' });
          shots.push(keepScreenshot(file, `${name}-${lang}-${size}.png`));
        }
      }
    }
    // The shop-floor TV in kiosk mode.
    await page.setViewportSize(TV);
    await page.goto(`${s.url}/dashboard/?kiosk=1&lang=zh#/p/status`);
    await page.locator('.app-conn.is-live').waitFor();
    await page.locator('.widget canvas').first().waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const kiosk = join(dir, 'status-zh-tv-kiosk.png');
    await page.screenshot({ path: kiosk });
    shots.push(keepScreenshot(kiosk, 'status-zh-tv-kiosk.png'));
    expect(shots).toHaveLength(13);
  }, 180_000);

  it('recovers by itself after the runtime restarts, without logging in again', async () => {
    await page.setViewportSize(TV);
    await page.goto(`${s.url}/dashboard/?lang=zh#/p/status`);
    await page.locator('.app-conn.is-live').waitFor();
    const restarted = s.restart({ downMs: 2_500 });
    await expect.poll(() => page.locator('.app-conn').getAttribute('class'), { timeout: 10_000 }).toContain('is-lost');
    await restarted;
    await expect.poll(() => page.locator('.app-conn').getAttribute('class'), { timeout: 20_000 }).toContain('is-live');
    expect(await page.locator('input[name=password]').count()).toBe(0);
    await keepsChanging(page, '[data-widget="temp1"] .w-gauge-value');
    await expect.poll(() => textOf(page, '[data-widget="alarms"] .w-alarm')).toContain('IMM-02');
  }, 90_000);
});

describe('state timeline in Chromium', () => {
  it('draws exactly the states the machines went through, each from when it began', async () => {
    const s = await shop({ tickMs: 100, limit: 45 });
    await expect.poll(() => ((s.site.inspect('status', 'produced') ?? []) as DebugEntry[]).length, { timeout: 15_000 }).toBe(45 * DEVICES.length);
    const produced = s.site.inspect('status', 'produced') as DebugEntry[];
    const expected: Record<string, string[]> = {};
    for (const d of DEVICES) {
      const changes: string[] = [];
      let last: string | undefined;
      for (const e of produced.filter((x) => x.device === d)) {
        const state = STATES[(e.value as { state: number }).state]!;
        if (state !== last) changes.push(`${state}@${e.ts}`);
        last = state;
      }
      expected[d] = changes;
    }
    // The plan goes through every state, so the check means something.
    expect(new Set(Object.values(expected).flat().map((c) => c.split('@')[0]))).toEqual(new Set(['running', 'idle', 'fault', 'planned-stop']));

    const page = await browser.newPage();
    try {
      await page.setViewportSize(TV);
      await logIn(page, s, LI, '?lang=zh');
      await page.goto(`${s.url}/dashboard/?lang=zh#/p/status`);
      for (const d of DEVICES) {
        const drawn = () => page.locator(`[data-widget="timeline"] [data-device="${d}"] .w-seg`).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-state')}@${e.getAttribute('data-from')}`));
        await expect.poll(drawn, { timeout: 10_000 }).toEqual(expected[d]);
      }
      // The share running matches what was drawn: hovering a span names its state and times.
      const title = await page.locator('[data-widget="timeline"] [data-device="IMM-02"] .w-seg[data-state="fault"]').first().getAttribute('title');
      expect(title).toMatch(/^故障 \d\d:\d\d–\d\d:\d\d（\d+秒）$/);
    } finally {
      await page.close();
    }
  }, 90_000);
});
