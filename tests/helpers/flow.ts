import type { Edge } from '../../runtime/model';

interface NodeInput {
  id: string;
  type: string;
  config?: Record<string, unknown>;
  version?: number;
}

/** Builds a flow document from nodes and `a:port -> b:port` wires, for tests. */
export function flowOf(id: string, nodes: NodeInput[], wires: string[] = []): Record<string, unknown> {
  const edges: Edge[] = wires.map((w, i) => {
    const m = /^([\w.-]+)(?::([\w-]+))?\s*->\s*([\w.-]+)(?::([\w-]+))?(\s*feedback)?$/.exec(w.trim());
    if (!m) throw new Error(`bad wire "${w}"`);
    const edge: Edge = { id: `e${i}`, source: m[1]!, sourcePort: m[2] ?? 'out', target: m[3]!, targetPort: m[4] ?? 'in' };
    return m[5] ? { ...edge, feedback: true } : edge;
  });
  return {
    schemaVersion: 1,
    id,
    name: { zh: id, en: id },
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, version: n.version ?? 1, config: n.config ?? {} })),
    edges,
  };
}
