import { createHash } from 'node:crypto';
import { canonicalJson } from '../../runtime/bundle/canonical-json';
import type { TemplateLibrary } from '../../runtime/library/template-library';
import type { Demand, IndustryCatalog, NodeCatalog, Problem, ProfileLookup, Template, Text } from '../../runtime/model';
import { DEMANDS, TemplateSchema, checkTemplate, compareVersions, industryPath, isIndustryCode, normalizeIndustryCode, problem, searchIndustries, templateRef } from '../../runtime/model';
import type { StudioDb } from './database';
import { conflict, notFound, summarise, under, unprocessable } from './errors';

export type VersionStatus = 'draft' | 'published';

export interface VersionSummary {
  readonly id: string;
  readonly version: string;
  readonly status: VersionStatus;
  readonly industry: string;
  readonly title: Text;
  readonly demands: readonly Demand[];
  readonly contentHash: string;
  readonly createdAt: string;
  readonly publishedAt: string | null;
}

export interface TemplateSearch {
  /** A GB/T 4754 code or its prefix: C17 finds templates filed under C1751. */
  readonly industry?: string;
  readonly demand?: Demand;
  /** Words in titles, descriptions, scenario names, the industry's name. */
  readonly text?: string;
  /** Contractors see drafts; everyone else only published versions. */
  readonly drafts: boolean;
  readonly page: number;
  readonly pageSize: number;
}

export interface TemplateHit {
  readonly id: string;
  /** The newest published version (or, for drafts-only templates, the newest draft). */
  readonly latest: VersionSummary;
  readonly industry: { readonly code: string; readonly path: readonly { code: string; name: Text }[] };
  readonly versions: readonly { readonly version: string; readonly status: VersionStatus }[];
}

export interface ImportReport {
  readonly imported: readonly string[];
  readonly unchanged: readonly string[];
  /** Shipped versions that differ from what the studio already published under the same id@version: the studio keeps its own. */
  readonly conflicts: readonly string[];
  readonly rejected: readonly { readonly file: string; readonly problems: readonly Problem[] }[];
}

