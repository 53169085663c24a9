// Builds the site dashboard (dashboard/app) into dist/dashboard/, which the runtime serves at /dashboard.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Returns false when Vite is not installed (a runtime-only install); throws on a failed build. */
export async function buildDashboard({ quiet = false } = {}) {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    if (!quiet) console.warn('kaiwu: vite is not installed; the dashboard was not built');
    return false;
  }
  const t0 = performance.now();
  await vite.build({ configFile: `${root}dashboard/vite.config.ts`, logLevel: quiet ? 'error' : 'warn' });
  // Compressed once here, so the runtime on a small factory PC never compresses per request.
  const assets = `${root}dist/dashboard/assets/`;
  for (const name of readdirSync(assets)) {
    if (!/\.(js|css|svg)$/.test(name)) continue;
    const data = readFileSync(assets + name);
    writeFileSync(`${assets}${name}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(`${assets}${name}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  if (!quiet) console.error(`kaiwu: built dist/dashboard/ in ${Math.round(performance.now() - t0)} ms`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildDashboard({ quiet: process.argv.includes('--quiet') });
}
