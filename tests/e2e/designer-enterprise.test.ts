// The enterprise path end to end, in Debian's Chromium: an enterprise user finds the valve template
// in the library, opens its sample firm and copies it with a CSV of devices (a bad line first, its
// error shown on that line, then fixed), binds the copy to a real site runtime started here; an
// admin deploys it from the fleet and the runtime's own API shows the deployment; the enterprise
// upgrades the copy to the newer template version through the three-way merge; the audit log
// shows what happened. A screenshot of each main screen goes to test-output/screenshots/.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSite } from '../helpers/site';
import { startTrustingSite } from '../designer/server/helpers';
import type { E2eStudio } from './helpers';
import { E2E_PASSWORD, ROOT, launchChromium, pageErrors, screenshot, signIn, startE2eStudio } from './helpers';

const ENTERPRISE = '温州某阀门厂';

let studio: E2eStudio;
let site: TestSite;
let browser: BrowserContext;
/** The admin's own browser (its own cookies). */
let adminBrowser: BrowserContext;
let sampleId: string;
let siteId: string;

/** Calls the studio API as a user (Bearer token from an API login). */
async function as(username: string) {
  const login = await fetch(`${studio.url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: E2E_PASSWORD, client: 'api' }) });
  const { token } = await login.json() as { token: string };
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${studio.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- each call asserts the shape it reads
  };
}

beforeAll(async () => {
  studio = await startE2eStudio();
  await studio.user('zhangwei', 'contractor');
  await studio.user('lihua', 'enterprise', ENTERPRISE);
  // The sample firm: made by the contractor through the API, as examples/valve-sample says.
  const { schemaVersion: _v, ...sample } = JSON.parse(readFileSync(`${ROOT}examples/valve-sample/instance.json`, 'utf8')) as Record<string, unknown>;
  const contractor = await as('zhangwei');
  const made = await contractor('POST', '/api/instances', { ...sample, sample: true, name: '示范样本 · 永嘉阀门' });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  sampleId = made.body.instance.id as string;
  // A real site runtime trusting the studio's key, registered by the admin for the enterprise.
  site = await startTrustingSite(studio.studio);
  const registered = await studio.api('POST', '/api/sites', { name: '瓯北一车间', url: site.url, token: site.token, enterprise: ENTERPRISE });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  siteId = registered.body.site.id as string;
  browser = await launchChromium();
  adminBrowser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await adminBrowser?.close();
  await site?.close();
  await studio?.close();
});

const CSV_BAD = [
  'name,host,port,unitId,group',
  'cnc-01,127.0.0.1,15101,1,cnc',
  'cnc-02,192.168.1.300,502,1,cnc',
  'cnc-03,127.0.0.1,15103,1,cnc',
  'bench-01,127.0.0.1,15111,1,benches',
  '',
].join('\n');

const step = (page: Page, name: string) => page.locator(`.wizard-page[data-step="${name}"]`).waitFor();

describe('designer enterprise path', () => {
  it('copies a sample firm with a CSV of devices, binds and deploys it to a real site, upgrades it, and shows the fleet and the audit log', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);

    // The library: industry tree, demands, search.
    await signIn(page, studio.url, 'lihua', E2E_PASSWORD, '/library');
    await page.locator('.template-card').first().waitFor();
    await expect(page.locator('nav.nav a').allTextContents()).resolves.toEqual(expect.arrayContaining(['▦模板库', '◎机队']));
    await expect(page.locator('nav.nav a').allTextContents()).resolves.not.toContain('☰审计日志');
    await page.locator('.chip[data-demand="quality"]').click();
    await page.locator('.tree-label[data-code="C34"]').waitFor();
    await screenshot(page, 'enterprise-library');
    await page.locator('input[name="q"]').fill('阀门');
    await page.locator('.library-search button[type="submit"]').click();
    await page.locator('.template-card[data-template="injection-moulding"]').waitFor({ state: 'detached' });
    await expect(page.locator('.template-card').count()).resolves.toBe(1);

    // The template page: scenarios N/X, parameters, device groups, README, sample firms.
    await page.locator('.template-card[data-template="valve-machining"] h3 a').click();
    await page.locator(`.sample-card[data-instance="${sampleId}"]`).waitFor();
    await expect(page.locator('.scenarios-table tbody tr').count()).resolves.toBe(5);
    await expect(page.locator('.template-title .mono').textContent()).resolves.toBe('valve-machining@1.0.0');
    await page.locator('.markdown-text .md-table').first().waitFor();
    await screenshot(page, 'enterprise-template');

    // The sample firm is for copying: its page is read-only for an enterprise.
    await page.locator(`.sample-card[data-instance="${sampleId}"] a.button:not(.primary)`).click();
    await page.locator('.instance-page').waitFor();
    await expect(page.locator('input[name="parameters.idealCycleSec"]').isDisabled()).resolves.toBe(true);
    await page.locator('.instance-page a.button.primary').click();

    // The wizard, step 1: the registered site of the enterprise.
    await step(page, 'basics');
    await page.locator('.site-picker input[type="radio"]').first().check();
    await page.locator('select[name="site"]').selectOption(siteId);
    await expect(page.locator('.site-picker').textContent()).resolves.toContain('test-site');
    await screenshot(page, 'enterprise-wizard-basics');
    await page.locator('[data-action="next"]').click();

    // Step 2: X scenarios (the sample runs both; keep them).
    await step(page, 'scenarios');
    await expect(page.locator('.scenario-option.kind-N input:checked').count()).resolves.toBe(3);
    await expect(page.locator('.scenario-option.kind-X input:checked').count()).resolves.toBe(2);
    await screenshot(page, 'enterprise-wizard-scenarios');
    await page.locator('[data-action="next"]').click();

    // Step 3: parameters, checked as typed against the template's range.
    await step(page, 'parameters');
    const cycle = page.locator('input[name="parameters.idealCycleSec"]');
    await cycle.fill('5');
    await page.locator('input[name="parameters.idealCycleSec"][aria-invalid="true"]').waitFor();
    await expect(page.locator('.param-field.invalid .field-problems').first().textContent()).resolves.toContain('不能小于');
    await screenshot(page, 'enterprise-wizard-parameters');
    await cycle.fill('180');
    await page.locator('input[name="parameters.idealCycleSec"][aria-invalid="false"]').waitFor();
    await page.locator('[data-action="next"]').click();

    // Step 4: devices from a CSV with one bad line.
    await step(page, 'devices');
    await page.locator('input[name="devices-csv"]').setInputFiles({ name: 'valve-devices.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV_BAD) });
    await page.locator('.csv-source').waitFor();
    await expect(page.locator('.devices-table tbody tr').count()).resolves.toBe(4);
    await page.locator('[data-action="next"]').click();

    // Step 5: the studio checks, refuses the bad line and the wizard goes back to it.
    await step(page, 'check');
    await page.locator('.wizard-summary').waitFor();
    await screenshot(page, 'enterprise-wizard-check');
    await page.locator('[data-action="check"]').click();
    await step(page, 'devices');
    const bad = page.locator('.devices-table tr[data-line="3"]');
    await bad.locator('td.invalid .field-problems').waitFor();
    await expect(bad.locator('td.invalid .field-problems').textContent()).resolves.toContain('CSV 第 3 行');
    await expect(bad.locator('td.invalid input').getAttribute('data-field')).resolves.toBe('host');
    await expect(page.locator('.wizard-steps li.has-errors [data-step="devices"]').count()).resolves.toBe(1);
    await screenshot(page, 'enterprise-wizard-devices-error');
    // Fixed in the table: the rows now go as JSON.
    await bad.locator('input[data-field="host"]').fill('127.0.0.1');
    await bad.locator('input[data-field="port"]').fill('15102');
    await page.locator('.csv-source').waitFor({ state: 'detached' });
    await page.locator('[data-step="check"]').click();
    await page.locator('[data-action="check"]').click();

    // Step 6: saved; bind to the site. The enterprise may deploy its own site from here; the admin does it below, from the fleet.
    await step(page, 'deploy');
    await expect(page.locator('.wizard-body .ok-text').first().textContent()).resolves.toContain('已保存为实例');
    const instanceHref = await page.locator('.wizard-body a[href^="/instances/"]').first().getAttribute('href');
    const instanceId = instanceHref!.split('/').pop()!;
    // The site chosen in step 1 is preselected once the sites are read.
    await page.locator(`select[name="bind-site"] option[value="${siteId}"]`).waitFor({ state: 'attached' });
    await expect(page.locator('select[name="bind-site"]').inputValue()).resolves.toBe(siteId);
    await page.getByRole('button', { name: '绑定到此站点' }).click();
    await page.locator('.site-binding .ok-text').waitFor();
    await page.locator('.site-binding [data-action="deploy"]').waitFor();
    await screenshot(page, 'enterprise-wizard-deploy');

    // What the studio stored: the CSV's devices, the changed parameter, the runtime's site id.
    const enterprise = await as('lihua');
    const stored = (await enterprise('GET', `/api/instances/${instanceId}`)).body.instance;
    expect(stored.instance.site).toBe('test-site');
    expect(stored.instance.parameters.idealCycleSec).toBe(180);
    expect(stored.instance.devices.cnc.map((d: { name: string }) => d.name)).toEqual(['cnc-01', 'cnc-02', 'cnc-03']);
    expect(stored.site).toEqual({ id: siteId, name: '瓯北一车间' });

    // The admin deploys it from the fleet to the real runtime, with a confirmation.
    const admin = await adminBrowser.newPage();
    const adminErrors = pageErrors(admin);
    await signIn(admin, studio.url, 'admin', studio.adminPassword, '/fleet');
    await admin.locator(`.fleet-table tr[data-site="${siteId}"]`).waitFor();
    await expect(admin.locator(`.fleet-table tr[data-site="${siteId}"] [data-drift]`).getAttribute('data-drift')).resolves.toBe('not-deployed');
    await screenshot(admin, 'fleet');
    await admin.locator(`.fleet-table tr[data-site="${siteId}"] a`).first().click();
    await admin.locator('.site-page').waitFor();
    await admin.locator('[data-action="deploy"]').click();
    await admin.locator('.modal').waitFor();
    await screenshot(admin, 'site-deploy-confirm');
    await admin.locator('.modal button.primary').click();
    await admin.locator('.deploy-answer .ok-text').waitFor({ timeout: 60_000 });
    await expect(admin.locator('.deploy-answer .ok-text').textContent()).resolves.toContain('valve-machining@0.9.0');

    // The runtime's own API: the deployment is there.
    const status = await site.api('GET', '/api/status');
    expect(status.status).toBe(200);
    expect(status.body.site).toBe('test-site');
    expect(status.body.deployment.sequence).toBeGreaterThanOrEqual(1);
    const sequence = status.body.deployment.sequence as number;
    await expect(admin.locator('.deploy-answer .ok-text').textContent()).resolves.toContain(`序号 ${sequence}`);
    // …and the site page shows it live and in the deployment records.
    await admin.locator(`[data-live-deployment="${sequence}"]`).waitFor();
    await admin.locator('.deployments-table tr[data-status="deployed"]').first().waitFor();
    await screenshot(admin, 'site-page');

    // Pairing code for another site: shown large, with the command line to type.
    await admin.goto(`${studio.url}/fleet`);
    await admin.locator('[data-action="pairing"]').click();
    await admin.locator('.modal input[name="pairing-name"]').fill('瓯北二车间');
    await admin.locator('.modal button.primary').first().click();
    await admin.locator('.pairing-code').waitFor();
    await expect(admin.locator('.command-line code').textContent()).resolves.toMatch(/^kaiwu pair [A-Z2-9]{4}-[A-Z2-9]{4} --studio http:\/\/127\.0\.0\.1:\d+ --data /);
    await screenshot(admin, 'fleet-pairing-code');
    await admin.keyboard.press('Escape');

    // The enterprise's instance page, then the upgrade view: 0.9.0 → 1.0.0 with two conflicts.
    await page.goto(`${studio.url}/instances/${instanceId}`);
    await page.locator('.instance-page .upgrade-banner').waitFor();
    await page.locator('.uplink-editor').waitFor();
    await screenshot(page, 'instance-page');
    await page.locator('.upgrade-banner a').click();
    await page.locator('.upgrade-conflict').first().waitFor();
    await expect(page.locator('.upgrade-conflict').count()).resolves.toBe(2);
    await screenshot(page, 'upgrade-view');
    // Without choices the studio refuses and says which conflicts are open.
    await page.locator('[data-action="apply-upgrade"]').click();
    await page.locator('.upgrade-conflict.invalid').first().waitFor();
    await expect(page.locator('.upgrade-conflict.invalid').count()).resolves.toBe(2);
    await page.locator('.upgrade-conflict[data-conflict="c1"] input[value="site"]').check();
    await page.locator('.upgrade-conflict[data-conflict="c2"] input[value="template"]').check();
    await page.locator('[data-action="apply-upgrade"]').click();
    await page.locator('.upgrade-page .ok-text').waitFor();
    await expect(page.locator('.upgrade-page .ok-text').textContent()).resolves.toContain('valve-machining@1.0.0');
    const upgraded = (await enterprise('GET', `/api/instances/${instanceId}`)).body.instance;
    expect(upgraded.template).toBe('valve-machining@1.0.0');
    expect(upgraded.instance.overrides.some((o: { path: string; value?: unknown }) => o.path.endsWith('medium-alarm/config/onDelayMs') && o.value === 180000)).toBe(true);

    // The fleet now says the instance changed since the deploy; the audit log has the story.
    await admin.goto(`${studio.url}/fleet`);
    await expect(admin.locator(`.fleet-table tr[data-site="${siteId}"] [data-drift]`).getAttribute('data-drift')).resolves.toBe('instance-changed');
    await admin.goto(`${studio.url}/audit`);
    await admin.locator('.audit-table tr[data-action="instance-upgrade"]').waitFor();
    await admin.locator('select[name="action"]').selectOption('deploy');
    await admin.locator('.audit-table tbody tr:not([data-action="deploy"])').first().waitFor({ state: 'detached' });
    await admin.locator('.audit-table tr[data-action="deploy"][data-outcome="ok"]').waitFor();
    await expect(admin.locator('.audit-table tbody tr').count()).resolves.toBe(1);
    await admin.locator('select[name="action"]').selectOption('');
    await admin.locator('.audit-table tr[data-action="instance-copy"]').waitFor();
    await screenshot(admin, 'audit');

    // The same pages in English.
    await admin.getByRole('button', { name: 'English' }).click();
    await admin.goto(`${studio.url}/fleet`);
    await expect(admin.locator('main h1').textContent()).resolves.toBe('Fleet');
    await expect(admin.locator(`.fleet-table tr[data-site="${siteId}"] [data-drift]`).textContent()).resolves.toBe('instance changed');
    await screenshot(admin, 'fleet-en');

    expect(errors).toEqual([]);
    expect(adminErrors).toEqual([]);
  }, 240_000);
});
