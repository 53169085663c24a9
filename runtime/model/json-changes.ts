/**
 * Changes between JSON documents, addressed by ids instead of array positions: a node, an
 * edge, a scenario or a widget keeps its path however the arrays around it are reordered. That
 * is what lets a site's changes to a template be kept across template versions.
 *
 * A path is a list of segments; within an array of objects that all carry a distinct `id`
 * (or `key`), a segment names the member by that id. Other arrays are values.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type ChangePath = readonly string[];

export type Change =
  | { readonly op: 'set'; readonly path: ChangePath; readonly value: JsonValue }
  | { readonly op: 'add'; readonly path: ChangePath; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: ChangePath };

const isObject = (v: unknown): v is Record<string, JsonValue> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field an array's members are keyed by, when every member is an object with a distinct one. */
export function keyFieldOf(array: readonly unknown[]): 'id' | 'key' | undefined {
  if (array.length === 0) return undefined;
  for (const field of ['id', 'key'] as const) {
    const seen = new Set<string>();
    if (array.every((m) => isObject(m) && typeof m[field] === 'string' && !seen.has(m[field] as string) && seen.add(m[field] as string))) return field;
  }
  return undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `/scenarios/stops/flow/nodes/alarm/config/high`, with `~` and `/` escaped as in JSON Pointer. */
export function formatChangePath(path: ChangePath): string {
  return `/${path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export function parseChangePath(text: string): ChangePath {
  if (text === '' || text === '/') return [];
  if (!text.startsWith('/')) throw new Error(`a path starts with "/": ${text}`);
  return text.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** What changed from `base` to `next`, leaf by leaf; arrays of keyed objects are matched by key. */
export function diffJson(base: JsonValue, next: JsonValue, path: ChangePath = []): Change[] {
  if (deepEqual(base, next)) return [];
  if (isObject(base) && isObject(next)) {
    const out: Change[] = [];
    for (const k of Object.keys(base)) {
      if (!Object.hasOwn(next, k)) out.push({ op: 'remove', path: [...path, k] });
      else out.push(...diffJson(base[k]!, next[k]!, [...path, k]));
    }
    for (const k of Object.keys(next)) if (!Object.hasOwn(base, k)) out.push({ op: 'add', path: [...path, k], value: next[k]! });
    return out;
  }
  if (Array.isArray(base) && Array.isArray(next)) {
    const field = keyFieldOf(base) ?? keyFieldOf(next);
    if (field && (base.length === 0 || keyFieldOf(base) === field) && (next.length === 0 || keyFieldOf(next) === field)) {
      const byKey = (a: JsonValue[]) => new Map(a.map((m) => [(m as Record<string, JsonValue>)[field] as string, m]));
      const b = byKey(base);
      const n = byKey(next);
      const out: Change[] = [];
      for (const [k, v] of b) {
        if (!n.has(k)) out.push({ op: 'remove', path: [...path, k] });
        else out.push(...diffJson(v, n.get(k)!, [...path, k]));
      }
      for (const [k, v] of n) if (!b.has(k)) out.push({ op: 'add', path: [...path, k], value: v });
      return out;
    }
  }
  return [{ op: 'set', path, value: next }];
}

export class ChangeError extends Error {
  constructor(readonly path: ChangePath, message: string) {
    super(`${formatChangePath(path)}: ${message}`);
    this.name = 'ChangeError';
  }
}

function childOf(container: JsonValue, segment: string): { get(): JsonValue | undefined; set(v: JsonValue): void; remove(): boolean } | undefined {
  if (isObject(container)) {
    return {
      get: () => (Object.hasOwn(container, segment) ? container[segment] : undefined),
      set: (v) => { container[segment] = v; },
      remove: () => Object.hasOwn(container, segment) && delete container[segment],
    };
  }
  if (Array.isArray(container)) {
    const field = keyFieldOf(container) ?? 'id';
    const index = () => container.findIndex((m) => isObject(m) && m[field] === segment);
    return {
      get: () => { const i = index(); return i < 0 ? undefined : container[i]; },
      set: (v) => {
        const i = index();
        if (i < 0) container.push(v);
        else container[i] = v;
      },
      remove: () => { const i = index(); if (i < 0) return false; container.splice(i, 1); return true; },
    };
  }
  return undefined;
}

/** Applies changes to a copy of `doc`; a change whose parent does not exist throws a ChangeError. */
export function applyChanges(doc: JsonValue, changes: readonly Change[]): JsonValue {
  const root = structuredClone(doc);
  for (const change of changes) {
    if (change.path.length === 0) throw new ChangeError(change.path, 'cannot change the whole document');
    let container: JsonValue | undefined = root;
    for (const segment of change.path.slice(0, -1)) {
      const next: JsonValue | undefined = container === undefined ? undefined : childOf(container, segment)?.get();
      if (next === undefined) throw new ChangeError(change.path, `"${segment}" does not exist`);
      container = next;
    }
    const slot = childOf(container!, change.path.at(-1)!);
    if (!slot) throw new ChangeError(change.path, 'the parent is not an object or a list');
    if (change.op === 'remove') {
      if (!slot.remove()) throw new ChangeError(change.path, 'there is nothing to remove');
    } else {
      if (change.op === 'add' && slot.get() !== undefined) throw new ChangeError(change.path, 'it exists already');
      if (change.op === 'set' && slot.get() === undefined) throw new ChangeError(change.path, 'there is nothing to change');
      slot.set(structuredClone(change.value));
    }
  }
  return root;
}

/** Whether one path is the other or lies inside it. */
export function overlaps(a: ChangePath, b: ChangePath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
