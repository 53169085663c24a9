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

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const badge = (page: Page, id: string) => node(page, id).locator('.problem-badge');

/** Drags a palette entry onto the canvas at a point of the canvas. */
async function dropNode(page: Page, type: string, x: number, y: number) {
  await page.locator(`.palette-item[data-type="${type}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Drags from an output port to an input port, as a person does with the mouse. */
async function connect(page: Page, from: string, port: string, to: string, toPort = 'in') {
  const a = await node(page, from).locator(`.react-flow__handle.source[data-handleid="${port}"]`).boundingBox();
  const b = await node(page, to).locator(`.react-flow__handle.target[data-handleid="${toPort}"]`).boundingBox();
  await page.mouse.move(a!.x + a!.width / 2, a!.y + a!.height / 2);
  await page.mouse.down();
  await page.mouse.move((a!.x + b!.x) / 2, (a!.y + b!.y) / 2 + 20, { steps: 5 });
  await page.mouse.move(b!.x + b!.width / 2, b!.y + b!.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The JavaScript the page has loaded so far: bytes on the wire (compressed) and file names. */
async function loadedScripts(page: Page): Promise<{ bytes: number; names: string[] }> {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const js = entries.filter((e) => e.name.endsWith('.js'));
    return { bytes: js.reduce((sum, e) => sum + e.encodedBodySize, 0), names: js.map((e) => new URL(e.name).pathname) };
  });
}

describe('designer flow editor', () => {
  it('builds timer → rule → threshold alarm → history from the palette, configures it, shows problems as you type, and checks a rule in Monaco', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await signIn(page, studio.url, 'zhangwei', E2E_PASSWORD, '/editor');
    await page.locator('.palette-item[data-type="timer"]').waitFor();

    // The initial JavaScript, without Monaco, stays within budget.
    const initial = await loadedScripts(page);
    expect(initial.bytes).toBeGreaterThan(0);
    expect(initial.bytes).toBeLessThanOrEqual(500 * 1024);
    expect(initial.names.filter((n) => /editor\.api|ts\.worker|rule-editor/.test(n))).toEqual([]);

    // Palette: search in Chinese.
    await page.locator('.palette-search').fill('报警');
    await expect(page.locator('.palette-item').allTextContents()).resolves.toContain('⚠越限报警');
    await page.locator('.palette-search').fill('');

    await dropNode(page, 'timer', 120, 120);
    await dropNode(page, 'rule', 360, 200);
    await dropNode(page, 'threshold-alarm', 600, 120);
    await dropNode(page, 'history', 840, 220);
    for (const id of ['timer', 'rule', 'threshold-alarm', 'history']) await node(page, id).waitFor();
    // A new threshold alarm has no limit yet: the canvas says so before any click.
    await expect(badge(page, 'threshold-alarm').textContent()).resolves.toBe('1');

    await connect(page, 'timer', 'out', 'rule');
    await connect(page, 'rule', 'out', 'threshold-alarm');
    await connect(page, 'threshold-alarm', 'alarm', 'history');
    await page.locator('.react-flow__edge').nth(2).waitFor();
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(3);

    // A connection back into the chain would loop: refused, with the reason.
    await connect(page, 'threshold-alarm', 'out', 'rule');
    await expect(page.locator('.notice-bar.error').textContent()).resolves.toContain('环路');
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(3);

    // The inspector: timer every 5 s.
    await node(page, 'timer').click();
    await page.locator('.inspector[data-node="timer"]').waitFor();
    await page.locator('#f-timer-intervalMs').fill('5');
    await expect(page.locator('.inspector .duration select').inputValue()).resolves.toBe('1000');

    // Threshold alarm: a high limit clears its problem; a negative hysteresis is refused on the field and on the node.
    await node(page, 'threshold-alarm').click();
    await page.locator('.inspector[data-node="threshold-alarm"]').waitFor();
    await page.locator('#f-threshold-alarm-high').fill('80');
    await badge(page, 'threshold-alarm').waitFor({ state: 'detached' });
    await page.locator('#f-threshold-alarm-hysteresis').fill('-5');
    await expect(page.locator('[data-field="hysteresis"] .field-error').textContent()).resolves.toMatch(/0/);
    await expect(page.locator('#f-threshold-alarm-hysteresis').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(badge(page, 'threshold-alarm').textContent()).resolves.toBe('1');
    await expect(page.locator('.flow-status.error').textContent()).resolves.toContain('1');
    await screenshot(page, 'designer-editor-invalid-field');
    await page.locator('#f-threshold-alarm-hysteresis').fill('2');
    await badge(page, 'threshold-alarm').waitFor({ state: 'detached' });

    // History: the series tag.
    await node(page, 'history').click();
    await page.locator('#f-history-tag').fill('barrel-temp');

    // The rule in Monaco (loaded now, not before): a syntax error from the sandbox, then fixed.
    await node(page, 'rule').click();
    await page.locator('.inspector[data-node="rule"] button#f-rule-code').click();
    await page.locator('.rule-panel .monaco-editor').waitFor();
    await page.locator('.rule-status[data-state="ok"]').waitFor();
    expect((await loadedScripts(page)).names.some((n) => /editor\.api|rule-editor/.test(n))).toBe(true);
    await page.locator('.rule-panel .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('const limit = 80;\nif (msg.payload > limit {\nreturn msg;\n');
    await page.locator('.rule-status[data-state="error"]').waitFor();
    await expect(page.locator('.rule-status').textContent()).resolves.toMatch(/第 2 行/);
    await expect(page.locator('.inspector .code-preview').textContent()).resolves.toContain('const limit = 80;');
    await page.locator('.rule-panel .squiggly-error').first().waitFor();
    await screenshot(page, 'designer-rule-error');
    // Completion knows the rule's typings: msg has payload.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('msg.');
    await page.locator('.rule-panel .suggest-widget .monaco-list-row[aria-label*="payload"]').first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('const limit = 80;\nif (msg.payload > limit) msg.payload = limit;\nreturn msg;');
    await page.locator('.rule-status[data-state="ok"]').waitFor();
    await expect(badge(page, 'rule').count()).resolves.toBe(0);
    await page.locator('.rule-panel button.primary').click();

    // Tidy up and look at the whole flow.
    await page.getByRole('button', { name: '自动布局' }).click();
    await expect(page.locator('.flow-status.ok').textContent()).resolves.toContain('流程有效');
    await screenshot(page, 'designer-editor-flow');

    // The flow document (kept as a draft in this browser) holds what was configured.
    const saved = await page.evaluate(() => localStorage.getItem('kaiwu.designer.drafts'));
    expect(saved).toContain('barrel-temp');
    expect(errors).toEqual([]);
  }, 180_000);
});
