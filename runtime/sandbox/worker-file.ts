import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The built sandbox worker. Next to this module when running from `dist/`; under the project's
 * `dist/` when running from source (tests), which `npm run build` (and `npm test`) produce.
 */
export function resolveWorkerFile(): string {
  const candidates = [
    new URL('./sandbox-worker.mjs', import.meta.url),
    new URL('../../dist/sandbox-worker.mjs', import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`the sandbox worker is not built (looked for ${candidates.map((u) => fileURLToPath(u)).join(' and ')}): run "npm run build"`);
}
