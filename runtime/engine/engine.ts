import type { Logger } from 'pino';
import { pino } from 'pino';
import type { NodeRegistry } from '../../nodes/registry';
import type { Clock, NodeContext, NodeServices, NodeState, NodeStateService, RuleLimits, SandboxService } from '../../nodes/sdk';
import { NodeConfigError } from '../../nodes/sdk';
import type { CheckedFlow, JsonPath, Message, MessageFields, Problem } from '../model';
import { SandboxLimitsSchema, createMessage, problem, validateFlow } from '../model';
import { createSandboxPool } from '../sandbox/pool';
import type { SandboxPool } from '../sandbox/pool';
import { createSystemClock } from './clock';
import type { NodeStats, Route, RunnerEnv } from './node-runner';
import { NodeRunner, errorText } from './node-runner';
import { Scheduler } from './scheduler';

export type { NodeStats } from './node-runner';

export type EngineEvent =
  | { type: 'node-state'; flowId: string; nodeId: string; state: NodeState; text?: string; at: number }
  | { type: 'node-error'; flowId: string; nodeId: string; error: string; input?: Message; at: number }
  | { type: 'node-event'; flowId: string; nodeId: string; kind: string; data: unknown; at: number }
  | { type: 'engine'; state: EngineState; at: number };

export type EngineState = 'idle' | 'deploying' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface EngineOptions {
  readonly registry: NodeRegistry;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** A sandbox service to share; without one the engine starts its own pool on first use. */
  readonly sandbox?: SandboxService;
  /** Worker threads of the engine's own sandbox pool. */
  readonly sandboxWorkers?: number;
  readonly ruleLimits?: Partial<RuleLimits>;
  /** Site services handed to every node (history, alarms, events, devices …). */
  readonly services?: Omit<NodeServices, 'sandbox' | 'ruleLimits' | 'state'>;
  /** Where node state persists (the site's key-value area); each node gets its own key. */
  readonly stateStore?: NodeStateStore;
}

export interface NodeStateStore {
  kvGet(scope: string, key: string): unknown;
  kvSet(scope: string, key: string, value: unknown): void;
}

/** Node state is written at most this often per node; the last value is written at stop. */
const STATE_SAVE_MS = 1_000;

export interface StopReport {
  readonly drained: boolean;
  /** Nodes whose `stop` did not finish in time; the engine stopped without them. */
  readonly timedOut: readonly string[];
}

export interface Engine {
  readonly state: EngineState;
  /** Validates and starts flows; on any problem nothing is left running and the problems are thrown. */
  deploy(flows: unknown | readonly unknown[]): Promise<void>;
  stop(options?: { timeoutMs?: number; drainMs?: number }): Promise<StopReport>;
  stats(): NodeStats[];
  inspect(flowId: string, nodeId: string): unknown;
  /** Puts a message into a node's input, as if an edge had delivered it. */
  inject(flowId: string, nodeId: string, fields: MessageFields, port?: string): void;
  /** Resolves when no message is queued or being handled. */
  idle(): Promise<void>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  readonly flows: readonly CheckedFlow[];
}

export class EngineDeployError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`deploy failed: ${problems.filter((p) => p.severity === 'error').map((p) => `${p.at}: ${p.message.en}`).join('; ')}`);
    this.name = 'EngineDeployError';
  }
}

interface Slot {
  readonly runner: NodeRunner;
  /** Writes a pending state value now. */
  flushState(): void;
  readonly flow: CheckedFlow;
  readonly path: JsonPath;
  readonly config: unknown;
  readonly type: string;
  readonly timers: Set<unknown>;
  readonly ctx: NodeContext;
}

const DEFAULT_LIMITS: RuleLimits = SandboxLimitsSchema.parse({});

function isArrayOfFlows(input: unknown): input is readonly unknown[] {
  return Array.isArray(input);
}

