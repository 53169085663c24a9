// Builds the designer (designer/app) into dist/designer/, which the studio serves at /.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Returns false when Vite is not installed (a runtime-only install); throws on a failed build. */
export async function buildDesigner({ quiet = false } = {}) {
  // designer/vite.config.ts imports its plugin file without an extension, as TypeScript wants it.
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  let vite;
  try {
    vite = await import('vite');
  } catch {
    if (!quiet) console.warn('kaiwu: vite is not installed; the designer was not built');
    return false;
  }
  const t0 = performance.now();
  await vite.build({ configFile: `${root}designer/vite.config.ts`, logLevel: quiet ? 'error' : 'warn' });
  // Compressed once here, so the studio never compresses per request.
  const assets = `${root}dist/designer/assets/`;
  for (const name of readdirSync(assets)) {
    if (!/\.(js|css|svg|ttf)$/.test(name)) continue;
    const data = readFileSync(assets + name);
    writeFileSync(`${assets}${name}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(`${assets}${name}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  if (!quiet) console.error(`kaiwu: built dist/designer/ in ${Math.round(performance.now() - t0)} ms`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildDesigner({ quiet: process.argv.includes('--quiet') });
}
