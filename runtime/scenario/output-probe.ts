/**
 * How a scenario test sees what a node sends: a probe node wired to each output port of each
 * node a test watches, added to the resolved flow before it is deployed. The flow the site would
 * run is otherwise untouched, so the test watches the real wiring, not a copy of it.
 */
import type { NodeRegistry } from '../../nodes/registry';
import type { AnyNodeType, Message } from '../../nodes/sdk';
import { defineNode, port, z } from '../../nodes/sdk';
import { ERROR_PORT, outputPorts } from '../model/node-spec';

export const PROBE_TYPE = 'kaiwu-scenario-probe';

/** A message a watched node sent, as the probe received it. */
export interface ProbedMessage {
  readonly node: string;
  readonly port: string;
  readonly msg: Message;
}

/** The probe node type; what it receives goes to `sink` under the key in its config. */
export function createProbeType(sink: (key: string, msg: Message) => void): AnyNodeType {
  return defineNode({
    type: PROBE_TYPE,
    version: 1,
    category: 'debug',
    icon: '◎',
    title: { zh: '场景测试探针', en: 'Scenario test probe' },
    summary: { zh: '场景测试用：记录被观察节点发出的消息', en: 'For scenario tests: records what a watched node sends' },
    inputs: [port('in', '输入', 'in')],
    outputs: [],
    // A probe never holds a node back: it only keeps what it is given.
    queue: { capacity: 100_000, overflow: 'drop-oldest' },
    config: z.object({ key: z.string() }),
  }, (config) => ({
    onMessage(msg) {
      sink(config.key, msg);
    },
  }));
}

/** The registry the test's engine runs with: the given node types plus the probe. */
export function withProbe(registry: NodeRegistry, probe: AnyNodeType): NodeRegistry {
  return {
    get: (type) => (type === PROBE_TYPE ? probe.definition : registry.get(type)),
    runtime: (type) => (type === PROBE_TYPE ? probe.runtime : registry.runtime(type)),
    types: () => [...registry.types(), PROBE_TYPE],
    definitions: () => [...registry.definitions(), probe.definition],
  };
}

interface FlowShape {
  nodes: { id: string; type: string; config?: unknown }[];
  edges: { id: string; source: string; sourcePort: string; target: string; targetPort: string }[];
  [key: string]: unknown;
}

/**
 * A copy of `flow` with a probe on every output port (but `error`) of each watched node.
 * Returns the probes' keys with the node and port each one watches; `keyPrefix` keeps keys of
 * several flows apart. Nodes that are not in the flow are left out (the template check names them).
 */
export function attachProbes(flow: Record<string, unknown>, nodeIds: readonly string[], registry: NodeRegistry, keyPrefix: string): { flow: Record<string, unknown>; probes: { key: string; node: string; port: string }[] } {
  const f = structuredClone(flow) as unknown as FlowShape;
  const taken = new Set([...f.nodes.map((n) => n.id), ...f.edges.map((e) => e.id)]);
  const fresh = (base: string) => {
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
    taken.add(id);
    return id;
  };
  const probes: { key: string; node: string; port: string }[] = [];
  for (const nodeId of new Set(nodeIds)) {
    const node = f.nodes.find((n) => n.id === nodeId);
    const spec = node ? registry.get(node.type) : undefined;
    if (!node || !spec) continue;
    const parsed = spec.config.safeParse(node.config ?? {});
    if (!parsed.success) continue;
    for (const p of outputPorts(spec, parsed.data)) {
      if (p.name === ERROR_PORT) continue;
      const key = `${keyPrefix}/${nodeId}/${p.name}`;
      const id = fresh(`kaiwu-probe-${nodeId}-${p.name}`.slice(0, 60));
      f.nodes.push({ id, type: PROBE_TYPE, version: 1, config: { key } } as FlowShape['nodes'][number]);
      f.edges.push({ id: fresh(`${id}-edge`.slice(0, 64)), source: nodeId, sourcePort: p.name, target: id, targetPort: 'in' });
      probes.push({ key, node: nodeId, port: p.name });
    }
  }
  return { flow: f as unknown as Record<string, unknown>, probes };
}
