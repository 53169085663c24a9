/**
 * `kaiwu test-template <dir>`: checks a template folder (template.json and versions/) and runs
 * the scenario tests of its template.json against simulated devices on a virtual clock,
 * printing each test as it finishes. Exit 0 when every file checks and every test passes.
 */
import { createNodeRegistry } from '../../nodes/registry';
import { loadProfileCatalog, shippedProfilesDir } from '../devices/profile-catalog';
import type { Lang, ProfileLookup } from '../model';
import { describeProblem } from '../model';
import { formatTestResult } from '../scenario/scenario-report';
import { runScenarioTests } from '../scenario/scenario-runner';
import { loadTemplateFolder } from '../scenario/template-folder';

export interface TestTemplateOptions {
  readonly lang: Lang;
  /** Test keys to run (a list, or one text with commas); default every test. */
  readonly only?: readonly string[] | string;
  /** Device profile folders; default the shipped ones. */
  readonly profiles?: readonly string[];
}

function keys(only: TestTemplateOptions['only']): string[] {
  const list = typeof only === 'string' ? [only] : only ?? [];
  return list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** Runs the tests and prints the report; 0 when everything passed, 1 otherwise. */
export async function testTemplateCommand(dir: string, o: TestTemplateOptions, print: (line: string) => void): Promise<number> {
  const zh = o.lang === 'zh';
  const registry = createNodeRegistry();
  const dirs = o.profiles?.length ? [...o.profiles] : [shippedProfilesDir()].filter((d): d is string => d !== undefined);
  const catalog = loadProfileCatalog(dirs);
  const profiles: ProfileLookup = (id) => catalog.get(id)?.profile;

  let folder;
  try {
    folder = loadTemplateFolder(dir, registry, profiles);
  } catch {
    print(zh ? `kaiwu test-template：${dir} 不是模板文件夹（没有 template.json）` : `kaiwu test-template: ${dir} is not a template folder (no template.json)`);
    return 1;
  }
  for (const r of folder.rejected) {
    print(zh ? `✗ ${r.file} 未通过检查：` : `✗ ${r.file} does not check:`);
    for (const p of r.problems) print(`    ${describeProblem(p, o.lang)}`);
  }
  const template = folder.current;
  if (!template) return 1;
  const older = folder.versions.filter((v) => v !== template).map((v) => v.version);
  print(zh
    ? `模板 ${template.id}@${template.version}（${template.title.zh}）${older.length ? `，已发布的旧版本 ${older.join('、')} 均通过检查` : ''}`
    : `template ${template.id}@${template.version} (${template.title.en})${older.length ? `; older published versions ${older.join(', ')} check` : ''}`);

  const only = keys(o.only);
  const report = await runScenarioTests(template, {
    registry,
    profiles,
    ...(only.length ? { only } : {}),
    onResult: (r) => {
      for (const line of formatTestResult(r, o.lang)) print(line);
    },
  });
  if (report.tests.length === 0 && report.unknown.length === 0) print(zh ? '这个模板没有场景测试。' : 'this template has no scenario tests.');
  if (report.unknown.length > 0) print(zh ? `✗ 没有这些测试：${report.unknown.join('、')}（有：${template.tests.map((t) => t.key).join('、')}）` : `✗ no such test(s): ${report.unknown.join(', ')} (there are: ${template.tests.map((t) => t.key).join(', ')})`);
  const failed = report.tests.filter((t) => !t.passed).length;
  const passed = report.tests.length - failed;
  print(zh ? `结果：${passed} 个通过，${failed} 个失败` : `result: ${passed} passed, ${failed} failed`);
  return report.passed && folder.rejected.length === 0 ? 0 : 1;
}
