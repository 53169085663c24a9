import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../nodes/registry';
import { loadProfileCatalog } from '../../runtime/devices/profile-catalog';
import { loadTemplateLibrary } from '../../runtime/library/template-library';
import type { ProfileLookup } from '../../runtime/model';
import { describeProblem, templateRef } from '../../runtime/model';
import { createSandboxPool } from '../../runtime/sandbox/pool';
import { formatTestResult, runScenarioTests } from '../../runtime/scenario';

const dir = fileURLToPath(new URL('../../templates/', import.meta.url));
const registry = createNodeRegistry();
const catalog = loadProfileCatalog();
const profiles: ProfileLookup = (id) => catalog.get(id)?.profile;
const library = loadTemplateLibrary(dir, registry, profiles);
const folders = readdirSync(dir).filter((f) => f !== 'profiles' && statSync(`${dir}${f}`).isDirectory());
const sandbox = createSandboxPool();
afterAll(() => sandbox.close());

describe('shipped templates', () => {
  it('every folder loads, every version checks', () => {
    expect(library.rejected.map((r) => `${r.file}\n${r.problems.map((p) => describeProblem(p, 'en')).join('\n')}`)).toEqual([]);
    expect(library.entries().map((e) => e.folder.split(/[\\/]/).at(-1)).sort()).toEqual(folders.sort());
  });

  for (const entry of library.entries()) {
    for (const template of entry.versions) {
      describe(templateRef(template), () => {
        it('has a README and at least three N scenarios, two X scenarios and three tests in its newest version', () => {
          if (template !== entry.versions.at(-1)) return;
          expect(entry.readme).toBeTruthy();
          expect(template.scenarios.filter((s) => s.kind === 'N').length).toBeGreaterThanOrEqual(3);
          expect(template.scenarios.filter((s) => s.kind === 'X').length).toBeGreaterThanOrEqual(2);
          expect(template.tests.length).toBeGreaterThanOrEqual(3);
        });
        for (const test of template.tests) {
          it(`scenario test ${test.key}: ${test.title.en}`, async () => {
            const report = await runScenarioTests(template, { registry, profiles, sandbox, only: [test.key] });
            const result = report.tests[0]!;
            // The report itself is the message when it fails: every expectation, expected and actual.
            expect(result.passed, formatTestResult(result, 'en').join('\n')).toBe(true);
          }, 120_000);
        }
      });
    }
  }
});
