import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { RuleBatchResult, RuleSandbox, RuleSource, SandboxService } from '../../nodes/sdk';
import { NodeConfigError } from '../../nodes/sdk';
import type { Message } from '../model';
import { decodeResult, encodeBatch } from './batch-codec';
import type { FailureKind, HostToWorker, WorkerStart, WorkerToHost } from './protocol';
import { compileQuickjsModule } from './wasm-module';
import { resolveWorkerFile } from './worker-file';

export interface SandboxPoolOptions {
  /** Worker threads; sandboxes are spread over them. Default 1. */
  readonly workers?: number;
  readonly logger?: Logger;
}

export interface SandboxPoolStats {
  readonly workers: number;
  readonly sandboxes: number;
  /** Workers terminated by the watchdog since the pool started. */
  readonly watchdogKills: number;
  readonly recycles: number;
}

export interface SandboxPool extends SandboxService {
  stats(): SandboxPoolStats;
  close(): Promise<void>;
}

/** Faults (deadline, memory, crash, watchdog) in a row before a rule is suspended for a while. */
const FAULTS_BEFORE_SUSPEND = 3;
const SUSPEND_FIRST_MS = 1_000;
const SUSPEND_MAX_MS = 60_000;

interface Pending {
  readonly sandbox: HostSandbox;
  readonly msg: HostToWorker;
  resolve(value: WorkerToHost): void;
  reject(error: Error): void;
}

interface HostSandbox {
  readonly sid: number;
  readonly source: RuleSource;
  worker: WorkerSlot;
  state: string | null;
  disposed: boolean;
  faults: number;
  suspendedUntil: number;
  suspendMs: number;
}

