import type { NodeCatalog } from '../runtime/model';
import * as builtins from './index';
import type { AnyNodeType, NodeDefinition, NodeRuntime, NodeType } from './sdk';

/** The node types an engine or designer knows, looked up by type id. */
export interface NodeRegistry extends NodeCatalog {
  get(type: string): NodeDefinition | undefined;
  runtime(type: string): NodeRuntime<unknown> | undefined;
  definitions(): readonly NodeDefinition[];
}

/** A registry of exactly these node types; duplicate type ids are a programming error. */
export function createRegistry(types: readonly AnyNodeType[]): NodeRegistry {
  const byType = new Map<string, NodeType<unknown>>();
  for (const t of types) {
    if (byType.has(t.definition.type)) throw new Error(`node type "${t.definition.type}" is registered twice`);
    byType.set(t.definition.type, t);
  }
  const definitions = [...byType.values()].map((t) => t.definition);
  return {
    get: (type) => byType.get(type)?.definition,
    runtime: (type) => byType.get(type)?.runtime,
    types: () => [...byType.keys()],
    definitions: () => definitions,
  };
}

/** The built-in node types of `nodes/index.ts`, plus any extra ones (tests, benchmarks, plugins). */
export function createNodeRegistry(extra: readonly AnyNodeType[] = []): NodeRegistry {
  return createRegistry([...(Object.values(builtins) as AnyNodeType[]), ...extra]);
}
