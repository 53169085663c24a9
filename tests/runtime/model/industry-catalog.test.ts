import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  IndustryCatalogSchema,
  checkIndustryCatalog,
  findIndustry,
  industryChildren,
  industryLevelOf,
  industryPath,
  isIndustryCode,
  normalizeIndustryCode,
  parentCodeOf,
  searchIndustries,
} from '../../../runtime/model/industry-catalog';
import type { IndustryCatalog, IndustryEntry } from '../../../runtime/model/industry-catalog';
import type { Problem } from '../../../runtime/model';

const raw: unknown = JSON.parse(readFileSync(new URL('../../../templates/catalog.json', import.meta.url), 'utf8'));

function shipped(): IndustryCatalog {
  const result = checkIndustryCatalog(raw);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.at}: ${p.message.en}`).join('\n'));
  return result.catalog;
}

const codes = (entries: readonly IndustryEntry[]) => entries.map((e) => e.code);
const byCode = (problems: readonly Problem[], code: string) => problems.filter((p) => p.code === code);

/** A small valid catalog to break one rule at a time. */
function fixture(extra: object[] = []) {
  return {
    schemaVersion: 1,
    standard: 'GB/T 4754-2017',
    entries: [
      { code: 'C', level: 'section', name: { zh: '制造业', en: 'Manufacturing' } },
      { code: 'C29', level: 'division', parent: 'C', name: { zh: '橡胶和塑料制品业', en: 'Rubber and plastics products' } },
      { code: 'C292', level: 'group', parent: 'C29', name: { zh: '塑料制品业', en: 'Plastics products' } },
      { code: 'C2929', level: 'class', parent: 'C292', name: { zh: '塑料零件及其他塑料制品制造', en: 'Plastic parts and other plastic products' } },
      ...extra,
    ],
  };
}

describe('the shipped industry catalog', () => {
  it('loads and passes the checker and the schema', () => {
    const result = checkIndustryCatalog(raw);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(IndustryCatalogSchema.safeParse(raw).success).toBe(true);
  });

  it('has all twenty sections A–T at the top level', () => {
    const sections = shipped().entries.filter((e) => e.level === 'section');
    expect(codes(sections)).toEqual('ABCDEFGHIJKLMNOPQRST'.split(''));
    expect(sections.every((s) => s.parent === undefined)).toBe(true);
    expect(findIndustry(shipped(), 'C')?.name.zh).toBe('制造业');
  });

  it('has every division C13–C43 of section C, with its official name where spot-checked', () => {
    const catalog = shipped();
    for (let n = 13; n <= 43; n++) {
      const entry = findIndustry(catalog, `C${n}`);
      expect(entry, `C${n}`).toBeDefined();
      expect(entry!.level).toBe('division');
      expect(entry!.parent).toBe('C');
    }
    expect(industryChildren(catalog, 'C')).toHaveLength(31);
    expect(findIndustry(catalog, 'C17')?.name.zh).toBe('纺织业');
    expect(findIndustry(catalog, 'C28')?.name.zh).toBe('化学纤维制造业');
    expect(findIndustry(catalog, 'C29')?.name.zh).toBe('橡胶和塑料制品业');
    expect(findIndustry(catalog, 'C34')?.name.zh).toBe('通用设备制造业');
    expect(findIndustry(catalog, 'C36')?.name.zh).toBe('汽车制造业');
    expect(findIndustry(catalog, 'C38')?.name.zh).toBe('电气机械和器材制造业');
  });

  it('keeps parents and code prefixes consistent, one level at a time', () => {
    const catalog = shipped();
    const levels = ['section', 'division', 'group', 'class'];
    for (const entry of catalog.entries) {
      expect(industryLevelOf(entry.code)).toBe(entry.level);
      if (entry.level === 'section') continue;
      const parent = findIndustry(catalog, entry.parent!);
      expect(parent, entry.code).toBeDefined();
      expect(entry.parent).toBe(parentCodeOf(entry.code));
      expect(entry.code.startsWith(parent!.code)).toBe(true);
      expect(levels.indexOf(parent!.level)).toBe(levels.indexOf(entry.level) - 1);
    }
    expect(new Set(codes(catalog.entries)).size).toBe(catalog.entries.length);
  });

  it('covers the key sub-sectors down to their classes', () => {
    const catalog = shipped();
    const name = (code: string) => findIndustry(catalog, code)?.name.zh;
    expect(name('C175')).toBe('化纤织造及印染精加工');
    expect(name('C1751')).toBe('化纤织造加工');
    expect(name('C1712')).toBe('棉织造加工');
    expect(codes(industryChildren(catalog, 'C282'))).toEqual(['C2821', 'C2822', 'C2823', 'C2824', 'C2825', 'C2826', 'C2829']);
    expect(name('C2822')).toBe('涤纶纤维制造');
    expect(name('C2929')).toBe('塑料零件及其他塑料制品制造');
    expect(name('C344')).toBe('泵、阀门、压缩机及类似机械制造');
    expect(name('C3441')).toBe('泵及真空设备制造');
    expect(name('C3443')).toBe('阀门和旋塞制造');
    expect(name('C3421')).toBe('金属切削机床制造');
    expect(name('C3670')).toBe('汽车零部件及配件制造');
    expect(name('C3811')).toBe('发电机及发电机组制造');
    expect(name('C3812')).toBe('电动机制造');
    for (const code of ['C18', 'C19', 'C21', 'C31', 'C32', 'C33', 'C35']) {
      expect(industryChildren(catalog, code).length, code).toBeGreaterThan(0);
    }
    expect(catalog.entries.every((e) => e.name.en.trim() !== '' && e.name.zh.trim() !== '')).toBe(true);
  });
});

describe('look-ups', () => {
  it('walks the path from the section down to a class', () => {
    const catalog = shipped();
    expect(codes(industryPath(catalog, 'C3443'))).toEqual(['C', 'C34', 'C344', 'C3443']);
    expect(codes(industryPath(catalog, 'C'))).toEqual(['C']);
    expect(industryPath(catalog, 'C9999')).toEqual([]);
  });

  it('tells catalog codes from others and normalizes what a person typed', () => {
    const catalog = shipped();
    expect(isIndustryCode(catalog, 'C3443')).toBe(true);
    expect(isIndustryCode(catalog, 'c3443')).toBe(false);
    expect(isIndustryCode(catalog, 'C9999')).toBe(false);
    expect(findIndustry(catalog, 'C9999')).toBeUndefined();
    expect(normalizeIndustryCode(catalog, ' c3443 ')).toBe('C3443');
    expect(normalizeIndustryCode(catalog, '3443')).toBe('C3443');
    expect(normalizeIndustryCode(catalog, 'Ｃ２９２９')).toBe('C2929');
    expect(normalizeIndustryCode(catalog, '9999')).toBeUndefined();
  });

  it('finds valves, water-jet weaving and injection moulding', () => {
    const catalog = shipped();
    expect(codes(searchIndustries(catalog, '阀门'))).toContain('C3443');
    expect(codes(searchIndustries(catalog, 'valve'))).toContain('C3443');

    const waterJet = codes(searchIndustries(catalog, 'water-jet'));
    expect(waterJet.some((c) => /^C175\d$/.test(c))).toBe(true);
    expect(codes(searchIndustries(catalog, 'Water Jet'))).toEqual(waterJet);
    expect(codes(searchIndustries(catalog, '喷水织机'))).toContain('C1751');

    const moulding = codes(searchIndustries(catalog, '注塑'));
    expect(moulding.some((c) => /^C292\d$/.test(c))).toBe(true);
    expect(codes(searchIndustries(catalog, 'INJECTION MOULDING'))).toContain('C2929');
  });

  it('ranks an exact code first and matches Chinese names by substring', () => {
    const catalog = shipped();
    expect(searchIndustries(catalog, 'C3443')[0]?.code).toBe('C3443');
    expect(searchIndustries(catalog, '3443')[0]?.code).toBe('C3443');
    expect(codes(searchIndustries(catalog, '涤纶'))).toContain('C2822');
    expect(codes(searchIndustries(catalog, '汽车零部件'))).toEqual(expect.arrayContaining(['C367', 'C3670']));
    expect(searchIndustries(catalog, '阀门', { limit: 1 })).toHaveLength(1);
    expect(searchIndustries(catalog, '   ')).toEqual([]);
    expect(searchIndustries(catalog, 'no such industry')).toEqual([]);
  });
});

describe('checkIndustryCatalog on a broken catalog', () => {
  it('accepts the small fixture', () => {
    expect(checkIndustryCatalog(fixture()).problems).toEqual([]);
  });

  it('reports a duplicate code at the second occurrence', () => {
    const result = checkIndustryCatalog(fixture([{ code: 'C292', level: 'group', parent: 'C29', name: { zh: '重复', en: 'again' } }]));
    expect(result.ok).toBe(false);
    const dup = byCode(result.problems, 'duplicate-code');
    expect(dup.map((p) => p.at)).toEqual(['entries[4].code']);
    expect(dup[0]!.message.en).toBe('duplicate code "C292", already at entries[2]');
    expect(dup[0]!.message.zh).toContain('重复');
  });

  it('reports a parent that is not in the catalog', () => {
    const result = checkIndustryCatalog(fixture([{ code: 'C2811', level: 'class', parent: 'C281', name: { zh: '化纤浆粕制造', en: 'Chemical-fibre pulp' } }]));
    expect(result.ok).toBe(false);
    const unknown = byCode(result.problems, 'unknown-parent');
    expect(unknown.map((p) => p.at)).toEqual(['entries[4].parent']);
    expect(unknown[0]!.message.en).toContain('"C281"');
    expect(unknown[0]!.message.zh).toContain('不在目录中');
  });

  it('reports a code that does not start with its parent', () => {
    const result = checkIndustryCatalog(fixture([{ code: 'C2811', level: 'class', parent: 'C292', name: { zh: '化纤浆粕制造', en: 'Chemical-fibre pulp' } }]));
    expect(result.problems.map((p) => [p.code, p.at])).toEqual([['parent-prefix', 'entries[4].parent']]);
    expect(result.problems[0]!.message.en).toContain('by its code it belongs under "C281"');
    expect(result.problems[0]!.message.zh).toContain('不以上级代码');
  });

  it('reports a skipped level', () => {
    const result = checkIndustryCatalog(fixture([{ code: 'C2921', level: 'class', parent: 'C29', name: { zh: '塑料薄膜制造', en: 'Plastic film' } }]));
    expect(result.problems.map((p) => [p.code, p.at])).toEqual([['parent-level', 'entries[4].parent']]);
    expect(result.problems[0]!.message.en).toContain('must be a group');
    expect(result.problems[0]!.message.zh).toContain('不能跳级');
  });

  it('reports a missing parent field, a section with a parent and a level that does not fit the code', () => {
    const result = checkIndustryCatalog(fixture([
      { code: 'C28', level: 'division', name: { zh: '化学纤维制造业', en: 'Chemical fibres' } },
      { code: 'D', level: 'section', parent: 'C', name: { zh: '电力', en: 'Power' } },
      { code: 'C282', level: 'class', parent: 'C28', name: { zh: '合成纤维制造', en: 'Synthetic fibres' } },
    ]));
    expect(result.problems.map((p) => [p.code, p.at])).toEqual([
      ['missing-parent', 'entries[4].parent'],
      ['section-parent', 'entries[5].parent'],
      ['level-mismatch', 'entries[6].level'],
      ['parent-level', 'entries[6].parent'],
    ]);
  });

  it('reports shape errors with their paths and zh/en messages', () => {
    const bad = fixture([{ code: 'C29-1', level: 'class', parent: 'C292', name: { zh: '坏代码', en: '' } }]);
    const result = checkIndustryCatalog({ ...bad, standard: 'GB/T 4754-2011' });
    expect(result.ok).toBe(false);
    expect(result.problems.every((p) => p.code === 'catalog-shape')).toBe(true);
    expect(result.problems.map((p) => p.at).sort()).toEqual(['entries[4].code', 'entries[4].name.en', 'standard']);
    const code = result.problems.find((p) => p.at === 'entries[4].code')!;
    expect(code.message.en).toContain('GB/T 4754 code');
    expect(code.message.zh).toContain('行业代码');
  });

  it('refuses a missing or newer schemaVersion and a non-object', () => {
    expect(checkIndustryCatalog({ ...fixture(), schemaVersion: 2 }).problems.map((p) => p.code)).toEqual(['schema-version-newer']);
    expect(checkIndustryCatalog({ standard: 'GB/T 4754-2017', entries: [] }).problems.map((p) => p.code)).toEqual(['schema-version']);
    expect(checkIndustryCatalog([]).problems.map((p) => p.code)).toEqual(['not-an-object']);
  });

  it('makes the zod schema refuse the same catalog, at the same path', () => {
    const parsed = IndustryCatalogSchema.safeParse(fixture([{ code: 'C2921', level: 'class', parent: 'C29', name: { zh: '塑料薄膜制造', en: 'Plastic film' } }]));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path)).toEqual([['entries', 4, 'parent']]);
  });
});
