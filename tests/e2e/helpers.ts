// Shared helpers of the end-to-end tests: a studio on port 0 serving the built designer, Debian's
// Chromium through playwright-core, signing in, screenshots under test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { Studio, StudioOptions } from '../../designer/server/studio';
import { createStudio } from '../../designer/server/studio';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DESIGNER_DIR = join(ROOT, 'dist', 'designer');
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
/** The password of the users made with {@link E2eStudio.user}. */
export const E2E_PASSWORD = 'correct horse battery';

/** The designer must be built (npm test builds it through pretest → npm run build). */
export function requireBuiltDesigner(): void {
  if (!existsSync(join(DESIGNER_DIR, 'index.html'))) {
    throw new Error('dist/designer is not built: run "node scripts/build-designer.mjs" (npm test builds it through npm run build)');
  }
}

export interface E2eStudio {
  readonly studio: Studio;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly adminPassword: string;
  /** Calls the API as admin (Bearer token): `await s.api('POST', '/api/users', {...})`. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each test asserts the shape it reads
  /** Makes a user through the API (as admin) with {@link E2E_PASSWORD}. */
  user(username: string, role: 'admin' | 'contractor' | 'enterprise' | 'field-engineer', enterprise?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A studio on a fresh data folder, listening on 127.0.0.1:0, serving the built designer and the
 * shipped templates (or the options given).
 */
export async function startE2eStudio(options: Partial<StudioOptions> = {}): Promise<E2eStudio> {
  requireBuiltDesigner();
  const dataDir = mkdtempSync(join(tmpdir(), 'kaiwu-e2e-studio-'));
  const studio = await createStudio({ dataDir, logger: pino({ level: 'silent' }), health: { intervalMs: 0 }, designerDir: DESIGNER_DIR, ...options });
  const server: Server = await new Promise((resolve) => {
    const s = studio.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const adminPassword = studio.adminPassword!;
  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const login = await call(undefined, 'POST', '/api/login', { username: 'admin', password: adminPassword, client: 'api' });
  const token = login.body.token as string;
  return {
    studio, url, adminPassword,
    api: (method, path, body) => call(token, method, path, body),
    async user(username, role, enterprise) {
      const r = await call(token, 'POST', '/api/users', { username, role, password: E2E_PASSWORD, ...(enterprise ? { enterprise } : {}) });
      if (r.status !== 201) throw new Error(`user ${username}: ${JSON.stringify(r.body)}`);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await studio.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, in a fresh profile. A missing Chromium fails the test (never a skip). */
export async function launchChromium(viewport = { width: 1366, height: 768 }): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (bash .ci/run installs it)`);
  const profile = mkdtempSync(join(tmpdir(), 'kaiwu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.on('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Chromium may still be writing its profile as it exits; the folder is in tmp.
    }
  });
  return context;
}

/** Opens the designer and signs in through its login page; resolves once the top bar shows. */
export async function signIn(page: Page, url: string, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('header.topbar').waitFor();
}

/** Saves a full-window screenshot as test-output/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Collects the page's console errors and uncaught exceptions, for a test to assert there are none.
 * Failed requests are left out: an API answering 401 or 422 is what many tests look for.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return errors;
}
