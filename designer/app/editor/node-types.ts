import { createNodeRegistry } from '../../../nodes/registry';
import type { NodeRegistry } from '../../../nodes/registry';
import type { NodeCategory, NodeDefinition } from '../../../nodes/sdk';
import type { FlowNode, PortSpec } from '../../../runtime/model';
import { ERROR_PORT, outputPorts } from '../../../runtime/model';

/**
 * The node types the designer offers: the same registry as the engine's (`nodes/index.ts`),
 * with the runtime parts left out of the browser bundle (see designer/vite-node-definitions.ts).
 */
export const nodeTypes: NodeRegistry = createNodeRegistry();

/** Palette order of the categories. */
export const CATEGORIES: readonly NodeCategory[] = ['input', 'device', 'logic', 'alarm', 'data', 'store', 'dashboard', 'uplink', 'debug'];

/** The config a new node starts with: the schema's defaults (what `{}` parses to), else the defaults of each field. */
export function defaultConfig(def: NodeDefinition): Record<string, unknown> {
  const parsed = def.config.safeParse({});
  if (parsed.success && typeof parsed.data === 'object' && parsed.data !== null) return structuredClone(parsed.data) as Record<string, unknown>;
  const shape = (def.config as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }> }).shape;
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape ?? {})) {
    const r = schema.safeParse(undefined);
    if (r.success && r.data !== undefined) out[key] = structuredClone(r.data);
  }
  return out;
}

/** The node's input ports. */
export function inputsOf(def: NodeDefinition | undefined): readonly PortSpec[] {
  return def?.inputs ?? [];
}

/**
 * The node's output ports for its current config, plus `error`. A config that does not parse
 * (yet) gives the ports of its defaults, so the node keeps its handles while being edited.
 */
export function outputsOf(def: NodeDefinition | undefined, node: Pick<FlowNode, 'config'>): readonly PortSpec[] {
  if (!def) return [];
  let ports: readonly PortSpec[];
  if (typeof def.outputs !== 'function') ports = def.outputs;
  else {
    const parsed = def.config.safeParse(node.config);
    const fallback = def.config.safeParse(defaultConfig(def));
    try {
      ports = parsed.success ? outputPorts(def, parsed.data) : fallback.success ? outputPorts(def, fallback.data) : [];
    } catch {
      ports = [];
    }
  }
  return [...ports, { name: ERROR_PORT, label: { zh: '错误', en: 'error' } }];
}
