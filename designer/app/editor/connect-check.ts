import type { Edge } from '../../../runtime/model';
import { findCycles } from '../../../runtime/model';
import type { FlowDoc } from './flow-doc';
import { inputsOf, nodeTypes, outputsOf } from './node-types';

export interface Connection {
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
  readonly targetPort: string;
}

/** Why a connection is refused: a message key of the "editor" namespace with its values. */
export interface Refusal {
  readonly key: 'refused.self' | 'refused.duplicate' | 'refused.cycle' | 'refused.noInput' | 'refused.unknownPort';
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * Whether an edge may join these ports: both ports exist on their nodes, not a node to itself,
 * not twice the same, and no cycle (the engine accepts a cycle only through an edge marked
 * `feedback`, which is set in the flow JSON on purpose, not by a drag).
 */
export function checkConnection(flow: FlowDoc, c: Connection): Refusal | undefined {
  const source = flow.nodes.find((n) => n.id === c.source);
  const target = flow.nodes.find((n) => n.id === c.target);
  if (!source || !target) return { key: 'refused.unknownPort', values: { node: c.source, port: c.sourcePort } };
  if (c.source === c.target) return { key: 'refused.self' };
  if (!outputsOf(nodeTypes.get(source.type), source).some((p) => p.name === c.sourcePort)) return { key: 'refused.unknownPort', values: { node: source.id, port: c.sourcePort } };
  const inputs = inputsOf(nodeTypes.get(target.type));
  if (inputs.length === 0) return { key: 'refused.noInput', values: { node: target.id } };
  if (!inputs.some((p) => p.name === c.targetPort)) return { key: 'refused.unknownPort', values: { node: target.id, port: c.targetPort } };
  if (flow.edges.some((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.target === c.target && e.targetPort === c.targetPort)) return { key: 'refused.duplicate' };
  const edges = [...flow.edges.filter((e: Edge) => !e.feedback), { source: c.source, target: c.target }];
  if (findCycles(flow.nodes.map((n) => n.id), edges).length > 0) return { key: 'refused.cycle' };
  return undefined;
}