/** An engine runs one deployment: a set of flows, from deploy to stop. Engines share nothing. */
export function createEngine(options: EngineOptions): Engine {
  const registry = options.registry;
  const clock = options.clock ?? createSystemClock();
  const logger = options.logger ?? pino({ level: 'silent' });
  const listeners = new Set<(event: EngineEvent) => void>();
  const slots = new Map<string, Slot>();
  let checkedFlows: CheckedFlow[] = [];
  let state: EngineState = 'idle';
  let ownPool: SandboxPool | undefined;

  const emit = (event: EngineEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        logger.warn({ err }, 'engine event listener failed');
      }
    }
  };
  const setState = (next: EngineState) => {
    state = next;
    emit({ type: 'engine', state: next, at: clock.now() });
  };

  const isIdle = () => {
    for (const s of slots.values()) if (s.runner.queue.length > 0 || s.runner.inFlight > 0) return false;
    return true;
  };
  const scheduler = new Scheduler(isIdle);

  const sandbox = (): SandboxService => {
    if (options.sandbox) return options.sandbox;
    ownPool ??= createSandboxPool({ workers: options.sandboxWorkers ?? 1, logger: logger.child({ part: 'sandbox' }) });
    return ownPool;
  };

  function nodeClock(timers: Set<unknown>, runner: NodeRunner): Clock {
    return {
      now: () => clock.now(),
      setTimeout(fn, ms) {
        const handle = clock.setTimeout(() => {
          timers.delete(handle);
          if (!runner.active) return;
          try {
            fn();
          } catch (err) {
            runner.fail(err);
          }
        }, ms);
        timers.add(handle);
        return handle;
      },
      clearTimeout(handle) {
        timers.delete(handle);
        clock.clearTimeout(handle);
      },
    };
  }

  function buildSlot(flow: CheckedFlow, flowIndex: number, nodeIndex: number, multi: boolean): Slot {
    const checked = flow.nodes[nodeIndex]!;
    const def = registry.get(checked.spec.type)!;
    const flowId = flow.flow.id;
    const nodeId = checked.node.id;
    const log = logger.child({ flow: flowId, node: nodeId, type: def.type });
    const env: RunnerEnv = {
      scheduler,
      clock,
      log: {
        debug: (m, d) => log.debug(d ?? {}, m),
        info: (m, d) => log.info(d ?? {}, m),
        warn: (m, d) => log.warn(d ?? {}, m),
        error: (m, d) => log.error(d ?? {}, m),
      },
      onStateChange: (r, s, text) => emit(text === undefined
        ? { type: 'node-state', flowId, nodeId, state: s, at: clock.now() }
        : { type: 'node-state', flowId, nodeId, state: s, text, at: clock.now() }),
      onError: (r, error, input) => emit(input === undefined
        ? { type: 'node-error', flowId, nodeId, error, at: clock.now() }
        : { type: 'node-error', flowId, nodeId, error, input, at: clock.now() }),
      onWorkDone: () => scheduler.checkIdle(),
    };
    const runner = new NodeRunner({
      flowId,
      nodeId,
      type: def.type,
      outputs: checked.outputs,
      capacity: checked.node.queue?.capacity ?? def.queue?.capacity ?? 1000,
      overflow: checked.node.queue?.overflow ?? def.queue?.overflow ?? 'block',
      batchSize: def.batchSize ?? 512,
      maxInFlight: def.maxInFlight ?? 1,
    }, env);
    const timers = new Set<unknown>();
    const flowLimits = flow.flow.settings?.sandbox ?? {};
    const stateService = nodeState(flowId, nodeId, runner);
    const services: NodeServices = {
      ...options.services,
      ...(stateService ? { state: stateService.service } : {}),
      get sandbox() {
        return sandbox();
      },
      ruleLimits: { ...DEFAULT_LIMITS, ...options.ruleLimits, ...flowLimits },
    };
    const ctx: NodeContext = {
      flowId,
      nodeId,
      clock: nodeClock(timers, runner),
      log: env.log,
      services,
      send: (port, msg) => runner.send(port, msg),
      whenReady: () => runner.whenReady(),
      message: (fields) => createMessage(fields, clock.now()),
      status: (s, text) => runner.setOwnStatus(s, text),
      emit: (kind, data) => emit({ type: 'node-event', flowId, nodeId, kind, data, at: clock.now() }),
      reportError: (err, msg) => runner.fail(err, msg),
    };
    const path: JsonPath = multi ? ['flows', flowIndex, 'nodes', flow.flow.nodes.indexOf(checked.node)] : ['nodes', flow.flow.nodes.indexOf(checked.node)];
    return { runner, flow, path, config: checked.config, type: def.type, timers, ctx, flushState: () => stateService?.flush() };
  }

  function nodeState(flowId: string, nodeId: string, runner: NodeRunner): { service: NodeStateService; flush(): void } | undefined {
    const store = options.stateStore;
    if (!store) return undefined;
    const scope = `node-state/${flowId}`;
    let pending: { value: unknown } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (!pending) return;
      const { value } = pending;
      pending = undefined;
      try {
        store.kvSet(scope, nodeId, value);
      } catch (err) {
        runner.fail(err);
      }
    };
    return {
      service: {
        load: () => store.kvGet(scope, nodeId),
        save(value) {
          pending = { value };
          timer ??= setTimeout(flush, STATE_SAVE_MS);
        },
      },
      flush,
    };
  }

  function wire(flow: CheckedFlow) {
    const flowId = flow.flow.id;
    const routes = new Map<string, Map<string, Route[]>>();
    for (const edge of flow.edges) {
      const source = slots.get(`${flowId}/${edge.source}`);
      const target = slots.get(`${flowId}/${edge.target}`);
      if (!source || !target) continue; // a disabled node
      let byPort = routes.get(edge.source);
      if (!byPort) routes.set(edge.source, (byPort = new Map()));
      const list = byPort.get(edge.sourcePort) ?? [];
      list.push({ runner: target.runner, port: edge.targetPort });
      byPort.set(edge.sourcePort, list);
      target.runner.hasInputs = true;
    }
    for (const [nodeId, byPort] of routes) slots.get(`${flowId}/${nodeId}`)!.runner.setRoutes(byPort);
  }

  function failureProblem(slot: Slot, err: unknown, phase: 'create' | 'start'): Problem {
    if (err instanceof NodeConfigError) {
      return problem(err.code, [...slot.path, 'config', ...err.path], err.text, { nodeId: slot.runner.nodeId });
    }
    const why = errorText(err);
    return problem(`node-${phase}-failed`, slot.path, {
      zh: `节点 “${slot.runner.nodeId}”（${slot.type}）${phase === 'create' ? '创建' : '启动'}失败：${why}`,
      en: `node "${slot.runner.nodeId}" (${slot.type}) failed to ${phase}: ${why}`,
    }, { nodeId: slot.runner.nodeId });
  }

  async function stopHandlers(list: readonly Slot[], timeoutMs: number): Promise<string[]> {
    const timedOut: string[] = [];
    await Promise.all(list.map(async (slot) => {
      const stop = slot.runner.handlers.stop;
      if (!stop) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
      try {
        const result = await Promise.race([Promise.resolve().then(() => stop()), expired]);
        if (result === 'timeout') {
          timedOut.push(`${slot.runner.flowId}/${slot.runner.nodeId}`);
          logger.warn({ flow: slot.runner.flowId, node: slot.runner.nodeId, timeoutMs }, 'node did not stop in time');
        }
      } catch (err) {
        logger.warn({ flow: slot.runner.flowId, node: slot.runner.nodeId, err: errorText(err) }, 'node stop failed');
      } finally {
        clearTimeout(timer);
      }
    }));
    return timedOut;
  }

  function clearTimers(slot: Slot) {
    for (const t of slot.timers) clock.clearTimeout(t);
    slot.timers.clear();
  }

  async function teardown(list: readonly Slot[], timeoutMs: number): Promise<string[]> {
    for (const s of list) s.runner.deactivate();
    const timedOut = await stopHandlers(list, timeoutMs);
    for (const s of list) {
      clearTimers(s);
      s.flushState();
    }
    if (ownPool) {
      await ownPool.close();
      ownPool = undefined;
    }
    return timedOut;
  }

  const engine: Engine = {
    get state() {
      return state;
    },
    get flows() {
      return checkedFlows;
    },

    async deploy(input) {
      if (state !== 'idle') throw new Error(`an engine deploys once; this one is ${state}`);
      setState('deploying');
      const multi = isArrayOfFlows(input);
      const rawFlows = multi ? input : [input];
      const problems: Problem[] = [];
      const flows: CheckedFlow[] = [];
      const seen = new Map<string, number>();
      rawFlows.forEach((raw, i) => {
        const result = validateFlow(raw, registry);
        const prefix = (p: Problem): Problem => (multi ? { ...p, path: ['flows', i, ...p.path], at: `flows[${i}].${p.at}` } : p);
        problems.push(...result.problems.map(prefix));
        if (!result.ok) return;
        const first = seen.get(result.flow.flow.id);
        if (first !== undefined) {
          problems.push(problem('duplicate-flow-id', ['flows', i, 'id'], {
            zh: `流程 id “${result.flow.flow.id}” 重复（与 flows[${first}] 相同）`,
            en: `duplicate flow id "${result.flow.flow.id}" (already used by flows[${first}])`,
          }));
          return;
        }
        seen.set(result.flow.flow.id, i);
        flows.push(result.flow);
      });
      if (problems.some((p) => p.severity === 'error')) {
        setState('failed');
        throw new EngineDeployError(problems);
      }

      const created: Slot[] = [];
      flows.forEach((flow, i) => {
        flow.nodes.forEach((checked, j) => {
          if (checked.node.disabled) return;
          const slot = buildSlot(flow, i, j, multi);
          slots.set(`${flow.flow.id}/${checked.node.id}`, slot);
          created.push(slot);
        });
        wire(flow);
      });

      const failures: Problem[] = [];
      await Promise.all(created.map(async (slot) => {
        try {
          const runtime = registry.runtime(slot.type)!;
          slot.runner.handlers = await runtime.create(slot.config as never, slot.ctx);
        } catch (err) {
          failures.push(failureProblem(slot, err, 'create'));
        }
      }));
      if (failures.length === 0) {
        for (const slot of created) slot.runner.active = true;
        await Promise.all(created.map(async (slot) => {
          try {
            await slot.runner.handlers.start?.();
            slot.runner.markStarted();
          } catch (err) {
            failures.push(failureProblem(slot, err, 'start'));
          }
        }));
      }
      if (failures.length > 0) {
        await teardown(created, 2_000);
        slots.clear();
        setState('failed');
        throw new EngineDeployError(failures);
      }
      checkedFlows = flows;
      setState('running');
    },

    async stop({ timeoutMs = 5_000, drainMs = 1_000 } = {}) {
      if (state === 'stopped' || state === 'stopping') return { drained: true, timedOut: [] };
      setState('stopping');
      const all = [...slots.values()];
      // Sources first, so what is already in the queues can drain before the rest stops.
      const sources = all.filter((s) => !s.runner.hasInputs);
      const timedOut = await stopHandlers(sources, timeoutMs);
      for (const s of sources) clearTimers(s);
      let drainTimer: ReturnType<typeof setTimeout> | undefined;
      const drained = await Promise.race([
        scheduler.whenIdle().then(() => true),
        new Promise<boolean>((resolve) => { drainTimer = setTimeout(() => resolve(false), drainMs); }),
      ]);
      clearTimeout(drainTimer);
      for (const s of sources) {
        s.runner.deactivate();
        s.flushState();
      }
      const rest = all.filter((s) => s.runner.hasInputs);
      timedOut.push(...await teardown(rest, timeoutMs));
      for (const s of sources) s.runner.handlers = {};
      setState('stopped');
      return { drained, timedOut };
    },

    stats() {
      return [...slots.values()].map((s) => s.runner.stats());
    },

    inspect(flowId, nodeId) {
      return slots.get(`${flowId}/${nodeId}`)?.runner.handlers.inspect?.();
    },

    inject(flowId, nodeId, fields, port) {
      const slot = slots.get(`${flowId}/${nodeId}`);
      if (!slot) throw new Error(`no node "${nodeId}" in flow "${flowId}"`);
      const inputs = registry.get(slot.type)!.inputs;
      const target = port ?? inputs[0]?.name;
      if (target === undefined || !inputs.some((p) => p.name === target)) {
        throw new Error(`node "${nodeId}" (${slot.type}) has no input port ${port === undefined ? '' : `"${port}"`}`.trim());
      }
      slot.runner.enqueue(createMessage(fields, clock.now()), target);
    },

    idle: () => scheduler.whenIdle(),

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return engine;
}
