/**
 * The one format widget views change by, on the site and in the browser.
 *
 * A widget node keeps a plain JSON view and publishes changes to it as patches; the dashboard
 * server merges the patches a slow browser has not taken yet, and the browser applies them to
 * the view it loaded. Applying the same patches in the same order gives the same view
 * everywhere, so a busy site can coalesce freely without knowing any widget type.
 *
 * Paths are arrays of keys (device names may hold any character, so no dotted strings).
 */

/** Replace the value at a path (objects along the way are made). */
export type SetOp = readonly ['s', readonly string[], unknown];
/** Append items to the array at a path, then keep only its last `keep`. */
export type AppendOp = readonly ['a', readonly string[], readonly unknown[], number];
export type PatchOp = SetOp | AppendOp;

export interface WidgetPatch {
  /** Start from an empty view before the ops. */
  readonly reset?: boolean;
  readonly ops: readonly PatchOp[];
}

/** A view as `inspect()` gives it: the patches up to `seq` are in it. */
export interface WidgetSnapshot<V = Record<string, unknown>> {
  readonly seq: number;
  readonly view: V;
}

/** The live event a widget node emits (`ctx.emit('widget', …)`): patches `from`…`seq` merged. */
export interface WidgetEvent {
  readonly seq: number;
  /** First patch number this event holds; equals `seq` unless patches were merged. */
  readonly from: number;
  readonly patch: WidgetPatch;
}

export type View = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((k, i) => path[i] === k);

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && startsWith(a, b);

function trimmed(items: readonly unknown[], keep: number): unknown[] {
  return items.length > keep ? items.slice(items.length - keep) : items.slice();
}

/**
 * Applies a patch. `mutate: false` (the browser) copies every object and array on a changed
 * path and leaves the rest shared, so React sees exactly what changed; `mutate: true` (the
 * node) changes the view in place, which keeps a busy chart from copying its window per message.
 */
export function applyPatch(view: View, patch: WidgetPatch, options: { mutate?: boolean } = {}): View {
  const mutate = options.mutate === true;
  let root: View = patch.reset ? {} : mutate ? view : { ...view };
  for (const op of patch.ops) {
    const path = op[1];
    if (path.length === 0) {
      if (op[0] === 's' && isObject(op[2])) root = mutate ? { ...op[2] } : { ...op[2] };
      continue;
    }
    let parent: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const child = parent[key];
      const next = isObject(child) ? (mutate ? child : { ...child }) : {};
      parent[key] = next;
      parent = next;
    }
    const last = path[path.length - 1]!;
    if (op[0] === 's') {
      parent[last] = op[2];
    } else {
      const current = Array.isArray(parent[last]) ? (parent[last] as unknown[]) : [];
      if (mutate && current === parent[last]) {
        current.push(...op[2]);
        if (current.length > op[3]) current.splice(0, current.length - op[3]);
      } else {
        parent[last] = trimmed([...current, ...op[2]], op[3]);
      }
    }
  }
  return root;
}

/**
 * One patch with the effect of `a` then `b`, no larger than the distinct paths they touch:
 * a later set drops what it overwrites, appends to one path are joined and trimmed.
 */
export function mergePatches(a: WidgetPatch, b: WidgetPatch): WidgetPatch {
  if (b.reset) return b;
  const ops: PatchOp[] = [...a.ops];
  for (const op of b.ops) {
    const path = op[1];
    if (op[0] === 's') {
      for (let i = ops.length - 1; i >= 0; i--) if (startsWith(ops[i]![1], path)) ops.splice(i, 1);
      ops.push(op);
      continue;
    }
    // Join with the last op on this exact path, unless something touched the path (or a parent) since.
    let joined = false;
    for (let i = ops.length - 1; i >= 0; i--) {
      const prev = ops[i]!;
      if (samePath(prev[1], path)) {
        if (prev[0] === 'a') ops[i] = ['a', path, trimmed([...prev[2], ...op[2]], op[3]), op[3]];
        else ops[i] = ['s', path, trimmed([...(Array.isArray(prev[2]) ? prev[2] : []), ...op[2]], op[3])];
        joined = true;
        break;
      }
      if (startsWith(path, prev[1]) || startsWith(prev[1], path)) break;
    }
    if (!joined) ops.push(op);
  }
  return a.reset ? { reset: true, ops } : { ops };
}

/** Shorthands for building patches. */
export const set = (path: readonly string[], value: unknown): SetOp => ['s', path, value];
export const append = (path: readonly string[], items: readonly unknown[], keep: number): AppendOp => ['a', path, items, keep];
