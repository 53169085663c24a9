import type { Clock, NodeHandlers, NodeLogger, NodeState, OverflowPolicy } from '../../nodes/sdk';
import type { Message, Text } from '../model';
import { ERROR_PORT, createMessage } from '../model';
import { LatencyHistogram } from './latency-histogram';
import { MessageQueue } from './message-queue';
import type { Runnable, Scheduler } from './scheduler';

/** Messages one node handles in a turn before others get theirs. */
const TURN = 256;
/** Under `block`, senders wait at capacity; past this many times capacity the oldest are dropped. */
const BLOCK_HARD_FACTOR = 4;
/** A node counts as in error this long after its last failure. */
const ERROR_STATE_MS = 60_000;
const ERROR_LOG_EVERY_MS = 10_000;
/** Batches are not split below this size: per-batch costs would dominate. */
const MIN_SPLIT = 64;

export interface Route {
  readonly runner: NodeRunner;
  readonly port: string;
}

export interface RunnerEnv {
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly log: NodeLogger;
  onStateChange(runner: NodeRunner, state: NodeState, text: string | undefined): void;
  onError(runner: NodeRunner, error: string, input: Message | undefined): void;
  onWorkDone(): void;
}

export interface RunnerOptions {
  readonly flowId: string;
  readonly nodeId: string;
  readonly type: string;
  readonly outputs: readonly string[];
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  readonly batchSize: number;
  readonly maxInFlight: number;
}

export interface NodeStats {
  readonly flowId: string;
  readonly nodeId: string;
  readonly type: string;
  readonly state: NodeState;
  readonly text?: string;
  readonly in: number;
  readonly out: number;
  readonly errors: number;
  readonly dropped: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly lastError?: { readonly message: string; readonly text?: Text; readonly at: number };
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}

/** The zh/en text of a failure when the node gave one (a NodeError). */
function bilingualText(err: unknown): Text | undefined {
  if (err instanceof Error && 'text' in err) {
    const text = (err as { text?: unknown }).text;
    if (text && typeof text === 'object' && typeof (text as Text).zh === 'string' && typeof (text as Text).en === 'string') return text as Text;
  }
  return undefined;
}

/** One node of a running flow: its input queue, counters, and the calls into its handlers. */
export class NodeRunner implements Runnable {
  scheduled = false;
  handlers: NodeHandlers = {};
  active = false;
  stopped = false;
  inFlight = 0;
  /** Nodes with at least one edge into this one. */
  hasInputs = false;

  readonly queue = new MessageQueue();
  private routes = new Map<string, readonly Route[]>();
  private readonly outputs: ReadonlySet<string>;
  private blockTargets: NodeRunner[] = [];
  private readonly waiters = new Set<NodeRunner>();
  private readyResolvers: (() => void)[] = [];

  private received = 0;
  private sent = 0;
  private errors = 0;
  private dropped = 0;
  private readonly latency = new LatencyHistogram();
  private status: { state: NodeState; text: string | undefined } = { state: 'starting', text: undefined };
  private lastError: { message: string; text?: Text; at: number } | undefined;
  /** Whether the node has set its own status; the engine only fills in `running` when not. */
  private ownStatus = false;
  private lastErrorLogAt = -Infinity;
  private suppressedErrors = 0;

  constructor(readonly options: RunnerOptions, private readonly env: RunnerEnv) {
    this.outputs = new Set(options.outputs);
  }

