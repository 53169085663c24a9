import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { withDashboardWidgets } from '../../nodes/dashboard/inline-widgets';
import type { NodeRegistry } from '../../nodes/registry';
import type { AlarmService, Clock, EventService, HistoryService } from '../../nodes/sdk';
import { verifySignedBundle } from '../bundle/verify-bundle';
import { createSystemClock } from '../engine/clock';
import type { DeviceManager, DeviceStatus } from '../devices/manager';
import type { Engine, EngineEvent, NodeStateStore, NodeStats } from '../engine/engine';
import { EngineDeployError, createEngine } from '../engine/engine';
import type { Bundle, CheckedFlow, JsonPath, Problem, Text } from '../model';
import { checkUplinkPolicy, materializeFlows, problem, validateFlow } from '../model';
import type { UplinkPolicy } from '../model';
import type { EndpointStatus, Uplink } from '../uplink/uplink';
import type { DataDir } from './data-dir';
import { ensureDataDir, writeFileAtomic } from './data-dir';
import type { DeploymentRecord, DeploymentState } from './deployment-state';
import { emptyState, envelopeFile, lastKnownGood, loadState, recordOf, saveState } from './deployment-state';
import { loadTrustedKeys } from './trusted-keys';

/** What a site runtime needs of its store: the node services, node state, and closing. */
export interface SiteStore extends HistoryService, AlarmService, EventService, NodeStateStore {
  flush(): unknown;
  stats(): unknown;
  close(): void;
}

/** A refused deploy or rollback: an HTTP-like status, a code, and every problem. */
export class DeployRejected extends Error {
  constructor(readonly status: number, readonly code: string, readonly problems: readonly Problem[]) {
    super(problems.map((p) => `${p.at}: ${p.message.en}`).join('; ') || code);
    this.name = 'DeployRejected';
  }
}

export type RuntimeEvent =
  | EngineEvent
  | { type: 'deployment'; event: 'activated' | 'failed' | 'reverted' | 'rolled-back' | 'healthy'; sequence: number; id: string; reason?: Text; at: number };

export interface DeploymentSummary {
  readonly sequence: number;
  readonly id: string;
  readonly hash: string;
  readonly status: DeploymentRecord['status'];
  readonly since: number | undefined;
  readonly probationUntil?: number;
}

export interface SiteStatus {
  readonly site: string | null;
  readonly startedAt: number;
  readonly deployment: DeploymentSummary | null;
  readonly lastKnownGood: { readonly sequence: number; readonly id: string } | null;
  readonly lastSequence: number;
  readonly nodes: NodeStats[];
  /** Each device's health, endpoint and last poll. */
  readonly devices: readonly DeviceStatus[];
  /** Each uplink endpoint: connected, backlog, lag, dropped, set aside, sent. */
  readonly uplink: readonly EndpointStatus[];
  /** Rows, pending writes, write errors (a full disk shows here) and file sizes. */
  readonly store: unknown;
}

export interface SiteRuntimeOptions {
  readonly dir: DataDir;
  readonly registry: NodeRegistry;
  readonly store: SiteStore;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** A fault within this long after a switch reverts to the last good bundle. Default 10 s. */
  readonly probationMs?: number;
  /** Pins the site id when none is pinned yet. */
  readonly site?: string;
  /**
   * The site's devices. It outlives deployments: a switch hands the same connections to the new
   * flows, so polling has no gap. Started by the caller.
   */
  readonly devices?: DeviceManager;
  /** The site's uplink, which also outlives deployments: each one brings its policy. */
  readonly uplink?: Uplink;
}

export interface SiteRuntime {
  /** Resumes the active deployment (or the last good one if it will not start). */
  start(): Promise<void>;
  deploy(envelope: unknown): Promise<DeploymentSummary>;
  rollback(): Promise<DeploymentSummary>;
  status(): SiteStatus;
  deployments(): readonly DeploymentRecord[];
  subscribe(listener: (event: RuntimeEvent) => void): () => void;
  stop(): Promise<void>;

  // For the site dashboard (runtime/server/dashboard-routes.ts): read-only views of what runs.
  /** The running deployment's dashboard pages and flows (config parsed); null when nothing runs. */
  dashboardSource(): DashboardSource | null;
  /** A node's live view (its `inspect()`) in the running deployment; undefined when there is none. */
  inspect(flowId: string, nodeId: string): unknown;
}

