import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const made = new Map<string, Promise<string>>();

/**
 * A bench file bundled as the site runs its code (scripts/build.mjs: esbuild, minified, native
 * modules, mqtt and the WASM variant outside), so our side is measured as shipped and without the
 * TypeScript loader. With `sandboxWorker`, the built sandbox worker goes next to it, where the
 * pool looks first. Made once per run.
 */
export function bundleAsShipped(entry: string, name: string, o: { sandboxWorker?: boolean } = {}): Promise<string> {
  let file = made.get(name);
  if (!file) {
    file = build(entry, name, o.sandboxWorker === true);
    made.set(name, file);
  }
  return file;
}

async function build(entry: string, name: string, sandboxWorker: boolean): Promise<string> {
  const esbuild = await import('esbuild');
  // Inside the project, so the modules left outside the bundle resolve from node_modules.
  const dir = join(ROOT, 'node_modules', '.cache', 'kaiwu-bench');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, name);
  await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    external: ['better-sqlite3', 'pino-pretty', 'modbus-serial', 'serialport', '@serialport/*', 'mqtt', 'quickjs-emscripten-core', '@jitl/*', 'express', 'esbuild'],
    banner: { js: "import { createRequire as __kaiwuRequire } from 'node:module'; const require = __kaiwuRequire(import.meta.url);" },
  });
  if (sandboxWorker) {
    const worker = join(ROOT, 'dist', 'sandbox-worker.mjs');
    if (!existsSync(worker)) throw new Error('dist/sandbox-worker.mjs is missing: npm run build');
    copyFileSync(worker, join(dir, 'sandbox-worker.mjs'));
  }
  return out;
}
