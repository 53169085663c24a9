/**
 * Where a problem the API reports belongs on the authoring page. The studio points every problem
 * at a JSON path (`at`, and `path` when given): `template.scenarios[2].flow.nodes[3].config.limit`
 * from a save, `body.template.…` from a preview or test run of an unsaved draft,
 * `scenarios.<key>.flow.nodes[i]…` from a preview whose node did not start. This turns one into a
 * place: a section (a tab), the item in it, the field, and for flows the node.
 */
import type { ApiErrorDetail } from '../api';

export type PathPart = string | number;

export type ProblemSection = 'meta' | 'parameters' | 'deviceGroups' | 'scenario' | 'tests' | 'request' | 'other';

export interface ProblemPlace {
  readonly section: ProblemSection;
  /** The row of parameters, device groups or tests; the scenario's index for `scenario`. */
  readonly index?: number;
  /** Inside a scenario: its settings, its flow or its dashboard. */
  readonly part?: 'settings' | 'flow' | 'dashboard';
  /** The field, as a dotted path inside the item (`title.zh`, `min`, `widgets[1].x`, `key`). */
  readonly field?: string;
  /** A node of the scenario's flow (its id in the document that was sent). */
  readonly nodeId?: string;
  /** Inside that node's config: `limit`, `devices[0].group`. */
  readonly configPath?: string;
}

/** The document a problem was found in: enough of it to name scenarios and nodes. */
export interface SentDocument {
  readonly scenarios: readonly { readonly key: string; readonly flow?: { readonly nodes?: readonly { readonly id: string }[] } }[];
}

/** Parses a path written as `formatPath` writes it: `a.b[2]["odd key"].c`. */
export function parsePath(at: string): PathPart[] {
  const out: PathPart[] = [];
  let i = 0;
  while (i < at.length) {
    const c = at[i];
    if (c === '.') {
      i++;
    } else if (c === '[') {
      const end = at[i + 1] === '"' ? closingQuote(at, i + 2) + 1 : at.indexOf(']', i);
      const inner = at.slice(i + 1, end < 0 ? at.length : end);
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (inner.startsWith('"')) {
        try {
          out.push(JSON.parse(inner) as string);
        } catch {
          out.push(inner);
        }
      } else out.push(inner);
      i = end < 0 ? at.length : end + 1;
    } else {
      let j = i;
      while (j < at.length && at[j] !== '.' && at[j] !== '[') j++;
      out.push(at.slice(i, j));
      i = j;
    }
  }
  return out;
}

function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return s.length;
}

/** Writes a path back (`widgets[1].x`); the inverse of {@link parsePath} for plain keys. */
export function joinPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

const META_FIELDS = new Set(['schemaVersion', 'id', 'version', 'industry', 'title', 'description', 'demands', 'author']);

/** The path of a detail: its `path` when the API gave one, else its `at` parsed. */
export function detailPath(d: Pick<ApiErrorDetail, 'at' | 'path'>): PathPart[] {
  return d.path ? [...d.path] : d.at === '(root)' ? [] : parsePath(d.at);
}

/** Where this problem belongs on the page; `doc` is the template as it was sent. */
export function locateProblem(d: Pick<ApiErrorDetail, 'at' | 'path'>, doc: SentDocument | undefined): ProblemPlace {
  let p = detailPath(d);
  if (p[0] === 'body' && p[1] === 'template') p = p.slice(2);
  else if (p[0] === 'body') return { section: 'request', field: joinPath(p.slice(1)) };
  else if (p[0] === 'template') p = p.slice(1);
  else if (p[0] === 'instance') return { section: 'request', field: joinPath(p) };
  const [head, second, ...tail] = p;
  if (head === undefined) return { section: 'other' };
  if (typeof head === 'string' && META_FIELDS.has(head)) return { section: 'meta', field: joinPath(p) };
  if (head === 'parameters' || head === 'deviceGroups' || head === 'tests') {
    return { section: head, ...(typeof second === 'number' ? { index: second } : {}), ...(tail.length ? { field: joinPath(tail) } : {}) };
  }
  if (head === 'scenarios') {
    const index = typeof second === 'number' ? second : typeof second === 'string' ? doc?.scenarios.findIndex((s) => s.key === second) ?? -1 : -1;
    if (index < 0) return { section: 'scenario', ...(p.length > 1 ? { field: joinPath(p.slice(1)) } : {}) };
    const [part, ...inside] = tail;
    if (part === 'flow') {
      const [what, nodeIndex, nodePart, ...config] = inside;
      if (what === 'nodes' && typeof nodeIndex === 'number') {
        const nodeId = doc?.scenarios[index]?.flow?.nodes?.[nodeIndex]?.id;
        return {
          section: 'scenario', index, part: 'flow', field: joinPath(inside),
          ...(nodeId === undefined ? {} : { nodeId }),
          ...(nodePart === 'config' && config.length > 0 ? { configPath: joinPath(config) } : {}),
        };
      }
      return { section: 'scenario', index, part: 'flow', ...(inside.length ? { field: joinPath(inside) } : {}) };
    }
    if (part === 'dashboard') return { section: 'scenario', index, part: 'dashboard', ...(inside.length ? { field: joinPath(inside) } : {}) };
    return { section: 'scenario', index, part: 'settings', ...(part === undefined ? {} : { field: joinPath(tail) }) };
  }
  return { section: 'other', field: joinPath(p) };
}

export interface LocatedProblem {
  readonly detail: ApiErrorDetail;
  readonly place: ProblemPlace;
}

/** Every detail with its place. */
export function locateAll(details: readonly ApiErrorDetail[], doc: SentDocument | undefined): LocatedProblem[] {
  return details.map((detail) => ({ detail, place: locateProblem(detail, doc) }));
}

/** How many problems each tab has: `meta`, `parameters`, `deviceGroups`, `tests`, `scenario:<i>`. */
export function countByTab(list: readonly LocatedProblem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { place } of list) {
    const tab = place.section === 'scenario' && place.index !== undefined ? `scenario:${place.index}` : place.section;
    out[tab] = (out[tab] ?? 0) + 1;
  }
  return out;
}

/** The problems of one field of one item: `section`, `index` (if any), the field or any field below it. */
export function problemsAt(list: readonly LocatedProblem[], section: ProblemSection, index: number | undefined, field?: string): ApiErrorDetail[] {
  return list.filter(({ place }) => place.section === section
    && (index === undefined || place.index === index)
    && (field === undefined || place.field === field || (place.field ?? '').startsWith(`${field}.`) || (place.field ?? '').startsWith(`${field}[`)))
    .map((l) => l.detail);
}