export interface DashboardSource {
  readonly sequence: number;
  /** The bundle's `dashboards`: one page per scenario, in the order of `flows`. */
  readonly dashboards: readonly unknown[];
  readonly flows: readonly CheckedFlow[];
}

interface Checked {
  readonly bundle: Bundle;
  /** The bundle's flows with their device groups filled in: what the engine runs. */
  readonly flows: readonly unknown[];
  readonly uplink: UplinkPolicy;
  readonly hash: string;
  readonly keyId: string;
  readonly envelope: unknown;
}

const under = (base: JsonPath, problems: readonly Problem[]): Problem[] =>
  problems.map((p) => ({ ...p, path: [...base, ...p.path], at: [base.join('.'), p.at].filter(Boolean).join('.') }));

/**
 * Checks a signed bundle for this site: trusted signature, right site, a new sequence (unless
 * resuming), flows valid with this runtime's node types. Throws DeployRejected.
 */
export function checkBundleForSite(envelope: unknown, dir: DataDir, state: DeploymentState, registry: NodeRegistry, options: { resuming: boolean; warn?: (m: string) => void }): Checked {
  const verified = verifySignedBundle(envelope, loadTrustedKeys(dir, options.warn));
  if (!verified.ok) throw new DeployRejected(verified.status === 'malformed' ? 422 : 403, verified.status === 'malformed' ? 'invalid-bundle' : verified.problems[0]!.code, verified.problems);
  const { bundle } = verified;
  if (state.site !== null && bundle.site !== state.site) {
    throw new DeployRejected(422, 'wrong-site', [problem('wrong-site', ['bundle', 'site'], {
      zh: `部署包是给站点 “${bundle.site}” 的，本运行时属于站点 “${state.site}”`,
      en: `the bundle is for site "${bundle.site}"; this runtime serves site "${state.site}"`,
    })]);
  }
  if (!options.resuming && bundle.sequence <= state.lastSequence) {
    throw new DeployRejected(409, 'stale-sequence', [problem('stale-sequence', ['bundle', 'sequence'], {
      zh: `序号 ${bundle.sequence} 不大于本站点已接受的最大序号 ${state.lastSequence}：重放的或过期的部署包`,
      en: `sequence ${bundle.sequence} is not above ${state.lastSequence}, the last this site accepted: a replayed or outdated bundle`,
    })]);
  }
  const uplink = checkUplinkPolicy(bundle.uplink);
  if (!uplink.ok) throw new DeployRejected(422, 'invalid-uplink', uplink.problems);
  const materialized = materializeFlows(bundle);
  if (!materialized.ok) throw new DeployRejected(422, 'invalid-flows', materialized.problems);
  // Widgets a dashboard page describes inline run as widget nodes wired from the node they show.
  const flows = withDashboardWidgets(materialized.flows, bundle.dashboards, registry).flows;
  const problems: Problem[] = [];
  flows.forEach((flow, i) => problems.push(...under(['bundle', 'flows', i], validateFlow(flow, registry).problems)));
  if (problems.some((p) => p.severity === 'error')) throw new DeployRejected(422, 'invalid-flows', problems);
  return { bundle, flows, uplink: uplink.policy, hash: verified.hash, keyId: verified.keyId, envelope };
}

/**
 * The site runtime: accepts signed bundles, runs one deployment at a time in an engine, switches
 * atomically (the new engine starts beside the old), keeps the last good bundle, reverts by
 * itself when a new one faults during its probation, and resumes after a restart.
 */
