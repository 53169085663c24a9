import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped examples folder (sample firms, the quickstart), found from the sources or dist/. */
export function shippedExamplesDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'examples', 'quickstart'))) return join(dir, 'examples');
    dir = dirname(dir);
  }
  return undefined;
}
