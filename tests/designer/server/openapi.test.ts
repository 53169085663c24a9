import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../designer/server/openapi';
import { VERSION } from '../../../runtime/version';
import type { RunningStudio } from './helpers';
import { startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('the API description', () => {
  it('is the route table: designer/server/openapi.json is up to date (node --import tsx designer/server/write-openapi.ts)', async () => {
    const s = await startStudio();
    running.push(s);
    const file = JSON.parse(readFileSync(new URL('../../../designer/server/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(file).toEqual(JSON.parse(JSON.stringify(openApiDocument(s.studio.routes, VERSION))));
    const paths = file.paths as Record<string, Record<string, { 'x-kaiwu-roles': string[] }>>;
    expect(paths['/api/sites/{id}/deploy']!.post!['x-kaiwu-roles']).toEqual(['admin', 'field-engineer', 'enterprise']);
  });
});
