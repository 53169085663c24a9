import { z } from 'zod';
import type { MigrationTable } from './migrate';
import { migrateDocument } from './migrate';
import type { JsonPath, Problem } from './problem';
import { problem } from './problem';
import { closest } from './similar';
import type { Text } from './text';
import { TextSchema } from './text';
import { zodProblems } from './zod-problems';

/**
 * The industry catalog: codes and names of GB/T 4754-2017 《国民经济行业分类》, the
 * classification templates are filed under (templates/catalog.json, see templates/README.md).
 *
 * Code convention: the section letter followed by the standard's own digits, with nothing in
 * between — section 'C' (门类), division 'C28' (大类), group 'C282' (中类), class 'C2822' (小类).
 * The digits are exactly the code the standard prints, so a code's ancestors are its prefixes:
 * 'C2822' → 'C282' → 'C28' → 'C', and "is X under Y" is `X.startsWith(Y)`.
 */

export const INDUSTRY_CATALOG_SCHEMA_VERSION = 1;
export const INDUSTRY_STANDARD = 'GB/T 4754-2017';

export const INDUSTRY_LEVELS = ['section', 'division', 'group', 'class'] as const;
export type IndustryLevel = (typeof INDUSTRY_LEVELS)[number];

const LEVEL_TEXT: Record<IndustryLevel, Text> = {
  section: { zh: '门类', en: 'section' },
  division: { zh: '大类', en: 'division' },
  group: { zh: '中类', en: 'group' },
  class: { zh: '小类', en: 'class' },
};

const CODE_PATTERN = /^[A-T](\d{2}(\d{1,2})?)?$/;

/** The level a code's shape says it is at ('C' section … 'C2822' class), or undefined. */
export function industryLevelOf(code: string): IndustryLevel | undefined {
  if (!CODE_PATTERN.test(code)) return undefined;
  return ({ 1: 'section', 3: 'division', 4: 'group', 5: 'class' } as const)[code.length as 1 | 3 | 4 | 5];
}

/** The code one level up, from the code's shape alone ('C2822' → 'C282', 'C28' → 'C'). */
export function parentCodeOf(code: string): string | undefined {
  const level = industryLevelOf(code);
  if (level === undefined || level === 'section') return undefined;
  return level === 'division' ? code.slice(0, 1) : code.slice(0, -1);
}

export const IndustryCodeSchema = z.string().refine((s) => CODE_PATTERN.test(s), {
  message: 'expected a GB/T 4754 code: a section letter A–T, optionally followed by 2, 3 or 4 digits (e.g. "C", "C28", "C282", "C2822")',
  params: { zh: '应为 GB/T 4754 行业代码：门类字母 A–T，后可接 2、3 或 4 位数字（如 “C”、“C28”、“C282”、“C2822”）' },
});

const KeywordListSchema = z.array(z.string().trim().min(1));

export const IndustryEntrySchema = z.strictObject({
  code: IndustryCodeSchema,
  level: z.enum(INDUSTRY_LEVELS),
  /** The code one level up; required below the section level, absent on a section. */
  parent: IndustryCodeSchema.optional(),
  name: TextSchema,
  /** Extra words a search should find the entry by: products, machines, processes. */
  keywords: z.strictObject({ zh: KeywordListSchema, en: KeywordListSchema }).optional(),
});
export type IndustryEntry = z.infer<typeof IndustryEntrySchema>;

/** The shape alone, without the cross-entry rules (see `industryCatalogIssues`). */
export const IndustryCatalogShapeSchema = z.strictObject({
  schemaVersion: z.literal(INDUSTRY_CATALOG_SCHEMA_VERSION),
  standard: z.literal(INDUSTRY_STANDARD),
  entries: z.array(IndustryEntrySchema),
});
export type IndustryCatalog = z.infer<typeof IndustryCatalogShapeSchema>;

/** One broken cross-entry rule, before it becomes a `Problem`. */
export interface IndustryCatalogIssue {
  readonly code: 'level-mismatch' | 'duplicate-code' | 'section-parent' | 'missing-parent' | 'unknown-parent' | 'parent-level' | 'parent-prefix';
  readonly path: JsonPath;
  readonly message: Text;
}

/**
 * The rules across entries: each level matches its code's shape, codes are unique, every
 * entry below a section names a parent that exists, sits exactly one level up, and is a
 * prefix of the entry's code. Sections have no parent.
 */