export interface SaveResult {
  readonly version: VersionSummary;
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

export interface TemplateStore {
  importLibrary(library: TemplateLibrary): ImportReport;
  /** A new version (draft, or published at once) or a changed draft; published versions never change. */
  save(actorId: number | null, raw: unknown, readme: string | undefined, publish: boolean): SaveResult;
  publish(actorId: number, id: string, version: string): VersionSummary;
  deleteDraft(id: string, version: string): void;
  search(q: TemplateSearch): { templates: TemplateHit[]; total: number };
  versions(id: string, drafts: boolean): VersionSummary[];
  get(id: string, version: string, drafts: boolean): { summary: VersionSummary; template: Template; readme: string | null } | undefined;
  /** A published version, parsed once and kept: published content never changes. */
  published(ref: string): Template | undefined;
  latestPublished(id: string): string | undefined;
}

interface Row {
  template_id: string;
  version: string;
  status: VersionStatus;
  industry: string;
  demands: string;
  title_zh: string;
  title_en: string;
  content: string;
  content_hash: string;
  readme: string | null;
  created_at: number;
  published_at: number | null;
}

const SUMMARY_COLUMNS = 'template_id, version, status, industry, demands, title_zh, title_en, content_hash, created_at, published_at';

function summary(r: Omit<Row, 'content' | 'readme'>): VersionSummary {
  return {
    id: r.template_id, version: r.version, status: r.status, industry: r.industry, title: { zh: r.title_zh, en: r.title_en },
    demands: JSON.parse(r.demands) as Demand[], contentHash: r.content_hash,
    createdAt: new Date(r.created_at).toISOString(), publishedAt: r.published_at === null ? null : new Date(r.published_at).toISOString(),
  };
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface TemplateStoreOptions {
  readonly db: StudioDb;
  readonly now: () => number;
  readonly catalog: NodeCatalog;
  readonly profiles: ProfileLookup;
  readonly industries?: IndustryCatalog;
}

export function createTemplateStore(o: TemplateStoreOptions): TemplateStore {
  const { db, now } = o;
  const cache = new Map<string, Template>();
  const getRow = db.prepare<[string, string], Row>('SELECT * FROM template_versions WHERE template_id = ? AND version = ?');
  const newestPublished = db.prepare<[string], { version: string }>("SELECT version FROM template_versions WHERE template_id = ? AND status = 'published' ORDER BY major DESC, minor DESC, patch DESC LIMIT 1");
  const insert = db.prepare(`INSERT INTO template_versions (template_id, version, major, minor, patch, status, industry, demands, title_zh, title_en, search_text, content, content_hash, readme, source, created_by, created_at, updated_at, published_by, published_at)
    VALUES (@id, @version, @major, @minor, @patch, @status, @industry, @demands, @title_zh, @title_en, @search_text, @content, @content_hash, @readme, @source, @by, @at, @at, @published_by, @published_at)`);
  const updateDraft = db.prepare(`UPDATE template_versions SET industry = @industry, demands = @demands, title_zh = @title_zh, title_en = @title_en, search_text = @search_text, content = @content, content_hash = @content_hash, readme = @readme, updated_at = @at,
    status = @status, published_by = @published_by, published_at = @published_at WHERE template_id = @id AND version = @version AND status = 'draft'`);

  function industryProblem(code: string): Problem | undefined {
    if (!o.industries || isIndustryCode(o.industries, code)) return undefined;
    const guess = normalizeIndustryCode(o.industries, code);
    return problem('unknown-industry', ['industry'], {
      zh: `行业代码 “${code}” 不在 GB/T 4754-2017 行业目录中${guess ? `，是否指 “${guess}”？` : ''}`,
      en: `industry code "${code}" is not in the GB/T 4754-2017 catalog${guess ? `; did you mean "${guess}"?` : ''}`,
    });
  }

  /** The whole check a version passes before it is stored: shape, references, flows, industry. */
  function check(raw: unknown): Template {
    const checked = checkTemplate(raw, o.catalog, o.profiles);
    const problems = checked.ok ? [] : [...checked.problems];
    if (checked.ok) {
      const p = industryProblem(checked.template.industry);
      if (p) problems.push(p);
    }
    if (!checked.ok || problems.length > 0) {
      throw unprocessable('invalid-template', summarise({ zh: '模板有错误', en: 'the template has problems' }, problems), under(['template'], problems));
    }
    return checked.template;
  }

  function fields(t: Template, readme: string | undefined) {
    const demands = [...new Set([...t.demands, ...t.scenarios.flatMap((s) => s.demands)])].sort();
    const industryNames = o.industries ? industryPath(o.industries, t.industry).flatMap((e) => [e.name.zh, e.name.en]) : [];
    const words = [t.id, t.title.zh, t.title.en, t.description.zh, t.description.en, t.author, ...t.scenarios.flatMap((s) => [s.key, s.title.zh, s.title.en]), ...industryNames, ...demands.flatMap((d) => [DEMANDS[d].zh, DEMANDS[d].en])];
    const content = canonicalJson(t);
    const [major, minor, patch] = t.version.split('.').map(Number) as [number, number, number];
    return {
      id: t.id, version: t.version, major, minor, patch, industry: t.industry, demands: JSON.stringify(demands), title_zh: t.title.zh, title_en: t.title.en,
      search_text: fold(words.join('\n')), content, content_hash: `sha256:${createHash('sha256').update(content).digest('hex')}`, readme: readme ?? null,
    };
  }

  function versionNotHigher(t: Template): void {
    const top = newestPublished.get(t.id)?.version;
    if (top !== undefined && compareVersions(t.version, top) <= 0) {
      throw conflict('version-not-higher', {
        zh: `${t.id} 已发布到 ${top}，新版本号必须更高（${t.version} 不行）`,
        en: `${t.id} is published up to ${top}; a new version must be higher (${t.version} is not)`,
      }, [problem('version-not-higher', ['template', 'version'], { zh: `应高于 ${top}`, en: `must be above ${top}` })]);
    }
  }

  const store: TemplateStore = {
    importLibrary(library) {
      const imported: string[] = [];
      const unchanged: string[] = [];
      const conflicts: string[] = [];
      db.transaction(() => {
        for (const entry of library.entries()) {
          for (const t of entry.versions) {
            const f = fields(t, entry.readme);
            const existing = getRow.get(t.id, t.version);
            if (!existing) {
              insert.run({ ...f, status: 'published', source: 'shipped', by: null, at: now(), published_by: null, published_at: now() });
              imported.push(templateRef(t));
            } else if (existing.content_hash === f.content_hash) {
              unchanged.push(templateRef(t));
            } else {
              conflicts.push(templateRef(t));
            }
          }
        }
      })();
      return { imported, unchanged, conflicts, rejected: library.rejected };
    },

    save(actorId, raw, readme, publish) {
      const t = check(raw);
      const f = fields(t, readme);
      return db.transaction((): SaveResult => {
        const existing = getRow.get(t.id, t.version);
        if (existing?.status === 'published') {
          if (existing.content_hash === f.content_hash) return { outcome: 'unchanged', version: summary(existing) };
          throw conflict('version-published', {
            zh: `${templateRef(t)} 已发布，已发布的版本不能修改；请把 version 提高后再上传`,
            en: `${templateRef(t)} is published and published versions never change; upload it with a higher version`,
          }, [problem('version-published', ['template', 'version'], { zh: `${t.version} 已发布`, en: `${t.version} is published` })]);
        }
        versionNotHigher(t);
        const at = now();
        const status: VersionStatus = publish ? 'published' : 'draft';
        const published = publish ? { published_by: actorId, published_at: at } : { published_by: null, published_at: null };
        if (existing) updateDraft.run({ ...f, at, status, ...published });
        else insert.run({ ...f, status, source: 'upload', by: actorId, at, ...published });
        return { outcome: existing ? 'updated' : 'created', version: summary(getRow.get(t.id, t.version)!) };
      })();
    },

    publish(actorId, id, version) {
      return db.transaction(() => {
        const row = getRow.get(id, version);
        if (!row) throw notFound({ zh: `模板版本 ${id}@${version}`, en: `template version ${id}@${version}` });
        if (row.status === 'published') {
          throw conflict('already-published', { zh: `${id}@${version} 已经发布`, en: `${id}@${version} is already published` });
        }
        // Profiles and node types may have changed since the draft was saved: check again.
        const t = check(JSON.parse(row.content));
        versionNotHigher(t);
        const at = now();
        db.prepare("UPDATE template_versions SET status = 'published', published_by = ?, published_at = ?, updated_at = ? WHERE template_id = ? AND version = ?").run(actorId, at, at, id, version);
        return summary(getRow.get(id, version)!);
      })();
    },

    deleteDraft(id, version) {
      const row = getRow.get(id, version);
      if (!row) throw notFound({ zh: `模板版本 ${id}@${version}`, en: `template version ${id}@${version}` });
      if (row.status === 'published') throw conflict('version-published', { zh: `${id}@${version} 已发布，不能删除`, en: `${id}@${version} is published and cannot be deleted` });
      db.prepare('DELETE FROM template_versions WHERE template_id = ? AND version = ?').run(id, version);
    },

    search(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (!q.drafts) where.push("status = 'published'");
      if (q.industry !== undefined) {
        let code = q.industry.normalize('NFKC').trim().toUpperCase();
        if (o.industries && /^\d{2,4}$/.test(code)) code = normalizeIndustryCode(o.industries, code) ?? code;
        where.push("industry LIKE ? ESCAPE '\\'");
        params.push(`${likeEscape(code)}%`);
      }
      if (q.demand !== undefined) {
        where.push('EXISTS (SELECT 1 FROM json_each(demands) WHERE value = ?)');
        params.push(q.demand);
      }
      const text = q.text === undefined ? '' : fold(q.text).trim();
      if (text !== '') {
        // Words must each appear; an industry named by the text also finds what is filed under it.
        const words = text.split(/\s+/);
        const codes = o.industries ? searchIndustries(o.industries, text, { limit: 20 }).map((e) => e.code) : [];
        const byWords = words.map(() => "search_text LIKE ? ESCAPE '\\'");
        const byIndustry = codes.map(() => "industry LIKE ? ESCAPE '\\'");
        where.push(`((${byWords.join(' AND ')})${byIndustry.length ? ` OR ${byIndustry.join(' OR ')}` : ''})`);
        params.push(...words.map((w) => `%${likeEscape(w)}%`), ...codes.map((c) => `${likeEscape(c)}%`));
      }
      const rows = db.prepare<unknown[], Omit<Row, 'content' | 'readme'>>(`SELECT ${SUMMARY_COLUMNS}, major, minor, patch FROM template_versions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY template_id, major DESC, minor DESC, patch DESC`).all(...params);
      const byTemplate = new Map<string, VersionSummary[]>();
      for (const r of rows) {
        const list = byTemplate.get(r.template_id) ?? [];
        list.push(summary(r));
        byTemplate.set(r.template_id, list);
      }
      const hits: TemplateHit[] = [...byTemplate.entries()].map(([id, list]) => {
        const latest = list.find((v) => v.status === 'published') ?? list[0]!;
        return {
          id,
          latest,
          industry: { code: latest.industry, path: o.industries ? industryPath(o.industries, latest.industry).map((e) => ({ code: e.code, name: e.name })) : [] },
          versions: list.map((v) => ({ version: v.version, status: v.status })),
        };
      });
      const start = (q.page - 1) * q.pageSize;
      return { templates: hits.slice(start, start + q.pageSize), total: hits.length };
    },

    versions(id, drafts) {
      return db.prepare<[string], Omit<Row, 'content' | 'readme'>>(`SELECT ${SUMMARY_COLUMNS} FROM template_versions WHERE template_id = ? ${drafts ? '' : "AND status = 'published'"} ORDER BY major DESC, minor DESC, patch DESC`).all(id).map(summary);
    },

    get(id, version, drafts) {
      const row = getRow.get(id, version);
      if (!row || (!drafts && row.status !== 'published')) return undefined;
      return { summary: summary(row), template: TemplateSchema.parse(JSON.parse(row.content)), readme: row.readme };
    },

    published(ref) {
      const hit = cache.get(ref);
      if (hit) return hit;
      const [id, version] = ref.split('@') as [string, string | undefined];
      if (version === undefined) return undefined;
      const row = getRow.get(id, version);
      if (!row || row.status !== 'published') return undefined;
      const t = TemplateSchema.parse(JSON.parse(row.content));
      cache.set(ref, t);
      return t;
    },

    latestPublished: (id) => newestPublished.get(id)?.version,
  };
  return store;
}
