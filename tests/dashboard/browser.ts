import { existsSync, mkdirSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Debian's Chromium, headless, in a fresh profile. Missing Chromium is a failure, not a skip. */
export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the dashboard tests drive a real browser; install it with: apt-get install -y chromium`);
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kaiwu-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves a screenshot under test-output/screenshots/ and copies it to docs/screenshots/ (shown in the README). */
export function keepScreenshot(file: string, name: string): string {
  const out = join(ROOT, 'test-output', 'screenshots', name);
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(file, out);
  const docs = join(ROOT, 'docs', 'screenshots', name);
  mkdirSync(dirname(docs), { recursive: true });
  copyFileSync(file, docs);
  return out;
}

/** The dashboard app must be built (npm test builds it through pretest). */
export function requireBuiltApp(): void {
  if (!existsSync(join(ROOT, 'dist', 'dashboard', 'index.html'))) {
    throw new Error('dist/dashboard is not built: run "node scripts/build-dashboard.mjs" (npm test builds it through npm run build)');
  }
}