export function industryCatalogIssues(catalog: IndustryCatalog): IndustryCatalogIssue[] {
  const issues: IndustryCatalogIssue[] = [];
  const first = new Map<string, number>();
  catalog.entries.forEach((entry, i) => {
    if (!first.has(entry.code)) first.set(entry.code, i);
  });
  const byCode = new Map(catalog.entries.map((e) => [e.code, e] as const).reverse());
  const codes = [...first.keys()];

  catalog.entries.forEach((entry, i) => {
    const at = (field: string): JsonPath => ['entries', i, field];
    const { code, level } = entry;
    const shaped = industryLevelOf(code);
    if (shaped !== undefined && shaped !== level) {
      issues.push({ code: 'level-mismatch', path: at('level'), message: {
        zh: `代码 “${code}” 是${LEVEL_TEXT[shaped].zh}代码，但 level 写的是 “${level}”（${LEVEL_TEXT[level].zh}）`,
        en: `code "${code}" has the shape of a ${LEVEL_TEXT[shaped].en} code, but level is "${level}"`,
      } });
    }
    const firstAt = first.get(code)!;
    if (firstAt !== i) {
      issues.push({ code: 'duplicate-code', path: at('code'), message: {
        zh: `代码 “${code}” 重复，已在 entries[${firstAt}] 出现`,
        en: `duplicate code "${code}", already at entries[${firstAt}]`,
      } });
    }

    const { parent } = entry;
    if (level === 'section') {
      if (parent !== undefined) {
        issues.push({ code: 'section-parent', path: at('parent'), message: {
          zh: `门类 “${code}” 不能有上级，实际写了 “${parent}”`,
          en: `section "${code}" cannot have a parent, got "${parent}"`,
        } });
      }
      return;
    }
    const expectedParent = parentCodeOf(code);
    if (parent === undefined) {
      issues.push({ code: 'missing-parent', path: at('parent'), message: {
        zh: `${LEVEL_TEXT[level].zh} “${code}” 缺少上级代码${expectedParent ? `（应为 “${expectedParent}”）` : ''}`,
        en: `${LEVEL_TEXT[level].en} "${code}" has no parent${expectedParent ? ` (expected "${expectedParent}")` : ''}`,
      } });
      return;
    }
    const parentEntry = byCode.get(parent);
    if (!parentEntry) {
      const guess = expectedParent !== undefined && byCode.has(expectedParent) ? expectedParent : closest(parent, codes);
      issues.push({ code: 'unknown-parent', path: at('parent'), message: {
        zh: `“${code}” 的上级 “${parent}” 不在目录中${guess ? `，是否指 “${guess}”？` : ''}`,
        en: `the parent "${parent}" of "${code}" is not in the catalog${guess ? `; did you mean "${guess}"?` : ''}`,
      } });
      return;
    }
    const wantLevel = INDUSTRY_LEVELS[INDUSTRY_LEVELS.indexOf(level) - 1]!;
    if (parentEntry.level !== wantLevel) {
      issues.push({ code: 'parent-level', path: at('parent'), message: {
        zh: `${LEVEL_TEXT[level].zh} “${code}” 的上级应是${LEVEL_TEXT[wantLevel].zh}，但 “${parent}” 是${LEVEL_TEXT[parentEntry.level].zh}（不能跳级）`,
        en: `the parent of ${LEVEL_TEXT[level].en} "${code}" must be a ${LEVEL_TEXT[wantLevel].en}, but "${parent}" is a ${LEVEL_TEXT[parentEntry.level].en} (no level may be skipped)`,
      } });
    }
    if (!code.startsWith(parent)) {
      issues.push({ code: 'parent-prefix', path: at('parent'), message: {
        zh: `代码 “${code}” 不以上级代码 “${parent}” 开头${expectedParent ? `（按代码应属 “${expectedParent}”）` : ''}`,
        en: `code "${code}" does not start with its parent's code "${parent}"${expectedParent ? ` (by its code it belongs under "${expectedParent}")` : ''}`,
      } });
    }
  });
  return issues;
}

/** The whole catalog: its shape and the rules across entries, for `parse` / `safeParse`. */
export const IndustryCatalogSchema = IndustryCatalogShapeSchema.superRefine((catalog, ctx) => {
  for (const issue of industryCatalogIssues(catalog)) {
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message.en, params: { zh: issue.message.zh, kind: issue.code } });
  }
});

export const INDUSTRY_CATALOG_MIGRATIONS: MigrationTable = { kind: 'catalog', current: INDUSTRY_CATALOG_SCHEMA_VERSION, steps: {} };

export type IndustryCatalogCheck =
  | { ok: true; catalog: IndustryCatalog; problems: Problem[] }
  | { ok: false; problems: Problem[] };

/**
 * Checks a catalog as read from JSON and reports every problem, each with its JSON path and a
 * message in zh and en (problem codes: `catalog-shape` for the shape, otherwise the
 * `IndustryCatalogIssue` codes).
 */
export function checkIndustryCatalog(raw: unknown): IndustryCatalogCheck {
  const migrated = migrateDocument(raw, INDUSTRY_CATALOG_MIGRATIONS);
  if (!migrated.ok) return { ok: false, problems: migrated.problems };
  const shape = IndustryCatalogShapeSchema.safeParse(migrated.doc);
  if (!shape.success) return { ok: false, problems: zodProblems(shape.error, [], 'catalog-shape') };
  const problems = industryCatalogIssues(shape.data).map((i) => problem(i.code, i.path, i.message));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, catalog: shape.data, problems };
}

// ---------------------------------------------------------------------------------------------
// Look-ups. The index is built once per catalog object and kept while the catalog lives.

interface SearchRow {
  readonly entry: IndustryEntry;
  readonly code: string;
  readonly names: readonly string[];
  readonly keywords: readonly string[];
}

