import dagre from '@dagrejs/dagre';
import type { FlowDoc } from './flow-doc';

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 64;

/** Positions for every node (or only `only`), left to right along the edges (dagre). */
export function layoutPositions(flow: FlowDoc, only?: ReadonlySet<string>): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes = flow.nodes.filter((n) => !only || only.has(n.id));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of flow.edges) if (g.hasNode(e.source) && g.hasNode(e.target) && !e.feedback) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id);
    out.set(n.id, { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) });
  }
  return out;
}
