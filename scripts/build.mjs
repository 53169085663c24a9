// Bundles the runtime CLI and the sandbox worker into dist/ (the site runs these, not the sources).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (process.argv.includes('--if-possible')) {
    if (!existsSync(`${root}dist/cli.mjs`)) console.warn('kaiwu: esbuild is not installed (npm ci --omit=dev?); install a packed release or run "npm ci" to build.');
    process.exit(0);
  }
  throw new Error('esbuild is missing: run "npm ci" first');
}

rmSync(`${root}dist`, { recursive: true, force: true });
mkdirSync(`${root}dist`, { recursive: true });
// Native addons and the WASM variant (located through its package) stay outside. Everything
// else is bundled and minified: one file loads faster and takes less memory than a module tree.
const external = ['better-sqlite3', 'pino-pretty', 'modbus-serial', 'serialport', '@serialport/*', 'mqtt', 'quickjs-emscripten-core', '@jitl/*', 'express'];
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minify: true,
  keepNames: true,
  external,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __kaiwuRequire } from 'node:module'; const require = __kaiwuRequire(import.meta.url);" },
};
const t0 = performance.now();
await Promise.all([
  // Split: each command loads only what it needs (the runtime's server and store stay out of `run`).
  esbuild.build({ ...common, entryPoints: { cli: `${root}runtime/cli.ts` }, outdir: `${root}dist`, outExtension: { '.js': '.mjs' }, splitting: true, chunkNames: '[name]-[hash]' }),
  esbuild.build({ ...common, entryPoints: { 'sandbox-worker': `${root}runtime/sandbox/worker.ts` }, outdir: `${root}dist`, outExtension: { '.js': '.mjs' } }),
]);
if (!process.argv.includes('--quiet')) console.error(`kaiwu: built dist/ in ${Math.round(performance.now() - t0)} ms`);
// The site dashboard (dist/dashboard/, served by the runtime at /dashboard) and the designer app
// (dist/designer/, served by the studio at /); skipped when Vite is not installed.
await (await import('./build-dashboard.mjs')).buildDashboard({ quiet: process.argv.includes('--quiet') });
await (await import('./build-designer.mjs')).buildDesigner({ quiet: process.argv.includes('--quiet') });
