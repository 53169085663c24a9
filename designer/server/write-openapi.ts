// Writes designer/server/openapi.json from the route table:
//   node --import tsx designer/server/write-openapi.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { VERSION } from '../../runtime/version';
import { openApiDocument } from './openapi';
import { createStudio } from './studio';

const dir = mkdtempSync(join(tmpdir(), 'kaiwu-openapi-'));
const studio = await createStudio({ dataDir: dir, logger: pino({ level: 'silent' }), health: { intervalMs: 0 } });
const file = fileURLToPath(new URL('./openapi.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(openApiDocument(studio.routes, VERSION), null, 2)}\n`);
await studio.close();
rmSync(dir, { recursive: true, force: true });
console.log(`wrote ${file}`);
