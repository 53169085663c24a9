import type { Parameter, Problem } from '../../../runtime/model';
import { checkParameter, findReferences, substitute, validateFlow } from '../../../runtime/model';
import type { NodeCatalog } from '../../../runtime/model';
import type { EditorContext } from './editor-context';
import type { FlowDoc } from './flow-doc';
import { sameButPosition } from './flow-doc';

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

/** The last validation's duration as the user-timing measure `kaiwu-validate` (one entry kept; for profiles and the designer benchmark). */
function timed(start: number): void {
  try {
    performance.clearMeasures('kaiwu-validate');
    performance.measure('kaiwu-validate', { start });
  } catch {
    // No user timing here (an old browser, a test DOM): nothing to record.
  }
}

/** The last document validated, to carry its view over to a document that differs only in node positions. */
let last: { flow: FlowDoc; catalog: NodeCatalog; context: EditorContext; view: FlowValidationView } | undefined;

const isPosition = (p: unknown) => typeof p === 'object' && p !== null && Number.isFinite((p as { x?: unknown }).x) && Number.isFinite((p as { y?: unknown }).y);

/**
 * Whether `b` is `a` with some nodes moved (and nothing else changed): validation does not look
 * at positions beyond their shape, so the view of `a` holds for `b`. A drag makes such a document
 * at every step; validating 300 nodes each time cost most of a frame.
 */
export function onlyMoved(a: FlowDoc, b: FlowDoc): boolean {
  if (a.nodes.length !== b.nodes.length || a.edges !== b.edges) return false;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const k of keys) if (k !== 'nodes' && (a as unknown as Record<string, unknown>)[k] !== (b as unknown as Record<string, unknown>)[k]) return false;
  for (let i = 0; i < b.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x !== y && !(isPosition(x.position) && isPosition(y.position) && sameButPosition(x, y))) return false;
  }
  return true;
}

/** {@link validateForEditor}, computed once per flow document (documents are immutable) and not again for a move. */
export function validationOf(flow: FlowDoc, catalog: NodeCatalog, context: EditorContext): FlowValidationView {
  const hit = cache.get(flow);
  if (hit && hit.context === context) return hit.view;
  if (last && last.catalog === catalog && last.context === context && onlyMoved(last.flow, flow)) {
    cache.set(flow, { context, view: last.view });
    last = { flow, catalog, context, view: last.view };
    return last.view;
  }
  const t0 = performance.now();
  const view = validateForEditor(flow, catalog, context);
  cache.set(flow, { context, view });
  last = { flow, catalog, context, view };
  timed(t0);
  return view;
}

/** The problems of a field: those at its config path or below it. */
export function fieldProblems(list: readonly NodeProblem[] | undefined, path: readonly (string | number)[]): Problem[] {
  return (list ?? []).filter((p) => p.configPath && startsWith(p.configPath, path)).map((p) => p.problem);
}