  get flowId(): string {
    return this.options.flowId;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  setRoutes(routes: Map<string, Route[]>): void {
    this.routes = routes;
    const block = new Set<NodeRunner>();
    for (const list of routes.values()) for (const r of list) if (r.runner.options.overflow === 'block') block.add(r.runner);
    this.blockTargets = [...block];
  }

  hasRoute(port: string): boolean {
    return (this.routes.get(port)?.length ?? 0) > 0;
  }

  send(port: string, msg: Message | readonly Message[]): boolean {
    const list = this.routes.get(port);
    if (list === undefined && !this.outputs.has(port)) {
      throw new Error(`node "${this.nodeId}" has no output port "${port}" (ports: ${[...this.outputs].join(', ')})`);
    }
    if (Array.isArray(msg)) {
      for (const m of msg as readonly Message[]) this.deliver(list, m);
      this.sent += (msg as readonly Message[]).length;
    } else {
      this.deliver(list, msg as Message);
      this.sent++;
    }
    return !this.downstreamFull();
  }

  private deliver(list: readonly Route[] | undefined, msg: Message): void {
    const frozen = Object.isFrozen(msg) ? msg : createMessage(msg, this.env.clock.now());
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) list[i]!.runner.enqueue(frozen, list[i]!.port);
  }

  enqueue(msg: Message, port: string): void {
    if (!this.active) return;
    const q = this.queue;
    if (q.length >= this.options.capacity) {
      if (this.options.overflow === 'drop-oldest' || q.length >= this.options.capacity * BLOCK_HARD_FACTOR) {
        q.shift();
        this.dropped++;
      }
    }
    q.push(msg, port);
    this.received++;
    if (!this.scheduled && this.inFlight < this.options.maxInFlight) this.env.scheduler.markReady(this);
  }

  /** True when a downstream queue that blocks its senders is at capacity. */
  downstreamFull(): boolean {
    for (const t of this.blockTargets) if (t.active && t.queue.length >= t.capacity) return true;
    return false;
  }

  whenReady(): Promise<void> {
    const full = this.blockTargets.find((t) => t.active && t.queue.length >= t.capacity);
    if (!full) return Promise.resolve();
    return new Promise<void>((resolve) => full.readyResolvers.push(resolve)).then(() => this.whenReady());
  }