interface CatalogIndex {
  readonly byCode: ReadonlyMap<string, IndustryEntry>;
  /** Digits without the section letter ('2822') → code, when only one entry has them. */
  readonly byDigits: ReadonlyMap<string, string | null>;
  readonly rows: readonly SearchRow[];
}

const indexes = new WeakMap<IndustryCatalog, CatalogIndex>();

/** Lower case, full-width forms folded (（ → (, Ａ → a). */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim();
}

/** `fold` without spaces, hyphens and similar, so "water jet", "water-jet" and "waterjet" meet. */
function squash(s: string): string {
  return fold(s).replace(/[\s\-_/·.]+/g, '');
}

function indexOf(catalog: IndustryCatalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (index) return index;
  const byCode = new Map<string, IndustryEntry>();
  const byDigits = new Map<string, string | null>();
  const rows: SearchRow[] = [];
  for (const entry of catalog.entries) {
    if (byCode.has(entry.code)) continue;
    byCode.set(entry.code, entry);
    const digits = entry.code.slice(1);
    if (digits !== '') byDigits.set(digits, byDigits.has(digits) ? null : entry.code);
    rows.push({
      entry,
      code: fold(entry.code),
      names: [fold(entry.name.zh), fold(entry.name.en)],
      keywords: [...(entry.keywords?.zh ?? []), ...(entry.keywords?.en ?? [])].map(fold),
    });
  }
  index = { byCode, byDigits, rows };
  indexes.set(catalog, index);
  return index;
}

/** The entry with exactly this code (canonical form, e.g. 'C3443'), or undefined. */
export function findIndustry(catalog: IndustryCatalog, code: string): IndustryEntry | undefined {
  return indexOf(catalog).byCode.get(code);
}

/** Whether `code` is, in canonical form, a code of this catalog. */
export function isIndustryCode(catalog: IndustryCatalog, code: string): boolean {
  return indexOf(catalog).byCode.has(code);
}

/**
 * The canonical catalog code for what a person typed: ' c3443 ', 'C3443' and '3443' all give
 * 'C3443'; undefined when the catalog has no such code.
 */
export function normalizeIndustryCode(catalog: IndustryCatalog, input: string): string | undefined {
  const text = input.normalize('NFKC').trim().toUpperCase();
  const index = indexOf(catalog);
  if (index.byCode.has(text)) return text;
  if (/^\d{2,4}$/.test(text)) return index.byDigits.get(text) ?? undefined;
  return undefined;
}

/** The entries from the section down to `code` itself ('C3443' → C, C34, C344, C3443); [] if unknown. */
export function industryPath(catalog: IndustryCatalog, code: string): IndustryEntry[] {
  const { byCode } = indexOf(catalog);
  const path: IndustryEntry[] = [];
  const seen = new Set<string>();
  let current = byCode.get(code);
  while (current && !seen.has(current.code)) {
    seen.add(current.code);
    path.unshift(current);
    current = current.parent === undefined ? undefined : byCode.get(current.parent);
  }
  return path;
}

/** The entries whose parent is `code`, in catalog order. */
export function industryChildren(catalog: IndustryCatalog, code: string): IndustryEntry[] {
  return indexOf(catalog).rows.filter((r) => r.entry.parent === code).map((r) => r.entry);
}

function rowScore(row: SearchRow, query: string, tokens: readonly string[]): number {
  const squashed = squash(query);
  if (row.code === query || (/^\d{2,4}$/.test(query) && row.code.slice(1) === query)) return 100;
  if (row.names.includes(query)) return 90;
  if (row.names.some((n) => n.includes(query) || squash(n).includes(squashed))) return 70;
  if (row.keywords.includes(query)) return 60;
  if (row.keywords.some((k) => k.includes(query) || squash(k).includes(squashed))) return 50;
  if (/^[a-t]?\d{1,3}$/.test(query) && (row.code.startsWith(query) || row.code.slice(1).startsWith(query))) return 40;
  if (tokens.length > 1) {
    const fields = [...row.names, ...row.keywords].map(squash);
    if (tokens.every((t) => fields.some((f) => f.includes(t)))) return 30;
  }
  return 0;
}

/**
 * Entries matching `text`, best first: an exact code, then names, then keywords, then codes
 * that start with it; words separated by spaces must each match somewhere. Case-insensitive;
 * Chinese matches as a substring ("阀门" finds 阀门和旋塞制造); "water jet" finds "water-jet".
 * Ties keep catalog order (a section before its divisions, a group before its classes).
 */
export function searchIndustries(catalog: IndustryCatalog, text: string, options: { limit?: number } = {}): IndustryEntry[] {
  const query = fold(text);
  if (query === '') return [];
  const tokens = query.split(/\s+/).map(squash).filter((t) => t !== '');
  const scored: { entry: IndustryEntry; score: number; order: number }[] = [];
  indexOf(catalog).rows.forEach((row, order) => {
    const score = rowScore(row, query, tokens);
    if (score > 0) scored.push({ entry: row.entry, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const found = scored.map((s) => s.entry);
  return options.limit === undefined ? found : found.slice(0, Math.max(0, options.limit));
}
