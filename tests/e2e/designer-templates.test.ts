import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eStudio } from './helpers';
import { E2E_PASSWORD, launchChromium, pageErrors, screenshot, signIn, startE2eStudio } from './helpers';

let studio: E2eStudio;
let browser: BrowserContext;
beforeAll(async () => {
  studio = await startE2eStudio();
  await studio.user('zhangwei', 'contractor');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await studio?.close();
});

const panel = (page: Page) => page.locator('aside.preview-panel');

/** The largest "messages out" any node on the canvas shows. */
async function mostOut(page: Page): Promise<number> {
  const texts = await page.locator('.react-flow__node .live-stats .live-out').allTextContents();
  return Math.max(0, ...texts.map((t) => Number(t.replace('↑', '')) || 0));
}

describe('designer template authoring and preview', () => {
  it('makes a draft version of a shipped template, edits parameters and a dashboard, previews it against simulated looms, forces a fault, and runs its scenario tests', { timeout: 240_000 }, async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await signIn(page, studio.url, 'zhangwei', E2E_PASSWORD, '/templates');

    // The shipped templates are listed; open the newest weaving version (published: read-only).
    await page.locator('tr[data-template="weaving-waterjet"]').waitFor();
    await expect(page.locator('.templates-table tbody tr').count()).resolves.toBe(3);
    await page.locator('tr[data-template="weaving-waterjet"] td a').first().click();
    await page.locator('.tpl-editor[data-template="weaving-waterjet@1.3.0"]').waitFor();
    await expect(page.locator('.status-chip').textContent()).resolves.toBe('已发布');
    await page.locator('.readonly-note').waitFor();
    await expect(page.locator('.scenario-tab .kind').allTextContents()).resolves.toEqual(['N', 'N', 'N', 'X', 'X']);

    // A new draft version from it.
    await page.locator('button.new-version').click();
    await expect(page.locator('#nv-version').inputValue()).resolves.toBe('1.4.0');
    await page.locator('.dialog button[type="submit"]').click();
    await page.locator('.tpl-editor[data-template="weaving-waterjet@1.4.0"][data-status="draft"]').waitFor();
    await expect(page.locator('.status-chip').textContent()).resolves.toBe('草稿');
    await expect(page.locator('.industry-current').textContent()).resolves.toContain('C1751');
    await screenshot(page, 'designer-template-editor');

    // Parameters: a wrong range comes back from the API on its row and tab, then is fixed.
    await page.locator('.sec-tab[data-tab="parameters"]').click();
    const rated = page.locator('tr[data-key="ratedSpeed"]');
    await rated.getByLabel('最小').fill('2000');
    await rated.getByLabel('最大').fill('1600');
    await page.locator('button.save').click();
    await page.locator('.problems-panel').waitFor();
    await expect(page.locator('.problems-panel .problem-list li').first().textContent()).resolves.toContain('参数 3');
    await expect(rated.getAttribute('class')).resolves.toContain('invalid');
    await expect(page.locator('.sec-tab[data-tab="parameters"] .tab-problems').textContent()).resolves.not.toBe('');
    await page.locator('.problems-panel .problem-list li button').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-key'))).toBe('ratedSpeed');
    await rated.getByLabel('最小').fill('100');
    await rated.getByLabel('名称（中文）').fill('额定车速（主轴）');
    await page.locator('button.save').click();
    await page.locator('.tpl-header .dirty').waitFor({ state: 'detached' });
    await expect(page.locator('.problems-panel').count()).resolves.toBe(0);
    await screenshot(page, 'designer-template-parameters');
    const saved = await studio.api('GET', '/api/templates/weaving-waterjet/versions/1.4.0');
    const ratedSpeed = (saved.body.template.parameters as { key: string; max: number; label: { zh: string } }[]).find((p) => p.key === 'ratedSpeed')!;
    expect(ratedSpeed).toMatchObject({ max: 1600, label: { zh: '额定车速（主轴）' } });

    // Device groups with their profiles.
    await page.locator('.sec-tab[data-tab="deviceGroups"]').click();
    await expect(page.locator('tr[data-key="looms"]').getByLabel('设备模型').inputValue()).resolves.toBe('loom-controller');
    await page.locator('tr[data-key="looms"] .link').click();
    await page.locator('.tag-chips').waitFor();
    await screenshot(page, 'designer-template-device-groups');

    // The stop-alarms scenario's dashboard page: grow a widget with the keyboard; saved with the draft.
    await page.locator('.scenario-tab[data-scenario="stop-alarms"]').click();
    await page.locator('[data-view="dashboard"]').click();
    const widget = page.locator('.dash-widget[data-widget="stop-alarms"]');
    await expect(widget.getAttribute('data-cell')).resolves.toBe('0,0,6,6');
    await widget.focus();
    await page.keyboard.press('Shift+ArrowDown');
    await expect(widget.getAttribute('data-cell')).resolves.toBe('0,0,6,7');
    await screenshot(page, 'designer-template-dashboard');
    await page.locator('button.save').click();
    await page.locator('.tpl-header .dirty').waitFor({ state: 'detached' });
    const withDashboard = await studio.api('GET', '/api/templates/weaving-waterjet/versions/1.4.0');
    const stopAlarms = (withDashboard.body.template.scenarios as { key: string; dashboard: { widgets: { id: string; h: number }[] } }[]).find((s) => s.key === 'stop-alarms')!;
    expect(stopAlarms.dashboard.widgets.find((w) => w.id === 'stop-alarms')!.h).toBe(7);

    // A wrong value in a node's config comes back from the API on its scenario tab, its node and its field.
    await page.locator('[data-view="flow"]').click();
    await page.locator('.react-flow__node[data-id="stop-alarm"]').click();
    const inspector = page.locator('.inspector[data-node="stop-alarm"]');
    await inspector.getByLabel('报警代码').fill('停机 报警');
    await page.locator('.sec-tab[data-tab="meta"]').click();
    await page.locator('button.save').click();
    await page.locator('.problems-panel').waitFor();
    await expect(page.locator('.scenario-tab[data-scenario="stop-alarms"] .tab-problems').textContent()).resolves.toBe('1');
    await page.locator('.problem-list li[data-at="template.scenarios[2].flow.nodes[6].config.code"] button').click();
    await inspector.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-field]')?.getAttribute('data-field'))).toBe('code');
    await expect(page.locator('.scenario-tab[data-scenario="stop-alarms"]').getAttribute('aria-selected')).resolves.toBe('true');
    await screenshot(page, 'designer-template-problem-on-node');
    await inspector.getByLabel('报警代码').fill('loom-stop');
    await page.locator('button.save').click();
    await page.locator('.tpl-header .dirty').waitFor({ state: 'detached' });
    await expect(page.locator('.problems-panel').count()).resolves.toBe(0);

    // Preview beside the canvas: messages arrive in the debug panel, counters on the canvas nodes.
    await page.locator('.react-flow__node').first().waitFor();
    await page.locator('.preview-toggle').click();
    await panel(page).locator('.device-counts label', { hasText: '织机' }).locator('input').fill('2');
    await panel(page).locator('.preview-parameters summary').click();
    await panel(page).locator('label[data-param="stopAlarmDelay"] input').fill('1min');
    await panel(page).locator('.preview-start').click();
    await panel(page).locator('.preview-status.status-running').waitFor();
    await panel(page).locator('.debug-entry').first().waitFor({ timeout: 30_000 });
    await page.locator('.react-flow__node .live-stats').first().waitFor();
    await expect.poll(() => mostOut(page), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.locator('.react-flow__node .live-stats').count()).resolves.toBe(await page.locator('.react-flow__node').count());
    // Only the messages of one node.
    await panel(page).locator('select.node-filter').selectOption('stop-alarms/read');
    await panel(page).locator('.debug-entry[data-node="stop-alarms/read"]').first().waitFor({ timeout: 30_000 });
    await expect(panel(page).locator('.debug-entry:not([data-node="stop-alarms/read"])').count()).resolves.toBe(0);
    await screenshot(page, 'designer-template-preview');

    // Inject a test message into a node.
    await panel(page).locator('[data-tab="inject"]').click();
    await panel(page).locator('#inj-node').selectOption('stop-alarms/classify');
    await panel(page).locator('#inj-payload').fill('{ "state": 1 }');
    await panel(page).locator('#inj-device').selectOption('looms-02');
    await panel(page).locator('.inject-form button[type="submit"]').click();
    await expect(panel(page).locator('.inject-form .ok-text').textContent()).resolves.toContain('classify');

    // Force a fault on a simulated loom: the stop alarm is raised.
    await panel(page).locator('[data-tab="devices"]').click();
    await panel(page).locator('li.device-card[data-device="looms-01"] button.force-fault').click();
    await panel(page).locator('li.device-card[data-device="looms-01"] .chip.state-fault').waitFor({ timeout: 30_000 });
    await panel(page).locator('[data-tab="alarms"]').click();
    await panel(page).locator('.active-alarms .alarm[data-code="loom-stop"][data-device="looms-01"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'designer-template-preview-alarm');
    await panel(page).locator('.preview-stop').click();
    await panel(page).locator('.preview-status.status-stopped').waitFor();

    // The scenario tests of the draft as edited (an unsaved change: the widget back to its height), each
    // expectation with what was expected and what happened.
    await page.locator('[data-view="dashboard"]').click();
    await widget.focus();
    await page.keyboard.press('Shift+ArrowUp');
    await expect(widget.getAttribute('data-cell')).resolves.toBe('0,0,6,6');
    await page.locator('.sec-tab[data-tab="tests"]').click();
    await expect(page.locator('.tests-source').textContent()).resolves.toBe('运行编辑中（未保存）的内容');
    await expect(page.locator('.test-card').count()).resolves.toBe(7);
    await page.locator('button.run-tests').click();
    await page.locator('.tests-summary').waitFor({ timeout: 180_000 });
    await expect(page.locator('.tests-summary').getAttribute('class')).resolves.toContain('all-passed');
    await expect(page.locator('.test-card.test-passed').count()).resolves.toBe(7);
    await page.locator('.test-card[data-test="stop-alarm-cause"] .test-head button.link').click();
    await page.locator('.test-card[data-test="stop-alarm-cause"] .expectation.passed .expected').first().waitFor();
    await screenshot(page, 'designer-template-tests');

    // Publish the draft (after confirming): it becomes read-only.
    page.once('dialog', (d) => void d.accept());
    await page.locator('button.publish').click();
    await page.locator('.tpl-editor[data-status="published"]').waitFor();
    await expect(page.locator('.status-chip').textContent()).resolves.toBe('已发布');
    await page.locator('.readonly-note').waitFor();
    await expect(page.locator('button.save').count()).resolves.toBe(0);
    expect((await studio.api('GET', '/api/templates/weaving-waterjet')).body.versions.find((v: { version: string }) => v.version === '1.4.0').status).toBe('published');
    // Publishing saved the unsaved change first.
    const published = await studio.api('GET', '/api/templates/weaving-waterjet/versions/1.4.0');
    expect((published.body.template.scenarios as { key: string; dashboard: { widgets: { id: string; h: number }[] } }[]).find((x) => x.key === 'stop-alarms')!.dashboard.widgets[0]!.h).toBe(6);

    expect(errors).toEqual([]);
  });
});
