import type { z } from 'zod';
import type { Text } from './text';

export interface PortSpec {
  readonly name: string;
  readonly label: Text;
}

/** What validation needs to know of a node type; the node SDK's definitions satisfy it. */
export interface NodeSpec<C = unknown> {
  readonly type: string;
  readonly version: number;
  readonly inputs: readonly PortSpec[];
  /** Fixed ports, or ports that follow from the (parsed) config, e.g. one per switch rule. */
  readonly outputs: readonly PortSpec[] | ((config: C) => readonly PortSpec[]);
  readonly config: z.ZodType<C>;
  /** `migrations[v]` turns the config of version v into that of version v + 1. */
  readonly migrations?: Readonly<Record<number, (config: Record<string, unknown>) => Record<string, unknown>>>;
}

/** The node types a flow may use. */
export interface NodeCatalog {
  get(type: string): NodeSpec | undefined;
  types(): readonly string[];
}

/** Every node can also send on `error`: the engine routes a node's failures there when wired. */
export const ERROR_PORT = 'error';

export function outputPorts<C>(spec: NodeSpec<C>, config: C): readonly PortSpec[] {
  return typeof spec.outputs === 'function' ? spec.outputs(config) : spec.outputs;
}