export function createSiteRuntime(options: SiteRuntimeOptions): SiteRuntime {
  const { dir, registry, store, logger } = options;
  const clock = options.clock ?? createSystemClock();
  const probationMs = options.probationMs ?? 10_000;
  ensureDataDir(dir);
  const state: DeploymentState = loadState(dir) ?? emptyState(options.site ?? null);
  if (state.site === null && options.site) state.site = options.site;
  const startedAt = clock.now();
  const listeners = new Set<(e: RuntimeEvent) => void>();
  let current: { engine: Engine; record: DeploymentRecord; uplink: UplinkPolicy; off: () => void } | undefined;
  let probationTimer: unknown;
  let probationUntil: number | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let dashboards: { sequence: number; list: readonly unknown[] } | undefined;

  const emit = (e: RuntimeEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'runtime event listener failed');
      }
    }
  };
  const logEvent = (kind: string, data: Record<string, unknown>) => store.append({ kind, source: 'runtime', at: clock.now(), data });

  /** Deploys, rollbacks and reverts happen one at a time. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  function persist() {
    saveState(dir, state);
  }

  function summary(record: DeploymentRecord): DeploymentSummary {
    const out: DeploymentSummary = { sequence: record.sequence, id: record.id, hash: record.hash, status: record.status, since: record.activatedAt };
    return record.status === 'probation' && probationUntil !== undefined ? { ...out, probationUntil } : out;
  }

  async function startEngine({ bundle, flows, uplink }: Pick<Checked, 'bundle' | 'flows' | 'uplink'>): Promise<Engine> {
    // The uplink takes the new policy first: its nodes find their endpoints when they start.
    await options.uplink?.configure(uplink);
    const engine = createEngine({
      registry,
      clock,
      logger: logger.child({ deployment: bundle.sequence }),
      services: {
        history: store,
        alarms: store,
        events: store,
        ...(options.devices ? { devices: options.devices } : {}),
        ...(options.uplink ? { uplink: options.uplink } : {}),
      },
      stateStore: store,
    });
    try {
      await engine.deploy(flows);
    } catch (err) {
      // The running deployment keeps its own policy.
      await options.uplink?.configure(current?.uplink);
      if (err instanceof EngineDeployError) throw new DeployRejected(422, 'start-failed', under(['bundle'], err.problems));
      throw err;
    }
    return engine;
  }

  function readEnvelope(sequence: number): unknown {
    return JSON.parse(readFileSync(envelopeFile(dir, sequence), 'utf8'));
  }

  function clearProbation() {
    if (probationTimer !== undefined) clock.clearTimeout(probationTimer);
    probationTimer = undefined;
    probationUntil = undefined;
  }

  /** Makes `engine` the running deployment and stops the one before it. */
  async function activate(engine: Engine, record: DeploymentRecord, probation: boolean, uplink: UplinkPolicy): Promise<void> {
    const previous = current;
    clearProbation();
    const off = engine.subscribe((event) => {
      emit(event);
      if (event.type === 'node-error') {
        logEvent('node-fault', { flow: event.flowId, node: event.nodeId, error: event.error, deployment: record.sequence });
        if (record.status === 'probation') void serial(() => revert(record, { zh: `试运行期间节点 ${event.flowId}/${event.nodeId} 出错：${event.error}`, en: `node ${event.flowId}/${event.nodeId} failed during probation: ${event.error}` }));
      }
    });
    current = { engine, record, uplink, off };
    record.activatedAt = clock.now();
    record.status = probation ? 'probation' : 'active';
    state.active = record.sequence;
    persist();
    if (probation) {
      probationUntil = clock.now() + probationMs;
      probationTimer = clock.setTimeout(() => {
        probationTimer = undefined;
        if (current?.record !== record || record.status !== 'probation') return;
        record.status = 'active';
        record.healthyAt = clock.now();
        probationUntil = undefined;
        persist();
        logEvent('deployment-healthy', { sequence: record.sequence, id: record.id });
        emit({ type: 'deployment', event: 'healthy', sequence: record.sequence, id: record.id, at: clock.now() });
      }, probationMs);
    } else {
      record.healthyAt ??= clock.now();
    }
    if (previous) {
      previous.off();
      if (previous.record.status === 'active' || previous.record.status === 'probation') previous.record.status = 'superseded';
      previous.record.endedAt = clock.now();
      persist();
      await previous.engine.stop({ timeoutMs: 5_000 });
    }
  }

  /** The running deployment faulted in probation: go back to the last good one. */
  async function revert(record: DeploymentRecord, reason: Text): Promise<void> {
    if (current?.record !== record || record.status !== 'probation') return;
    const target = lastKnownGood(dir, state, record.sequence);
    logger.warn({ sequence: record.sequence, reason: reason.en, to: target?.sequence }, 'reverting a deployment that faulted in probation');
    if (!target) {
      // Nothing to go back to: keep it running, but say so.
      record.status = 'active';
      record.reason = reason;
      clearProbation();
      persist();
      logEvent('deployment-revert-impossible', { sequence: record.sequence, reason: reason.en });
      return;
    }
    try {
      const checked = checkBundleForSite(readEnvelope(target.sequence), dir, state, registry, { resuming: true });
      const engine = await startEngine(checked);
      record.status = 'reverted';
      record.reason = reason;
      await activate(engine, target, false, checked.uplink);
      logEvent('deployment-reverted', { from: record.sequence, to: target.sequence, reason: reason.en });
      emit({ type: 'deployment', event: 'reverted', sequence: record.sequence, id: record.id, reason, at: clock.now() });
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'revert failed; the faulty deployment keeps running');
      record.status = 'active';
      record.reason = reason;
      clearProbation();
      persist();
    }
  }

  function recordFor(checked: Checked, via: DeploymentRecord['via']): DeploymentRecord {
    return { sequence: checked.bundle.sequence, id: checked.bundle.id, hash: checked.hash, keyId: checked.keyId, status: 'pending', via, acceptedAt: clock.now() };
  }

  async function deploy(envelope: unknown): Promise<DeploymentSummary> {
    if (stopped) throw new DeployRejected(503, 'stopping', []);
    const checked = checkBundleForSite(envelope, dir, state, registry, { resuming: false, warn: (m) => logger.warn(m) });
    const record = recordFor(checked, 'api');
    try {
      writeFileAtomic(envelopeFile(dir, record.sequence), JSON.stringify(envelope));
    } catch (err) {
      throw storageError(err);
    }
    state.site ??= checked.bundle.site;
    state.lastSequence = record.sequence;
    state.history.push(record);
    let engine: Engine;
    try {
      engine = await startEngine(checked);
    } catch (err) {
      record.status = 'failed';
      record.endedAt = clock.now();
      const problems = err instanceof DeployRejected ? err.problems : [problem('start-failed', ['bundle'], { zh: `启动失败：${(err as Error).message}`, en: `failed to start: ${(err as Error).message}` })];
      record.reason = problems[0]?.message;
      persist();
      logEvent('deployment-failed', { sequence: record.sequence, id: record.id, reason: record.reason?.en });
      emit({ type: 'deployment', event: 'failed', sequence: record.sequence, id: record.id, ...(record.reason ? { reason: record.reason } : {}), at: clock.now() });
      throw err instanceof DeployRejected ? err : new DeployRejected(422, 'start-failed', problems);
    }
    try {
      await activate(engine, record, true, checked.uplink);
    } catch (err) {
      await engine.stop();
      throw storageError(err);
    }
    logEvent('deployment-activated', { sequence: record.sequence, id: record.id, hash: record.hash });
    emit({ type: 'deployment', event: 'activated', sequence: record.sequence, id: record.id, at: clock.now() });
    return summary(record);
  }

  async function rollback(): Promise<DeploymentSummary> {
    const active = recordOf(state, state.active);
    const target = lastKnownGood(dir, state, state.active);
    if (!target) {
      throw new DeployRejected(409, 'nothing-to-roll-back-to', [problem('nothing-to-roll-back-to', [], {
        zh: '没有可以回滚到的、此前运行正常的部署包',
        en: 'there is no earlier deployment that ran healthily to roll back to',
      })]);
    }
    const checked = checkBundleForSite(readEnvelope(target.sequence), dir, state, registry, { resuming: true });
    const engine = await startEngine(checked);
    if (active) active.status = 'rolled-back';
    await activate(engine, target, false, checked.uplink);
    logEvent('deployment-rolled-back', { from: active?.sequence, to: target.sequence });
    if (active) emit({ type: 'deployment', event: 'rolled-back', sequence: active.sequence, id: active.id, at: clock.now() });
    return summary(target);
  }

  function storageError(err: unknown): DeployRejected {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new DeployRejected(507, 'storage-full', [problem('storage-full', [], {
        zh: '数据目录所在磁盘已满，部署包未保存；正在运行的部署不受影响',
        en: 'the disk of the data folder is full: the bundle was not saved; the running deployment is untouched',
      })]);
    }
    return new DeployRejected(500, 'storage-error', [problem('storage-error', [], { zh: `无法写入数据目录：${(err as Error).message}`, en: `cannot write the data folder: ${(err as Error).message}` })]);
  }

  return {
    start: () => serial(async () => {
      if (state.active === null) return;
      const tried = new Set<number>();
      let record = recordOf(state, state.active);
      while (record && !tried.has(record.sequence)) {
        tried.add(record.sequence);
        try {
          const checked = checkBundleForSite(readEnvelope(record.sequence), dir, state, registry, { resuming: true, warn: (m) => logger.warn(m) });
          const engine = await startEngine(checked);
          // A bundle that never proved itself (offline deploy, or a crash during probation) gets its probation now.
          await activate(engine, record, record.healthyAt === undefined, checked.uplink);
          logEvent('deployment-resumed', { sequence: record.sequence, id: record.id });
          return;
        } catch (err) {
          const reason: Text = err instanceof DeployRejected && err.problems[0]
            ? err.problems[0].message
            : { zh: `无法启动：${(err as Error).message}`, en: `cannot start: ${(err as Error).message}` };
          logger.error({ sequence: record.sequence, reason: reason.en }, 'the active deployment did not start; trying the last good one');
          record.status = 'failed';
          record.reason = reason;
          record.endedAt = clock.now();
          state.active = null;
          persist();
          logEvent('deployment-failed', { sequence: record.sequence, reason: reason.en });
          record = lastKnownGood(dir, state, record.sequence);
        }
      }
    }),
    deploy: (envelope) => serial(() => deploy(envelope)),
    rollback: () => serial(rollback),
    status() {
      const active = current?.record;
      const good = lastKnownGood(dir, state, state.active);
      return {
        site: state.site,
        startedAt,
        deployment: active ? summary(active) : null,
        lastKnownGood: good ? { sequence: good.sequence, id: good.id } : null,
        lastSequence: state.lastSequence,
        nodes: current?.engine.stats() ?? [],
        devices: options.devices?.status() ?? [],
        uplink: options.uplink?.status() ?? [],
        store: store.stats(),
      };
    },
    deployments: () => [...state.history].reverse(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dashboardSource() {
      if (!current) return null;
      const { sequence } = current.record;
      // Read once per deployment: the envelope on disk is the one this engine was started from.
      if (dashboards?.sequence !== sequence) {
        const bundle = (readEnvelope(sequence) as { bundle?: { dashboards?: unknown } }).bundle;
        const pages = Array.isArray(bundle?.dashboards) ? bundle.dashboards : [];
        // Inline widgets name the widget nodes they become (the same ids whether or not the flows were expanded).
        dashboards = { sequence, list: withDashboardWidgets(current.engine.flows.map((f) => f.flow), pages, registry).dashboards };
      }
      return { sequence, dashboards: dashboards.list, flows: current.engine.flows };
    },
    inspect: (flowId, nodeId) => current?.engine.inspect(flowId, nodeId),
    stop: () => serial(async () => {
      stopped = true;
      clearProbation();
      if (current) {
        current.off();
        await current.engine.stop({ timeoutMs: 5_000 });
      }
      persist();
    }),
  };
}

/**
 * Accepts a bundle into a stopped runtime's folder (a bundle brought on a USB stick), with the
 * same checks as an online deploy. It becomes the active deployment at the next start, on
 * probation: if it does not start, the runtime goes back to the last good one by itself.
 */
export function deployOffline(dir: DataDir, registry: NodeRegistry, envelope: unknown, now: number): DeploymentRecord {
  ensureDataDir(dir);
  const state = loadState(dir) ?? emptyState(null);
  const checked = checkBundleForSite(envelope, dir, state, registry, { resuming: false });
  writeFileAtomic(envelopeFile(dir, checked.bundle.sequence), JSON.stringify(envelope));
  const record: DeploymentRecord = { sequence: checked.bundle.sequence, id: checked.bundle.id, hash: checked.hash, keyId: checked.keyId, status: 'pending', via: 'offline', acceptedAt: now };
  const previous = recordOf(state, state.active);
  if (previous && (previous.status === 'active' || previous.status === 'probation')) {
    previous.status = 'superseded';
    previous.endedAt = now;
  }
  state.site ??= checked.bundle.site;
  state.lastSequence = record.sequence;
  state.active = record.sequence;
  state.history.push(record);
  saveState(dir, state);
  return record;
}
