import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeCatalog, Problem, ProfileLookup, Template } from '../model';
import { checkTemplate, compareVersions, parseTemplateRef, templateRef } from '../model';

/** One template folder: `template.json` (the newest version), `versions/<x.y.z>.json` (older published ones), `README.md`. */
export interface TemplateEntry {
  readonly id: string;
  readonly folder: string;
  readonly readme?: string;
  /** Every version, oldest first. */
  readonly versions: readonly Template[];
}

export interface TemplateLibrary {
  /** By `id@version`, or by id for the newest version. */
  get(ref: string): Template | undefined;
  entries(): readonly TemplateEntry[];
  /** Files that did not load, with why. */
  readonly rejected: readonly { readonly file: string; readonly problems: readonly Problem[] }[];
}

/** The shipped templates folder, found from this file in the sources or in dist/; KAIWU_TEMPLATES overrides it. */
export function shippedTemplatesDir(): string | undefined {
  if (process.env.KAIWU_TEMPLATES) return process.env.KAIWU_TEMPLATES;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'templates', 'catalog.json'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  return undefined;
}

function readJson(file: string): { value?: unknown; problem?: Problem } {
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (err) {
    return { problem: { severity: 'error', code: 'invalid-json', path: [], at: '(root)', message: { zh: `无法读取：${(err as Error).message}`, en: `cannot read: ${(err as Error).message}` } } };
  }
}

/** Reads every template folder below `dir`, checking each version against the node types and profiles. */
export function loadTemplateLibrary(dir: string, catalog: NodeCatalog, profiles: ProfileLookup): TemplateLibrary {
  const entries: TemplateEntry[] = [];
  const rejected: { file: string; problems: Problem[] }[] = [];
  const folders = existsSync(dir) ? readdirSync(dir).filter((f) => existsSync(join(dir, f, 'template.json')) && statSync(join(dir, f)).isDirectory()).sort() : [];
  for (const name of folders) {
    const folder = join(dir, name);
    const files = [join(folder, 'template.json')];
    const versionsDir = join(folder, 'versions');
    if (existsSync(versionsDir)) files.push(...readdirSync(versionsDir).filter((f) => f.endsWith('.json')).sort().map((f) => join(versionsDir, f)));
    const versions: Template[] = [];
    for (const file of files) {
      const raw = readJson(file);
      if (raw.problem) {
        rejected.push({ file, problems: [raw.problem] });
        continue;
      }
      const checked = checkTemplate(raw.value, catalog, profiles);
      if (!checked.ok) rejected.push({ file, problems: checked.problems });
      else versions.push(checked.template);
    }
    if (versions.length === 0) continue;
    versions.sort((a, b) => compareVersions(a.version, b.version));
    const readme = join(folder, 'README.md');
    entries.push({ id: versions[0]!.id, folder, versions, ...(existsSync(readme) ? { readme: readFileSync(readme, 'utf8') } : {}) });
  }
  const byRef = new Map<string, Template>();
  const newest = new Map<string, Template>();
  for (const e of entries) {
    for (const v of e.versions) byRef.set(templateRef(v), v);
    newest.set(e.id, e.versions.at(-1)!);
  }
  return {
    get: (ref) => (parseTemplateRef(ref) ? byRef.get(ref) : newest.get(ref)),
    entries: () => entries,
    rejected,
  };
}
