import type { Parameter, Problem } from '../../../runtime/model';
import { checkParameter, findReferences, substitute, validateFlow } from '../../../runtime/model';
import type { NodeCatalog } from '../../../runtime/model';
import type { EditorContext } from './editor-context';
import type { FlowDoc } from './flow-doc';

/** The problems of a flow, as the editor shows them: per node (by config path) and per edge. */
export interface FlowValidationView {
  readonly problems: readonly Problem[];
  readonly byNode: ReadonlyMap<string, readonly NodeProblem[]>;
  readonly byEdge: ReadonlyMap<string, readonly Problem[]>;
  /** Problems of the flow itself (id, name, cycles …), not of one node or edge. */
  readonly flow: readonly Problem[];
}

export interface NodeProblem {
  readonly problem: Problem;
  /** The path inside the node's config (`['high']`), or undefined for the node itself (type, id, ports). */
  readonly configPath?: readonly (string | number)[];
}

function sampleParameter(p: Parameter | undefined): unknown {
  if (!p) return undefined;
  if (p.default !== undefined) return checkParameter(p, p.default, []).value ?? p.default;
  switch (p.type) {
    case 'number': case 'integer': case 'duration': return p.min ?? (p.max !== undefined ? Math.min(0, p.max) : 0);
    case 'string': return '';
    case 'boolean': return false;
    case 'enum': return p.options?.[0];
  }
  return undefined;
}

const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]) => prefix.every((p, i) => path[i] === p);

/**
 * Runs the runtime's own `validateFlow` on the flow. Parameter references are filled with the
 * parameter's default (or a sample value of its type) and device-group references with a sample
 * device of the group's profile, as the studio does when it checks a template; problems inside a
 * reference that cannot be filled are left to the template check.
 */
export function validateForEditor(flow: FlowDoc, catalog: NodeCatalog, context: EditorContext): FlowValidationView {
  const params = new Map(context.parameters.map((p) => [p.key, p]));
  const unresolved: (string | number)[][] = [];
  for (const { ref, path } of findReferences(flow)) {
    const known = ref.kind === 'param' ? params.has(ref.key) : false;
    if (!known) unresolved.push([...path]);
  }
  const filled = substitute(flow, (ref) => (ref.kind === 'param' ? sampleParameter(params.get(ref.key)) ?? { $param: ref.key } : { $deviceGroup: ref.key }));
  const problems = validateFlow(filled, catalog).problems.filter((p) => !unresolved.some((u) => startsWith(p.path, u)));
  const byNode = new Map<string, NodeProblem[]>();
  const byEdge = new Map<string, Problem[]>();
  const flowProblems: Problem[] = [];
  for (const p of problems) {
    const [kind, index, part, ...rest] = p.path;
    if (kind === 'nodes' && typeof index === 'number' && flow.nodes[index]) {
      const id = flow.nodes[index]!.id;
      const list = byNode.get(id) ?? [];
      list.push({ problem: p, ...(part === 'config' ? { configPath: rest } : {}) });
      byNode.set(id, list);
    } else if (kind === 'edges' && typeof index === 'number' && flow.edges[index]) {
      const id = flow.edges[index]!.id;
      byEdge.set(id, [...(byEdge.get(id) ?? []), p]);
    } else if (p.nodeId && flow.nodes.some((n) => n.id === p.nodeId)) {
      byNode.set(p.nodeId, [...(byNode.get(p.nodeId) ?? []), { problem: p }]);
    } else {
      flowProblems.push(p);
    }
  }
  return { problems, byNode, byEdge, flow: flowProblems };
}

const cache = new WeakMap<FlowDoc, { context: EditorContext; view: FlowValidationView }>();

/** {@link validateForEditor}, computed once per flow document (documents are immutable). */
export function validationOf(flow: FlowDoc, catalog: NodeCatalog, context: EditorContext): FlowValidationView {
  const hit = cache.get(flow);
  if (hit && hit.context === context) return hit.view;
  const view = validateForEditor(flow, catalog, context);
  cache.set(flow, { context, view });
  return view;
}

/** The problems of a field: those at its config path or below it. */
export function fieldProblems(list: readonly NodeProblem[] | undefined, path: readonly (string | number)[]): Problem[] {
  return (list ?? []).filter((p) => p.configPath && startsWith(p.configPath, path)).map((p) => p.problem);
}
