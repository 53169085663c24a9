import type { Edge, FlowNode, Text } from '../../../runtime/model';
import { FLOW_SCHEMA_VERSION } from '../../../runtime/model';

/** A flow as the editor holds it: plain JSON in the project's flow format (runtime/model). */
export interface FlowDoc {
  readonly schemaVersion: number;
  readonly id: string;
  readonly name: Text;
  readonly description?: Text;
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly Edge[];
  readonly settings?: Record<string, unknown>;
}

export function emptyFlow(id: string, name: Text): FlowDoc {
  return { schemaVersion: FLOW_SCHEMA_VERSION, id, name, nodes: [], edges: [] };
}

/** Whether two versions of a node differ at most in their position (a drag makes such versions at every step). */
export function sameButPosition(a: FlowNode, b: FlowNode): boolean {
  if (a === b) return true;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const keys = Object.keys(y);
  if (keys.length !== Object.keys(x).length) return false;
  for (const k of keys) if (k !== 'position' && x[k] !== y[k]) return false;
  return true;
}

/** A fresh id `base`, `base-2`, `base-3` … not in `taken`. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'node';
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

/** `value` with `path` set (undefined removes the key); the objects on the way are copied. */
export function setIn(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(value) ? [...value] : [];
    if (rest.length === 0 && next === undefined) arr.splice(head, 1);
    else arr[head] = setIn(arr[head], rest, next);
    return arr;
  }
  const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  const child = setIn(obj[head!], rest, next);
  if (child === undefined) delete obj[head!];
  else obj[head!] = child;
  return obj;
}

export function getIn(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A parameter or device-group reference in a config: `{ "$param": "key" }`, `{ "$deviceGroup": "key" }`. */
export function referenceOf(value: unknown): { kind: 'param' | 'deviceGroup'; key: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const v = (value as Record<string, unknown>)[keys[0]!];
  if (typeof v !== 'string') return undefined;
  if (keys[0] === '$param') return { kind: 'param', key: v };
  if (keys[0] === '$deviceGroup') return { kind: 'deviceGroup', key: v };
  return undefined;
}
