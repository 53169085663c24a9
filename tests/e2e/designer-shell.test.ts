import type { BrowserContext } from 'playwright-core';
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

describe('designer shell', () => {
  it('serves the app at any path but /api, signs in, switches language, guards pages by role, signs out', async () => {
    const index = await fetch(`${studio.url}/editor`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${studio.url}/api/nope`)).status).toBe(401);

    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${studio.url}/`);
    await page.locator('.login-card').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('登录开物设计器');
    await screenshot(page, 'designer-login');

    await page.locator('input[name="username"]').fill('zhangwei');
    await page.locator('input[name="password"]').fill('wrong password');
    await page.locator('form button[type="submit"]').click();
    await expect(page.locator('.login-card .error').textContent()).resolves.toBe('用户名或密码不正确');

    await signIn(page, studio.url, 'zhangwei', E2E_PASSWORD);
    await expect(page.locator('.user-role').textContent()).resolves.toBe('总承包商');
    await page.locator('.home .card').first().waitFor();
    await screenshot(page, 'designer-home');

    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('.user-role').textContent()).resolves.toBe('contractor');
    await page.reload();
    await page.locator('header.topbar').waitFor();
    await expect(page.locator('.user-role').textContent()).resolves.toBe('contractor');
    await page.getByRole('button', { name: '中文' }).click();

    await page.goto(`${studio.url}/no/such/page`);
    await expect(page.locator('main h1').textContent()).resolves.toBe('页面不存在');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('.login-card').waitFor();
    expect(errors).toEqual([]);

    // An enterprise user does not get the flow editor.
    await studio.user('lihua', 'enterprise', '湖州某涂装厂');
    const other = await browser.newPage();
    await signIn(other, studio.url, 'lihua', E2E_PASSWORD, '/editor');
    await expect(other.locator('main h1').textContent()).resolves.toBe('无权访问');
    await expect(other.locator('nav.nav a').allTextContents()).resolves.not.toContain('◇流程编辑');
  }, 180_000);
});