interface WorkerSlot {
  readonly index: number;
  worker: Worker;
  generation: number;
  booted: boolean;
  lastSign: number;
  readonly pending: Pending[];
  readonly sandboxes: Set<HostSandbox>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class SandboxWatchdogError extends Error {}

/**
 * Runs rule sandboxes in worker threads. Each sandbox is its own QuickJS instance with its own
 * capped WASM memory; a worker that stops showing signs of life past a rule's hard limit is
 * terminated and rebuilt, and its sandboxes restored with their last saved state.
 */
export function createSandboxPool(options: SandboxPoolOptions = {}): SandboxPool {
  const workerFile = resolveWorkerFile();
  const count = Math.max(1, options.workers ?? 1);
  const log = options.logger;
  const slots: WorkerSlot[] = [];
  let nextSid = 1;
  let nextRid = 1;
  let closed = false;
  let watchdogKills = 0;
  let recycles = 0;

  let wasmModule: WebAssembly.Module | undefined;

  function spawn(slot: WorkerSlot) {
    wasmModule ??= compileQuickjsModule();
    const workerData: WorkerStart = { wasmModule };
    const worker = new Worker(workerFile, { workerData, resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 4 } });
    const generation = ++slot.generation;
    slot.worker = worker;
    slot.booted = false;
    worker.unref();
    worker.on('message', (msg: WorkerToHost) => {
      if (slot.generation !== generation) return;
      slot.lastSign = Date.now();
      if (msg.op === 'ready') {
        slot.booted = true;
        armWatchdog(slot);
        return;
      }
      if (msg.op === 'alive') return;
      const head = slot.pending.shift();
      if (!head) return;
      if (msg.op === 'result' && msg.recycled) {
        recycles++;
        log?.warn({ rule: head.sandbox.source.label, why: msg.recycled }, 'rule sandbox rebuilt');
      }
      head.resolve(msg);
      armWatchdog(slot);
    });
    worker.on('error', (err) => {
      if (slot.generation !== generation) return;
      log?.error({ err: err.message }, 'sandbox worker failed');
      restart(slot, `worker failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      if (slot.generation !== generation || closed) return;
      restart(slot, `worker exited with code ${code}`);
    });
    return worker;
  }

  function armWatchdog(slot: WorkerSlot) {
    if (slot.timer !== undefined || !slot.booted || slot.pending.length === 0) return;
    const limit = slot.pending[0]!.sandbox.source.limits.hardLimitMs;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (slot.pending.length === 0 || !slot.booted) return;
      const quiet = Date.now() - slot.lastSign;
      const hard = slot.pending[0]!.sandbox.source.limits.hardLimitMs;
      if (quiet >= hard) {
        watchdogKills++;
        restart(slot, `stopped by the watchdog: no progress for ${hard} ms`);
      } else {
        armWatchdog(slot);
      }
    }, limit - Math.min(limit, Date.now() - slot.lastSign) + 5);
    slot.timer.unref?.();
  }

  /** Terminates a worker, fails the request it was stuck on, and replays the rest on a new one. */
  function restart(slot: WorkerSlot, why: string) {
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = undefined;
    const old = slot.worker;
    const stuck = slot.pending.shift();
    const rest = slot.pending.splice(0);
    void old.terminate();
    if (closed) {
      stuck?.reject(new SandboxWatchdogError(why));
      for (const p of rest) p.reject(new Error('sandbox pool closed'));
      return;
    }
    log?.warn({ why, rule: stuck?.sandbox.source.label }, 'sandbox worker restarted');
    spawn(slot);
    for (const sb of slot.sandboxes) {
      if (sb.disposed) continue;
      // Restore every sandbox of the worker with its last state; a compile error cannot happen twice.
      enqueue(slot, sb, { op: 'create', sid: sb.sid, code: sb.source.code, ports: sb.source.outputs, limits: sb.source.limits, state: sb.state }).catch(() => undefined);
    }
    if (stuck) {
      if (stuck.sandbox) noteFault(stuck.sandbox);
      stuck.reject(new SandboxWatchdogError(why));
    }
    for (const p of rest) {
      slot.pending.push(p);
      post(slot, p.msg);
    }
    armWatchdog(slot);
  }

  // Payload buffers are not transferred: a request replayed after a restart needs them again.
  function post(slot: WorkerSlot, msg: HostToWorker) {
    slot.worker.postMessage(msg);
  }

  function enqueue(slot: WorkerSlot, sandbox: HostSandbox, msg: HostToWorker): Promise<WorkerToHost> {
    return new Promise((resolve, reject) => {
      if (closed) return reject(new Error('sandbox pool closed'));
      const wasIdle = slot.pending.length === 0;
      slot.pending.push({ sandbox, msg, resolve, reject });
      if (wasIdle) slot.lastSign = Date.now();
      post(slot, msg);
      armWatchdog(slot);
    });
  }

  function noteFault(sb: HostSandbox) {
    sb.faults++;
    if (sb.faults >= FAULTS_BEFORE_SUSPEND) {
      sb.suspendMs = sb.suspendMs === 0 ? SUSPEND_FIRST_MS : Math.min(sb.suspendMs * 2, SUSPEND_MAX_MS);
      sb.suspendedUntil = Date.now() + sb.suspendMs;
      sb.faults = 0;
      log?.warn({ rule: sb.source.label, ms: sb.suspendMs }, 'rule suspended after repeated faults');
    }
  }

  for (let i = 0; i < count; i++) {
    const slot: WorkerSlot = { index: i, worker: undefined as unknown as Worker, generation: 0, booted: false, lastSign: Date.now(), pending: [], sandboxes: new Set(), timer: undefined };
    spawn(slot);
    slots.push(slot);
  }

  function leastLoaded(): WorkerSlot {
    let best = slots[0]!;
    for (const s of slots) if (s.sandboxes.size < best.sandboxes.size) best = s;
    return best;
  }

  function failAll(msgs: readonly Message[], error: string): RuleBatchResult {
    return { outputs: [], failures: msgs.map((message) => ({ message, error })), logs: [] };
  }

  async function runBatch(sb: HostSandbox, msgs: readonly Message[]): Promise<RuleBatchResult> {
    if (sb.disposed) return failAll(msgs, 'the rule was stopped');
    const now = Date.now();
    if (now < sb.suspendedUntil) {
      return failAll(msgs, `rule suspended after repeated faults; it runs again in ${Math.ceil((sb.suspendedUntil - now) / 1000)} s`);
    }
    const rid = nextRid++;
    let reply: WorkerToHost;
    try {
      const batch = encodeBatch(msgs);
      reply = await enqueue(sb.worker, sb, { op: 'run', sid: sb.sid, rid, input: batch.json, payloads: batch.payloads?.buffer as ArrayBuffer ?? null, count: msgs.length });
    } catch (err) {
      return failAll(msgs, err instanceof Error ? err.message : String(err));
    }
    if (reply.op !== 'result') return failAll(msgs, 'unexpected sandbox reply');
    if (reply.state !== null) sb.state = reply.state;
    let result: RuleBatchResult;
    try {
      result = reply.body === null
        ? { outputs: [], failures: [], logs: [] }
        : decodeResult(reply.body, reply.payloads ? new Float64Array(reply.payloads) : null, msgs, sb.source.outputs, Date.now());
    } catch (err) {
      return failAll(msgs, `the rule's output could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    const faults = reply.hostFailures.filter(([, kind]) => kind !== 'suspended' && kind !== 'error');
    if (faults.length > 0) for (let i = 0; i < faults.length; i++) noteFault(sb);
    else if (result.failures.length < msgs.length) sb.faults = 0;
    const stateChanged = reply.state !== null;
    if (reply.hostFailures.length === 0) return stateChanged ? { ...result, stateChanged } : result;
    const failures = [...result.failures];
    for (const [i, kind, text] of reply.hostFailures) failures.push({ message: msgs[i]!, error: describeFailure(kind, text) });
    return { outputs: result.outputs, failures, logs: result.logs, stateChanged };
  }

  return {
    async compile(source) {
      if (closed) throw new Error('sandbox pool closed');
      const slot = leastLoaded();
      // Counted before the worker answers, so concurrent compiles spread over the workers.
      const sb: HostSandbox = {
        sid: nextSid++,
        source,
        worker: slot,
        state: source.initialState === undefined ? null : JSON.stringify(source.initialState),
        disposed: false,
        faults: 0,
        suspendedUntil: 0,
        suspendMs: 0,
      };
      slot.sandboxes.add(sb);
      let reply: WorkerToHost;
      try {
        reply = await enqueue(slot, sb, { op: 'create', sid: sb.sid, code: source.code, ports: source.outputs, limits: source.limits, state: sb.state });
      } catch (err) {
        slot.sandboxes.delete(sb);
        throw new NodeConfigError(['code'], {
          zh: `规则无法载入沙箱：${err instanceof Error ? err.message : String(err)}`,
          en: `the rule could not be loaded into the sandbox: ${err instanceof Error ? err.message : String(err)}`,
        }, 'rule-compile');
      }
      if (reply.op === 'created' && reply.error) {
        slot.sandboxes.delete(sb);
        const { message, line, column } = reply.error;
        const where = line === undefined ? '' : column === undefined ? ` (line ${line})` : ` (line ${line}, column ${column})`;
        const whereZh = line === undefined ? '' : column === undefined ? `（第 ${line} 行）` : `（第 ${line} 行，第 ${column} 列）`;
        throw Object.assign(new NodeConfigError(['code'], { zh: `规则代码无法编译${whereZh}：${message}`, en: `the rule does not compile${where}: ${message}` }, 'rule-compile'), {
          line,
          column,
        });
      }
      const sandbox: RuleSandbox = {
        run: (msgs) => runBatch(sb, msgs),
        state: () => (sb.state === null ? undefined : JSON.parse(sb.state)),
        dispose() {
          if (sb.disposed) return;
          sb.disposed = true;
          sb.worker.sandboxes.delete(sb);
          if (!closed) sb.worker.worker.postMessage({ op: 'dispose', sid: sb.sid } satisfies HostToWorker);
        },
      };
      return sandbox;
    },

    stats: () => ({ workers: slots.length, sandboxes: slots.reduce((n, s) => n + s.sandboxes.size, 0), watchdogKills, recycles }),

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(slots.map(async (slot) => {
        if (slot.timer !== undefined) clearTimeout(slot.timer);
        for (const p of slot.pending.splice(0)) p.reject(new Error('sandbox pool closed'));
        await slot.worker.terminate();
      }));
    },
  };
}

function describeFailure(kind: FailureKind, text: string): string {
  return kind === 'error' ? text : `[${kind}] ${text}`;
}