  runTurn(): void {
    if (!this.active || this.queue.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    if (this.blockedDownstream()) return;
    if (this.handlers.onBatch) this.runBatches();
    else this.runMessages();
    if (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) this.env.scheduler.markReady(this);
    this.wakeSenders();
  }

  private blockedDownstream(): boolean {
    for (const t of this.blockTargets) {
      if (t.active && t.queue.length >= t.capacity) {
        t.waiters.add(this);
        return true;
      }
    }
    return false;
  }

  private wakeSenders(): void {
    if (this.queue.length >= this.options.capacity / 2) return;
    if (this.waiters.size > 0) {
      for (const w of this.waiters) this.env.scheduler.markReady(w);
      this.waiters.clear();
    }
    if (this.readyResolvers.length > 0) {
      const resolvers = this.readyResolvers;
      this.readyResolvers = [];
      for (const r of resolvers) r();
    }
  }

  private runMessages(): void {
    const handle = this.handlers.onMessage;
    const q = this.queue;
    if (!handle) {
      // A node without onMessage ignores its input; keep the queue from growing.
      while (q.length > 0) q.shift();
      return;
    }
    let n = 0;
    let t0 = performance.now();
    while (n < TURN && q.length > 0) {
      const port = q.peekPort();
      const msg = q.shift();
      n++;
      let result: void | Promise<void> = undefined;
      try {
        result = handle(msg, port);
      } catch (err) {
        this.fail(err, msg);
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        this.track(result as Promise<void>, t0, 1, msg);
        break;
      }
      const t1 = performance.now();
      this.latency.record(t1 - t0);
      t0 = t1;
      if ((n & 15) === 0 && this.blockedDownstream()) break;
    }
  }

  private runBatches(): void {
    const handle = this.handlers.onBatch!;
    const q = this.queue;
    while (this.inFlight < this.options.maxInFlight && q.length > 0) {
      // Share what is queued among the free slots, so consecutive batch nodes work in parallel.
      const slots = this.options.maxInFlight - this.inFlight;
      const size = Math.min(this.options.batchSize, Math.max(MIN_SPLIT, Math.ceil(q.length / slots)));
      const { port, msgs } = q.takeBatch(size);
      const t0 = performance.now();
      let result: void | Promise<void> = undefined;
      try {
        result = handle(msgs, port);
      } catch (err) {
        for (const m of msgs) this.fail(err, m);
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        this.track(result as Promise<void>, t0, msgs.length, msgs);
      } else {
        this.latency.record((performance.now() - t0) / msgs.length, msgs.length);
      }
      if (this.blockedDownstream()) break;
    }
  }

  private track(promise: Promise<void>, t0: number, count: number, input: Message | readonly Message[]): void {
    this.inFlight++;
    const done = () => {
      this.inFlight--;
      this.latency.record((performance.now() - t0) / count, count);
      if (this.active && this.queue.length > 0) this.env.scheduler.markReady(this);
      this.env.onWorkDone();
    };
    promise.then(done, (err: unknown) => {
      if (Array.isArray(input)) for (const m of input as readonly Message[]) this.fail(err, m);
      else this.fail(err, input as Message);
      done();
    });
  }

  /** Counts a failure, marks the node, and sends an error message on `error` when wired. */
  fail(err: unknown, input?: Message): void {
    const message = errorText(err);
    const now = this.env.clock.now();
    this.errors++;
    const wasError = this.lastError !== undefined && now - this.lastError.at < ERROR_STATE_MS;
    const text = bilingualText(err);
    this.lastError = text === undefined ? { message, at: now } : { message, text, at: now };
    if (!wasError) this.env.onStateChange(this, 'error', message);
    if (now - this.lastErrorLogAt >= ERROR_LOG_EVERY_MS) {
      this.env.log.warn(`node failed: ${message}`, this.suppressedErrors > 0 ? { suppressed: this.suppressedErrors } : undefined);
      this.lastErrorLogAt = now;
      this.suppressedErrors = 0;
      this.env.onError(this, message, input);
    } else {
      this.suppressedErrors++;
    }
    if (this.hasRoute(ERROR_PORT)) {
      const payload = { error: message, ...(text === undefined ? {} : { text }), node: this.nodeId, type: this.options.type, input: input ?? null };
      this.send(ERROR_PORT, createMessage({ topic: input?.topic ?? 'error', device: input?.device, quality: 'bad', payload }, now));
    }
  }

  /** Status set by the node itself through ctx.status. */
  setOwnStatus(state: NodeState, text: string | undefined): void {
    this.ownStatus = true;
    this.setStatus(state, text);
  }

  /** Marks a node running after start, unless it already said what it is doing. */
  markStarted(): void {
    if (!this.ownStatus) this.setStatus('running', undefined);
  }

  setStatus(state: NodeState, text: string | undefined): void {
    if (this.status.state === state && this.status.text === text) return;
    this.status = { state, text };
    this.env.onStateChange(this, state, text);
  }

  counts(): { queued: number; inFlight: number } {
    return { queued: this.queue.length, inFlight: this.inFlight };
  }

  stats(): NodeStats {
    const now = this.env.clock.now();
    const recentError = this.lastError !== undefined && now - this.lastError.at < ERROR_STATE_MS;
    const state: NodeState = this.stopped ? 'stopped' : recentError ? 'error' : this.status.state;
    const text = recentError && this.status.state !== 'error' ? this.lastError!.message : this.status.text;
    const out: NodeStats = {
      flowId: this.flowId,
      nodeId: this.nodeId,
      type: this.options.type,
      state,
      in: this.received,
      out: this.sent,
      errors: this.errors,
      dropped: this.dropped,
      queued: this.queue.length,
      inFlight: this.inFlight,
      meanMs: this.latency.meanMs(),
      p99Ms: this.latency.quantileMs(0.99),
    };
    if (text !== undefined) Object.assign(out, { text });
    if (this.lastError) Object.assign(out, { lastError: this.lastError });
    return out;
  }

  /** Stops taking messages; queued ones are discarded and waiting senders released. */
  deactivate(): void {
    this.active = false;
    this.stopped = true;
    this.queue.clear();
    for (const w of this.waiters) this.env.scheduler.markReady(w);
    this.waiters.clear();
    const resolvers = this.readyResolvers;
    this.readyResolvers = [];
    for (const r of resolvers) r();
  }
}
