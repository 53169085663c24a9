/**
 * One template folder as its author works on it: `template.json` (the version in work or the
 * newest published) and `versions/<x.y.z>.json` (older published ones), each checked against
 * the node types and profiles, with the problems of any file that does not check.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeCatalog, Problem, ProfileLookup, Template } from '../model';
import { checkTemplate, compareVersions } from '../model';

export interface TemplateFolder {
  readonly folder: string;
  /** Every version that checks, oldest first. */
  readonly versions: readonly Template[];
  /** What `template.json` holds, when it checks. */
  readonly current?: Template;
  /** Files that did not load or check, with every problem. */
  readonly rejected: readonly { readonly file: string; readonly problems: readonly Problem[] }[];
}

function invalidJson(err: unknown): Problem {
  return { severity: 'error', code: 'invalid-json', path: [], at: '(root)', message: { zh: `无法读取：${(err as Error).message}`, en: `cannot read: ${(err as Error).message}` } };
}

/** Reads and checks a template folder; throws when it is not a folder with a template.json. */
export function loadTemplateFolder(folder: string, catalog: NodeCatalog, profiles: ProfileLookup): TemplateFolder {
  const main = join(folder, 'template.json');
  if (!existsSync(folder) || !statSync(folder).isDirectory() || !existsSync(main)) {
    throw new Error(`${folder}: not a template folder (no template.json)`);
  }
  const versionsDir = join(folder, 'versions');
  const files = [main, ...(existsSync(versionsDir) ? readdirSync(versionsDir).filter((f) => f.endsWith('.json')).sort().map((f) => join(versionsDir, f)) : [])];
  const versions: Template[] = [];
  const rejected: { file: string; problems: Problem[] }[] = [];
  let current: Template | undefined;
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      rejected.push({ file, problems: [invalidJson(err)] });
      continue;
    }
    const checked = checkTemplate(raw, catalog, profiles);
    if (!checked.ok) {
      rejected.push({ file, problems: checked.problems });
      continue;
    }
    versions.push(checked.template);
    if (file === main) current = checked.template;
  }
  versions.sort((a, b) => compareVersions(a.version, b.version));
  return { folder, versions, ...(current ? { current } : {}), rejected };
}
