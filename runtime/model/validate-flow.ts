import type { Edge, Flow, FlowNode } from './flow';
import { EdgeSchema, FLOW_SCHEMA_VERSION, FlowNodeSchema, FlowShapeSchema } from './flow';
import { findCycles } from './graph';
import type { MigrationTable } from './migrate';
import { describeJsonType, migrateDocument } from './migrate';
import type { NodeCatalog, NodeSpec } from './node-spec';
import { ERROR_PORT, outputPorts } from './node-spec';
import type { JsonPath, Problem } from './problem';
import { hasErrors, problem } from './problem';
import { closest } from './similar';
import { zodProblems } from './zod-problems';

export const FLOW_MIGRATIONS: MigrationTable = { kind: 'flow', current: FLOW_SCHEMA_VERSION, steps: {} };

/** A node that passed validation: its config parsed (defaults filled) and its ports known. */
export interface CheckedNode {
  readonly node: FlowNode;
  readonly spec: NodeSpec;
  readonly config: unknown;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface CheckedFlow {
  readonly flow: Flow;
  readonly nodes: readonly CheckedNode[];
  readonly edges: readonly Edge[];
}

export type FlowValidation =
  | { ok: true; flow: CheckedFlow; problems: Problem[] }
  | { ok: false; problems: Problem[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function migrateNode(spec: NodeSpec, node: FlowNode, path: JsonPath): { config?: Record<string, unknown>; problems: Problem[] } {
  const nodeId = node.id;
  if (node.version > spec.version) {
    return { problems: [problem('node-version-newer', [...path, 'version'], {
      zh: `节点 “${nodeId}” 的类型 ${spec.type} 版本 ${node.version} 比本程序支持的 ${spec.version} 新`,
      en: `node "${nodeId}" uses ${spec.type} version ${node.version}, newer than the ${spec.version} this Kaiwu supports`,
    }, { nodeId })] };
  }
  let config = node.config;
  for (let v = node.version; v < spec.version; v++) {
    const step = spec.migrations?.[v];
    if (!step) {
      return { problems: [problem('node-version-gap', [...path, 'version'], {
        zh: `节点类型 ${spec.type} 没有从版本 ${v} 到 ${v + 1} 的配置迁移`,
        en: `node type ${spec.type} has no config migration from version ${v} to ${v + 1}`,
      }, { nodeId })] };
    }
    try {
      config = step(config);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { problems: [problem('node-migration-failed', [...path, 'config'], {
        zh: `节点 “${nodeId}” 的配置从版本 ${v} 迁移失败：${why}`,
        en: `migrating the config of node "${nodeId}" from version ${v} failed: ${why}`,
      }, { nodeId })] };
    }
  }
  return { config, problems: [] };
}

function checkNode(raw: unknown, i: number, catalog: NodeCatalog): { node?: FlowNode; checked?: CheckedNode; problems: Problem[] } {
  const path: JsonPath = ['nodes', i];
  const parsed = FlowNodeSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const nodeId = isRecord(raw) && typeof raw.id === 'string' ? raw.id : undefined;
    return { problems: zodProblems(parsed.error, path, 'node-shape', nodeId === undefined ? {} : { nodeId }) };
  }
  const node = parsed.data;
  const spec = catalog.get(node.type);
  if (!spec) {
    const guess = closest(node.type, catalog.types());
    return { node, problems: [problem('unknown-node-type', [...path, 'type'], {
      zh: `未知的节点类型 “${node.type}”${guess ? `，是否指 “${guess}”？` : ''}`,
      en: `unknown node type "${node.type}"${guess ? `; did you mean "${guess}"?` : ''}`,
    }, { nodeId: node.id })] };
  }
  const migrated = migrateNode(spec, node, path);
  if (!migrated.config) return { node, problems: migrated.problems };
  const config = spec.config.safeParse(migrated.config, { reportInput: true });
  if (!config.success) {
    return { node, problems: zodProblems(config.error, [...path, 'config'], 'invalid-config', { nodeId: node.id }) };
  }
  const outputs = outputPorts(spec, config.data).map((p) => p.name);
  const current = node.version === spec.version ? node : { ...node, version: spec.version, config: migrated.config };
  return {
    node: current,
    checked: { node: current, spec, config: config.data, inputs: spec.inputs.map((p) => p.name), outputs: [...outputs, ERROR_PORT] },
    problems: [],
  };
}

/**
 * Checks a flow as read from JSON and reports every problem found, each with its JSON path
 * and a message in zh and en. On success the nodes carry parsed configs ready for the engine.
 */
export function validateFlow(raw: unknown, catalog: NodeCatalog): FlowValidation {
  const migrated = migrateDocument(raw, FLOW_MIGRATIONS);
  if (!migrated.ok) return { ok: false, problems: migrated.problems };
  const doc = migrated.doc;
  const problems: Problem[] = [];

  const shape = FlowShapeSchema.safeParse(doc, { reportInput: true });
  if (!shape.success) problems.push(...zodProblems(shape.error, [], 'flow-shape'));
  const rawNodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const rawEdges = doc.edges === undefined ? [] : Array.isArray(doc.edges) ? doc.edges : [];
  if (doc.nodes !== undefined && !Array.isArray(doc.nodes) && shape.success) {
    problems.push(problem('flow-shape', ['nodes'], { zh: `nodes 必须是数组，实际是 ${describeJsonType(doc.nodes)}`, en: `nodes must be an array, got ${describeJsonType(doc.nodes)}` }));
  }

  const byId = new Map<string, { index: number; checked?: CheckedNode }>();
  const nodes: FlowNode[] = [];
  const checkedNodes: CheckedNode[] = [];
  rawNodes.forEach((raw, i) => {
    const result = checkNode(raw, i, catalog);
    problems.push(...result.problems);
    if (!result.node) return;
    const first = byId.get(result.node.id);
    if (first) {
      problems.push(problem('duplicate-node-id', ['nodes', i, 'id'], {
        zh: `节点 id “${result.node.id}” 重复（与 nodes[${first.index}] 相同）`,
        en: `duplicate node id "${result.node.id}" (already used by nodes[${first.index}])`,
      }, { nodeId: result.node.id }));
      return;
    }
    byId.set(result.node.id, result.checked ? { index: i, checked: result.checked } : { index: i });
    nodes.push(result.node);
    if (result.checked) checkedNodes.push(result.checked);
  });

  const edgeIds = new Map<string, number>();
  const connections = new Map<string, number>();
  const edges: Edge[] = [];
  rawEdges.forEach((raw, j) => {
    const path: JsonPath = ['edges', j];
    const parsed = EdgeSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, path, 'edge-shape'));
      return;
    }
    const edge = parsed.data;
    const extra = { edgeId: edge.id };
    let ok = true;
    const firstId = edgeIds.get(edge.id);
    if (firstId !== undefined) {
      problems.push(problem('duplicate-edge-id', [...path, 'id'], {
        zh: `连线 id “${edge.id}” 重复（与 edges[${firstId}] 相同）`,
        en: `duplicate edge id "${edge.id}" (already used by edges[${firstId}])`,
      }, extra));
      ok = false;
    } else edgeIds.set(edge.id, j);
    for (const end of ['source', 'target'] as const) {
      const ref = byId.get(edge[end]);
      if (!ref) {
        const guess = closest(edge[end], [...byId.keys()]);
        problems.push(problem('edge-unknown-node', [...path, end], {
          zh: `连线 “${edge.id}” 的${end === 'source' ? '起点' : '终点'}节点 “${edge[end]}” 不存在${guess ? `，是否指 “${guess}”？` : ''}`,
          en: `edge "${edge.id}" ${end} "${edge[end]}" is not a node of this flow${guess ? `; did you mean "${guess}"?` : ''}`,
        }, extra));
        ok = false;
        continue;
      }
      const checked = ref.checked;
      if (!checked) continue;
      const portKey = end === 'source' ? 'sourcePort' : 'targetPort';
      const ports = end === 'source' ? checked.outputs : checked.inputs;
      const port = edge[portKey];
      if (!ports.includes(port)) {
        problems.push(problem('edge-unknown-port', [...path, portKey], {
          zh: `节点 “${checked.node.id}”（${checked.spec.type}）没有名为 “${port}” 的${end === 'source' ? '输出' : '输入'}端口；可用：${ports.join('、') || '无'}`,
          en: `node "${checked.node.id}" (${checked.spec.type}) has no ${end === 'source' ? 'output' : 'input'} port "${port}"; it has: ${ports.join(', ') || 'none'}`,
        }, extra));
        ok = false;
      }
    }
    const key = `${edge.source}\u0000${edge.sourcePort}\u0000${edge.target}\u0000${edge.targetPort}`;
    const same = connections.get(key);
    if (same !== undefined) {
      problems.push(problem('duplicate-connection', path, {
        zh: `连线 “${edge.id}” 与 edges[${same}] 连接相同的端口，消息会被送达两次`,
        en: `edge "${edge.id}" joins the same ports as edges[${same}]: messages would be delivered twice`,
      }, { ...extra, severity: 'warning' }));
    } else connections.set(key, j);
    if (ok) edges.push(edge);
  });

  const forward = edges.filter((e) => e.feedback !== true);
  for (const cycle of findCycles(nodes.map((n) => n.id), forward)) {
    const members = new Set(cycle);
    const onCycle = forward.filter((e) => members.has(e.source) && members.has(e.target));
    const first = onCycle[0]!;
    const j = rawEdges.findIndex((r) => isRecord(r) && r.id === first.id);
    const loop = [...cycle, cycle[0]].join(' → ');
    problems.push(problem('undeclared-cycle', ['edges', j], {
      zh: `节点构成环路 ${loop}，但其中没有连线声明为反馈（"feedback": true）`,
      en: `nodes form a cycle ${loop} and none of its edges is declared as feedback ("feedback": true)`,
    }, { edgeId: first.id }));
  }

  if (hasErrors(problems) || !shape.success) return { ok: false, problems };
  const flow: Flow = { ...shape.data, nodes, edges };
  return { ok: true, flow: { flow, nodes: checkedNodes, edges }, problems };
}
