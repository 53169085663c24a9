import type { Edge as RfEdge } from '@xyflow/react';
import type { Edge, FlowNode, Problem } from '../../../runtime/model';
import { sameButPosition } from './flow-doc';
import type { CanvasNode, FlowNodeData } from './flow-node';
import type { NodeProblem } from './flow-validation';
import { inputsOf, nodeTypes, outputsOf } from './node-types';

type Size = { width: number; height: number };

interface NodeEntry {
  readonly src: FlowNode;
  readonly problems: readonly NodeProblem[] | undefined;
  readonly problemKey: string;
  /** The names of the node's ports: its handles, whose measured places React Flow keeps. */
  readonly ports: string;
  readonly node: CanvasNode;
}

interface EdgeEntry {
  readonly src: Edge;
  readonly selected: boolean;
  readonly problem: boolean;
  readonly edge: RfEdge;
}

const problemKey = (list: readonly NodeProblem[] | undefined) =>
  (list ?? []).map((p) => `${p.problem.message.zh}\u0000${p.problem.message.en}`).join('\u0001');

function nodeData(n: FlowNode, problems: readonly NodeProblem[] | undefined): FlowNodeData {
  const def = nodeTypes.get(n.type);
  return {
    nodeType: n.type, icon: def?.icon ?? '?', title: def?.title, name: n.name, category: def?.category ?? 'unknown',
    inputs: inputsOf(def), outputs: outputsOf(def, n), disabled: n.disabled === true,
    problems: (problems ?? []).map((p) => p.problem.message),
  };
}

const portsOf = (data: FlowNodeData) => `${data.inputs.map((p) => p.name).join(',')}|${data.outputs.map((p) => p.name).join(',')}`;

/**
 * React Flow's nodes and edges derived from a flow document, keeping the objects of what did not
 * change. React Flow re-renders (and re-measures) a node whose object is new, so with 300 nodes
 * rebuilding every object on each change (a drag step, a keystroke, a click) cost a full
 * re-render and re-measure of the canvas; now only the nodes that changed are new. The sizes
 * React Flow measured (its `dimensions` changes, see {@link CanvasElements.measured}) are put
 * back on a rebuilt node whose ports are the same, so moving a node does not hide and re-measure it,
 * and on a node measured for the first time (React Flow's minimap draws only nodes with a size).
 */
export interface CanvasElements {
  /** Measured node sizes by id, fed from React Flow's `dimensions` changes. */
  readonly measured: Map<string, Size>;
  nodes(flowNodes: readonly FlowNode[], selected: ReadonlySet<string>, byNode: ReadonlyMap<string, readonly NodeProblem[]>): CanvasNode[];
  edges(flowEdges: readonly Edge[], selected: ReadonlySet<string>, byEdge: ReadonlyMap<string, readonly Problem[]>): RfEdge[];
}

/** `next`, or `last` when it holds the same objects (a new array would make React Flow take all of them in again). */
function same<T>(last: T[], next: T[]): T[] {
  return last.length === next.length && next.every((x, i) => x === last[i]) ? last : next;
}

export function createCanvasElements(): CanvasElements {
  let nodeEntries = new Map<string, NodeEntry>();
  let edgeEntries = new Map<string, EdgeEntry>();
  let lastNodes: CanvasNode[] = [];
  let lastEdges: RfEdge[] = [];
  const measured = new Map<string, Size>();
  return {
    measured,
    nodes(flowNodes, selected, byNode) {
      const next = new Map<string, NodeEntry>();
      const out = flowNodes.map((n) => {
        const prev = nodeEntries.get(n.id);
        const problems = byNode.get(n.id);
        const isSelected = selected.has(n.id);
        const key = prev && prev.problems === problems ? prev.problemKey : problemKey(problems);
        const sameProblems = prev !== undefined && prev.problemKey === key;
        if (prev && prev.src === n && sameProblems && prev.node.selected === isSelected) {
          const size = measured.get(n.id);
          if (prev.node.measured === size || size === undefined) {
            next.set(n.id, prev.problems === problems ? prev : { ...prev, problems });
            return prev.node;
          }
          // First measured (or resized): the minimap and fitView only count nodes that carry a size.
          const node: CanvasNode = { ...prev.node, measured: size };
          next.set(n.id, { ...prev, problems, node });
          return node;
        }
        const data = prev && sameProblems && sameButPosition(prev.src, n) ? prev.node.data : nodeData(n, problems);
        const ports = prev && data === prev.node.data ? prev.ports : portsOf(data);
        // New ports change the node's size: the old measurement no longer holds.
        if (prev && prev.ports !== ports) measured.delete(n.id);
        const size = measured.get(n.id);
        const node: CanvasNode = { id: n.id, type: 'kaiwu', position: n.position ?? { x: 0, y: 0 }, selected: isSelected, data, ...(size ? { measured: size } : {}) };
        next.set(n.id, { src: n, problems, problemKey: key, ports, node });
        return node;
      });
      for (const id of measured.keys()) if (!next.has(id)) measured.delete(id);
      nodeEntries = next;
      lastNodes = same(lastNodes, out);
      return lastNodes;
    },
    edges(flowEdges, selected, byEdge) {
      const next = new Map<string, EdgeEntry>();
      const out = flowEdges.map((e) => {
        const prev = edgeEntries.get(e.id);
        const isSelected = selected.has(e.id);
        const problem = byEdge.has(e.id);
        if (prev && prev.src === e && prev.selected === isSelected && prev.problem === problem) {
          next.set(e.id, prev);
          return prev.edge;
        }
        const edge: RfEdge = {
          id: e.id, source: e.source, sourceHandle: e.sourcePort, target: e.target, targetHandle: e.targetPort,
          selected: isSelected,
          className: `${problem ? 'edge-problem' : ''}${e.sourcePort === 'error' ? ' edge-error' : ''}`,
          ...(e.sourcePort !== 'out' ? { label: e.sourcePort } : {}),
        };
        next.set(e.id, { src: e, selected: isSelected, problem, edge });
        return edge;
      });
      edgeEntries = next;
      lastEdges = same(lastEdges, out);
      return lastEdges;
    },
  };
}
