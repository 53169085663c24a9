/**
 * One running preview: a resolved template copy deployed in a real engine inside the studio
 * process, against simulated devices, on a virtual clock that follows the wall clock `speed`
 * times faster. What happens in it (node counters and states, what each node sends, alarms,
 * device states) goes to listeners as events; the most recent are kept for late listeners.
 *
 * Bounded: one sandbox worker with capped rule limits, a capped temporary store (deleted at
 * stop), a budget of messages per node and per second, payloads cut to a size, a fixed number of
 * kept events, and a clock driver that uses at most about half a core whatever the speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { NodeRegistry } from '../../nodes/registry';
import type { AlarmRecord, AlarmService, Message, NodeContext, NodeRuntime, UplinkService } from '../../nodes/sdk';
import { catalogOf } from '../../runtime/devices/profile-catalog';
import { deviceSeed } from '../../runtime/devices/simulator/machine';
import type { VirtualClock } from '../../runtime/engine/clock';
import { createVirtualClock } from '../../runtime/engine/clock';
import type { Engine, EngineEvent } from '../../runtime/engine/engine';
import { createEngine } from '../../runtime/engine/engine';
import type { DeviceProfile, MessageFields, ProfileLookup, ResolvedContent, Text, UplinkPolicy } from '../../runtime/model';
import { commandAllowed } from '../../runtime/model';
import type { SandboxPool } from '../../runtime/sandbox/pool';
import { createSandboxPool } from '../../runtime/sandbox/pool';
import type { SimulatedDevices, SimulatedDeviceSpec } from '../../runtime/scenario';
import { createSimulatedDevices } from '../../runtime/scenario';
import type { Store } from '../../runtime/store';
import { createStore } from '../../runtime/store';

/** How much one preview may take. */
export interface PreviewLimits {
  /** A preview nobody asked about and nobody watches for this long stops by itself. Default 10 min. */
  readonly idleMs: number;
  /** Live previews in the whole studio (one per user). Default 6. */
  readonly maxPreviews: number;
  /** `message`, `debug` and `log` events per node and (wall-clock) second; the rest are counted as skipped. Default 10. */
  readonly messagesPerNodePerSecond: number;
  /** The same for the whole preview. Default 200. */
  readonly messagesPerSecond: number;
  /** Events kept for a listener that connects late or reconnects. Default 1,000. */
  readonly keptEvents: number;
  /** A payload longer than this (as JSON) is cut down to a preview of it. Default 8 KB. */
  readonly maxPayloadBytes: number;
  /** Simulated devices in one preview. Default 100. */
  readonly maxDevices: number;
  /** Highest speed factor. Default 1,000. */
  readonly maxSpeed: number;
  /** Event streams open on one preview at a time. Default 4. */
  readonly maxStreams: number;
}

export const DEFAULT_PREVIEW_LIMITS: PreviewLimits = {
  idleMs: 10 * 60_000,
  maxPreviews: 6,
  messagesPerNodePerSecond: 10,
  messagesPerSecond: 200,
  keptEvents: 1_000,
  maxPayloadBytes: 8_192,
  maxDevices: 100,
  maxSpeed: 1_000,
  maxStreams: 4,
};

/** Rule limits a preview never goes past, whatever a flow's `settings.sandbox` asks for. */
const SANDBOX_CAPS = { deadlineMs: 200, hardLimitMs: 2_000, memoryMb: 64 } as const;
/** The temporary store of a preview stays below this. */
const STORE_MAX_BYTES = 256 * 1024 * 1024;
/** The clock driver moves time this often (wall clock). */
const TICK_MS = 100;
/** A tick never moves time by more than this many ticks' worth: a busy preview slows down rather than piling up. */
const MAX_TICKS_PER_STEP = 5;
/** Work set off by one timer is waited for at most this long before time goes on. */
const SETTLE_MAX_MS = 1_000;
const STATS_EVERY_MS = 1_000;
const RECENT_ALARMS = 100;

export type PreviewBehaviour = 'random' | 'steady';

export interface PreviewNode {
  readonly flowId: string;
  readonly nodeId: string;
  readonly type: string;
  /** The template scenario the flow comes from. */
  readonly scenario: string;
  readonly name?: Text;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface PreviewTag {
  readonly key: string;
  readonly label?: unknown;
  readonly type: string;
  readonly unit?: string;
  readonly access: string;
  readonly min?: number;
  readonly max?: number;
}

export interface PreviewDevice {
  readonly name: string;
  readonly group: string;
  readonly profile: string;
  readonly tags: readonly PreviewTag[];
}

/** What the studio holds a simulated device to, by hand. */
export interface DeviceScripted {
  readonly state: { readonly state: 'running' | 'idle' | 'fault'; readonly faultCode?: number } | null;
  readonly tags: Readonly<Record<string, number | boolean | string>>;
  readonly offline: boolean;
}

export interface DeviceStateView {
  readonly name: string;
  readonly group: string;
  /** As the poller sees it: connecting, online, degraded, offline. */
  readonly health: string;
  /** The machine's own state: running, idle, fault. */
  readonly state: string;
  readonly scripted: DeviceScripted;
  /** What each register shows now (a held value while held). */
  readonly values: Readonly<Record<string, number | boolean | string | null>>;
}

export interface NodeStatsView {
  readonly flowId: string;
  readonly nodeId: string;
  readonly type: string;
  readonly state: string;
  readonly text?: string;
  readonly in: number;
  readonly out: number;
  readonly errors: number;
  readonly dropped: number;
  readonly queued: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly lastError?: { readonly message: string; readonly text?: Text; readonly at: number };
}

export interface ClockView {
  /** The preview's time, ms since the epoch. */
  readonly now: number;
  readonly speed: number;
  /** How fast simulated time actually went over the last few seconds (below `speed` when the preview is too busy). */
  readonly effectiveSpeed: number;
}

export type PreviewEventType = 'stats' | 'devices' | 'message' | 'debug' | 'log' | 'node-state' | 'node-error' | 'alarm' | 'stopped';

export interface PreviewEvent {
  /** Set on kept events (message, debug, log, node-state, node-error, alarm): a stream resumes after it with Last-Event-ID. */
  readonly id?: number;
  readonly event: PreviewEventType;
  readonly data: unknown;
}

export type StopReason = 'deleted' | 'replaced' | 'idle' | 'closed';

/** A device scripted by hand. */
export type DeviceCommand =
  | { readonly kind: 'state'; readonly state: 'running' | 'idle' | 'fault'; readonly faultCode?: number }
  | { readonly kind: 'auto' }
  | { readonly kind: 'tag'; readonly tag: string; readonly value: number | boolean | string | null }
  | { readonly kind: 'offline'; readonly offline: boolean };

export interface PreviewRunOptions {
  readonly content: ResolvedContent;
  readonly registry: NodeRegistry;
  readonly profiles: ProfileLookup;
  readonly speed: number;
  readonly behaviour: PreviewBehaviour;
  readonly seed: number;
  /** Where the preview's clock starts (ms since the epoch). */
  readonly startAt: number;
  readonly logger: Logger;
  readonly limits: PreviewLimits;
}

export interface PreviewRun {
  readonly nodes: readonly PreviewNode[];
  readonly devices: readonly PreviewDevice[];
  readonly stopped: boolean;
  /** Why it stopped (undefined while it runs). */
  readonly stopReason: StopReason | undefined;
  clock(): ClockView;
  stats(): NodeStatsView[];
  deviceStates(): DeviceStateView[];
  /** Alarms raised and not cleared, and the most recent transitions (newest last). */
  alarms(): { active: AlarmRecord[]; recent: AlarmRecord[] };
  /** Kept events after `afterId` (all kept ones without it), oldest first. */
  recent(afterId?: number): PreviewEvent[];
  subscribe(listener: (e: PreviewEvent) => void): () => void;
  /** Puts a message into a node's input. Throws for an unknown node or port (check first). */
  inject(flowId: string, nodeId: string, port: string, fields: MessageFields): void;
  script(device: string, command: DeviceCommand): DeviceStateView;
  stop(reason: StopReason): Promise<void>;
}

/** FNV-1a, so groups sharing a seed still get machines of their own (as the scenario runner does). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A message as events carry it: a payload longer than `max` bytes of JSON is cut down. */
export function messageView(msg: Message, max: number): Record<string, unknown> {
  let payload: unknown = msg.payload;
  let text: string | undefined;
  try {
    text = JSON.stringify(msg.payload);
  } catch {
    payload = { truncated: true, reason: 'not JSON' };
  }
  if (text !== undefined && text.length > max) payload = { truncated: true, bytes: text.length, preview: text.slice(0, Math.min(max, 2_000)) };
  return { ts: msg.ts, topic: msg.topic, payload, ...(msg.device === undefined ? {} : { device: msg.device }), quality: msg.quality };
}

/** Flows with their rule limits held to what a preview allows. */
function capSandbox(flows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return flows.map((flow) => {
    const settings = flow.settings as { sandbox?: Record<string, unknown> } | undefined;
    if (!settings?.sandbox) return flow;
    const sandbox: Record<string, unknown> = { ...settings.sandbox };
    for (const [key, cap] of Object.entries(SANDBOX_CAPS)) {
      const v = sandbox[key];
      if (typeof v === 'number' && v > cap) sandbox[key] = cap;
    }
    return { ...flow, settings: { ...settings, sandbox } };
  });
}

/** A registry whose nodes report every message they send (the debug panel's feed). */
function tappedRegistry(base: NodeRegistry, tap: (ctx: NodeContext, port: string, msg: Message | readonly Message[]) => void): NodeRegistry {
  const wrapped = new Map<string, NodeRuntime<unknown>>();
  return {
    get: (type) => base.get(type),
    types: () => base.types(),
    definitions: () => base.definitions(),
    runtime(type) {
      const inner = base.runtime(type);
      if (!inner) return undefined;
      let w = wrapped.get(type);
      if (!w) {
        w = {
          create: (config, ctx) => inner.create(config, {
            ...ctx,
            send(port, msg) {
              tap(ctx, port, msg);
              return ctx.send(port, msg);
            },
          }),
        };
        wrapped.set(type, w);
      }
      return w;
    },
  };
}

/** Nothing leaves the studio: uplink nodes find their endpoints (from the copy's policy) and queue into nothing. */
function previewUplink(policy: UplinkPolicy): UplinkService {
  const endpoint = (id: string) => policy.endpoints.find((e) => e.id === id);
  return {
    send: (_endpoint, msgs) => ({ queued: msgs.length, refused: 0 }),
    subscribe: () => () => undefined,
    endpointKind: (id) => endpoint(id)?.kind,
    acceptsCommands(id, topic) {
      const e = endpoint(id);
      return e?.kind === 'mqtt' && commandAllowed(e, topic);
    },
  };
}

function tagsOf(profile: DeviceProfile | undefined): PreviewTag[] {
  return (profile?.tags ?? []).map((t) => ({
    key: t.key, type: t.type, access: t.access,
    ...(t.label === undefined ? {} : { label: t.label }),
    ...(t.unit === undefined ? {} : { unit: t.unit }),
    ...(t.min === undefined ? {} : { min: t.min }),
    ...(t.max === undefined ? {} : { max: t.max }),
  }));
}

/** Deploys the content and starts the clock; on any failure nothing is left running (and the error is thrown). */
export async function startPreviewRun(o: PreviewRunOptions): Promise<PreviewRun> {
  const limits = o.limits;
  const content = o.content;
  const clock: VirtualClock = createVirtualClock(o.startAt);
  const listeners = new Set<(e: PreviewEvent) => void>();
  const kept: PreviewEvent[] = [];
  let seq = 0;
  let stopped = false;
  let stopReason: StopReason | undefined;

  const emit = (event: PreviewEventType, data: unknown, keep: boolean) => {
    const e: PreviewEvent = keep ? { id: ++seq, event, data } : { event, data };
    if (keep) {
      kept.push(e);
      if (kept.length > limits.keptEvents) kept.splice(0, kept.length - limits.keptEvents);
    }
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        o.logger.warn({ err }, 'preview listener failed');
      }
    }
  };

  // Per-node and overall budgets of live messages, per wall-clock second.
  const budgets = new Map<string, { second: number; sent: number; skipped: number }>();
  let overall = { second: 0, sent: 0 };
  const admit = (key: string): { ok: boolean; skipped: number } => {
    const second = Math.floor(Date.now() / 1000);
    let b = budgets.get(key);
    if (!b) budgets.set(key, (b = { second, sent: 0, skipped: 0 }));
    if (b.second !== second) {
      b.second = second;
      b.sent = 0;
    }
    if (overall.second !== second) overall = { second, sent: 0 };
    if (b.sent >= limits.messagesPerNodePerSecond || overall.sent >= limits.messagesPerSecond) {
      b.skipped++;
      return { ok: false, skipped: 0 };
    }
    b.sent++;
    overall.sent++;
    const skipped = b.skipped;
    b.skipped = 0;
    return { ok: true, skipped };
  };

  const tap = (ctx: NodeContext, port: string, msg: Message | readonly Message[]) => {
    if (stopped) return;
    try {
      const list = Array.isArray(msg) ? msg as readonly Message[] : [msg as Message];
      for (const m of list) {
        const a = admit(`${ctx.flowId}/${ctx.nodeId}`);
        if (!a.ok) continue;
        emit('message', { flowId: ctx.flowId, nodeId: ctx.nodeId, port, at: clock.now(), msg: messageView(m, limits.maxPayloadBytes), ...(a.skipped ? { skipped: a.skipped } : {}) }, true);
      }
    } catch (err) {
      o.logger.warn({ err }, 'preview tap failed');
    }
  };

  // Simulated devices: the copy's, in group order, each group seeded on its own.
  const groupOf = new Map<string, string>();
  const specs: SimulatedDeviceSpec[] = [];
  const devices: PreviewDevice[] = [];
  for (const g of content.devices) {
    const groupSeed = o.seed ^ hash(g.group);
    const tags = tagsOf(o.profiles(g.profile));
    g.entries.forEach((entry, i) => {
      groupOf.set(entry.name, g.group);
      specs.push({ entry, seed: deviceSeed(groupSeed, i), behaviour: o.behaviour, stepMs: 1000 });
      devices.push({ name: entry.name, group: g.group, profile: g.profile, tags });
    });
  }
  const profileCatalog = catalogOf([...new Set(content.devices.map((g) => g.profile))].map((id) => o.profiles(id)).filter((p) => p !== undefined));
  const scripted = new Map<string, { state: DeviceScripted['state']; tags: Map<string, number | boolean | string>; offline: boolean }>();
  for (const d of devices) scripted.set(d.name, { state: null, tags: new Map(), offline: false });

  const recentAlarms: AlarmRecord[] = [];
  const activeAlarms = new Map<string, AlarmRecord>();

  let sim: SimulatedDevices | undefined;
  let pool: SandboxPool | undefined;
  let store: Store | undefined;
  let engine: Engine | undefined;
  let off: (() => void) | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-preview-'));
  const release = async () => {
    off?.();
    sim?.close();
    await pool?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    sim = createSimulatedDevices({ clock, devices: specs, profiles: profileCatalog, stepMs: 1000 });
    pool = createSandboxPool({ workers: 1, logger: o.logger.child({ part: 'preview-sandbox' }) });
    store = createStore({ file: join(dir, 'preview.db'), maxSizeBytes: STORE_MAX_BYTES });
    const site = store;
    const alarmList: AlarmService = {
      record(a) {
        site.record(a);
        const key = `${a.code}/${a.device ?? ''}`;
        if (a.event === 'raised') activeAlarms.set(key, a);
        else activeAlarms.delete(key);
        recentAlarms.push(a);
        if (recentAlarms.length > RECENT_ALARMS) recentAlarms.shift();
        emit('alarm', a, true);
      },
    };
    engine = createEngine({
      registry: tappedRegistry(o.registry, tap),
      clock,
      logger: o.logger.child({ part: 'preview-engine' }),
      sandbox: pool,
      services: { history: site, alarms: alarmList, events: site, devices: sim, uplink: previewUplink(content.uplink) },
      stateStore: site,
    });
    const eng = engine;
    off = eng.subscribe((ev: EngineEvent) => {
      if (stopped) return;
      if (ev.type === 'node-state') emit('node-state', { flowId: ev.flowId, nodeId: ev.nodeId, state: ev.state, ...(ev.text === undefined ? {} : { text: ev.text }), at: ev.at }, true);
      else if (ev.type === 'node-error') {
        emit('node-error', { flowId: ev.flowId, nodeId: ev.nodeId, error: ev.error, ...(ev.input ? { input: messageView(ev.input, limits.maxPayloadBytes) } : {}), at: ev.at }, true);
      } else if (ev.type === 'node-event' && (ev.kind === 'debug' || ev.kind === 'log')) {
        const a = admit(`${ev.flowId}/${ev.nodeId}`);
        if (!a.ok) return;
        let data: unknown = ev.data;
        try {
          const text = JSON.stringify(ev.data) ?? 'null';
          if (text.length > limits.maxPayloadBytes) data = { truncated: true, bytes: text.length, preview: text.slice(0, 2_000) };
        } catch {
          data = { truncated: true, reason: 'not JSON' };
        }
        emit(ev.kind, { flowId: ev.flowId, nodeId: ev.nodeId, at: ev.at, data, ...(a.skipped ? { skipped: a.skipped } : {}) }, true);
      }
    });
    await eng.deploy(capSandbox(content.flows));
  } catch (err) {
    stopped = true;
    await engine?.stop({ timeoutMs: 2_000, drainMs: 200 }).catch(() => undefined);
    await release();
    throw err;
  }
  const eng = engine;
  const devicesService = sim;

  const scenarioOf = new Map(content.flows.map((f, i) => [String(f.id), content.scenarios[i] ?? '']));
  const nodes: PreviewNode[] = eng.flows.flatMap((f) => f.nodes.filter((n) => !n.node.disabled).map((n) => ({
    flowId: f.flow.id,
    nodeId: n.node.id,
    type: n.spec.type,
    scenario: scenarioOf.get(f.flow.id) ?? '',
    ...(n.node.name === undefined ? {} : { name: n.node.name as Text }),
    inputs: [...n.inputs],
    outputs: [...n.outputs],
  })));

  // The clock follows the wall clock `speed` times faster, in ticks; a busy preview rests as long as it worked.
  const settle = () => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, SETTLE_MAX_MS);
    void eng.idle().then(() => {
      clearTimeout(t);
      resolve();
    });
  });
  const startedWall = performance.now();
  const samples: { wall: number; virtual: number }[] = [{ wall: startedWall, virtual: clock.now() }];
  const driving = (async () => {
    let last = performance.now();
    // Whole milliseconds of simulated time a step; the fraction is carried to the next.
    let carry = 0;
    while (!stopped) {
      await sleep(TICK_MS);
      if (stopped) break;
      const t = performance.now();
      const due = Math.min((t - last) * o.speed + carry, TICK_MS * MAX_TICKS_PER_STEP * o.speed);
      const step = Math.floor(due);
      carry = due - step;
      last = t;
      try {
        await clock.advance(step, settle);
      } catch (err) {
        o.logger.warn({ err }, 'preview clock step failed');
      }
      const spent = performance.now() - t;
      if (spent > TICK_MS && !stopped) await sleep(spent - TICK_MS);
    }
  })();

  const clockView = (): ClockView => {
    const now = performance.now();
    const first = samples[0]!;
    const effectiveSpeed = now - first.wall > 0 ? (clock.now() - first.virtual) / (now - first.wall) : o.speed;
    return { now: clock.now(), speed: o.speed, effectiveSpeed: Math.round(effectiveSpeed * 100) / 100 };
  };

  const stats = (): NodeStatsView[] => eng.stats().map((s) => ({
    flowId: s.flowId, nodeId: s.nodeId, type: s.type, state: s.state, ...(s.text === undefined ? {} : { text: s.text }),
    in: s.in, out: s.out, errors: s.errors, dropped: s.dropped, queued: s.queued,
    meanMs: Math.round(s.meanMs * 1000) / 1000, p99Ms: Math.round(s.p99Ms * 1000) / 1000,
    ...(s.lastError ? { lastError: s.lastError } : {}),
  }));

  const deviceState = (d: PreviewDevice): DeviceStateView => {
    const m = devicesService.machine(d.name);
    const s = scripted.get(d.name)!;
    const values: Record<string, number | boolean | string | null> = {};
    for (const t of d.tags) values[t.key] = m.value(t.key) ?? null;
    return {
      name: d.name, group: d.group, health: devicesService.health(d.name) ?? 'connecting', state: m.state,
      scripted: { state: s.state, tags: Object.fromEntries(s.tags), offline: s.offline },
      values,
    };
  };
  const deviceStates = () => devices.map(deviceState);

  let lastDevices = '';
  const ticker = setInterval(() => {
    if (stopped) return;
    const now = performance.now();
    samples.push({ wall: now, virtual: clock.now() });
    while (samples.length > 5) samples.shift();
    emit('stats', { clock: clockView(), nodes: stats() }, false);
    const states = deviceStates();
    const text = JSON.stringify(states);
    if (text !== lastDevices) {
      lastDevices = text;
      emit('devices', { at: clock.now(), devices: states }, false);
    }
  }, STATS_EVERY_MS);
  ticker.unref();

  return {
    nodes,
    devices,
    get stopped() {
      return stopped;
    },
    get stopReason() {
      return stopReason;
    },
    clock: clockView,
    stats,
    deviceStates,
    alarms: () => ({ active: [...activeAlarms.values()], recent: [...recentAlarms] }),
    recent: (afterId) => (afterId === undefined ? [...kept] : kept.filter((e) => (e.id ?? 0) > afterId)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    inject(flowId, nodeId, port, fields) {
      eng.inject(flowId, nodeId, fields, port);
    },
    script(name, command) {
      const d = devices.find((x) => x.name === name);
      if (!d) throw new Error(`no simulated device "${name}"`);
      const m = devicesService.machine(name);
      const s = scripted.get(name)!;
      switch (command.kind) {
        case 'state':
          m.force(command.state, command.faultCode === undefined ? {} : { faultCode: command.faultCode });
          s.state = command.faultCode === undefined ? { state: command.state } : { state: command.state, faultCode: command.faultCode };
          break;
        case 'auto':
          if (o.behaviour === 'steady') m.force('running');
          else m.release('running');
          s.state = null;
          break;
        case 'tag':
          if (command.value === null) {
            m.unhold(command.tag);
            s.tags.delete(command.tag);
          } else {
            m.hold(command.tag, command.value);
            s.tags.set(command.tag, command.value);
          }
          break;
        case 'offline':
          devicesService.setOffline(name, command.offline);
          s.offline = command.offline;
          break;
      }
      const view = deviceState(d);
      // Listeners see the change now, not at the next tick.
      lastDevices = '';
      emit('devices', { at: clock.now(), devices: deviceStates() }, false);
      return view;
    },
    async stop(reason) {
      if (stopped) return;
      stopped = true;
      stopReason = reason;
      clearInterval(ticker);
      await driving;
      emit('stopped', { reason, at: clock.now() }, false);
      listeners.clear();
      try {
        await eng.stop({ timeoutMs: 2_000, drainMs: 500 });
      } catch (err) {
        o.logger.warn({ err }, 'preview engine did not stop cleanly');
      }
      await release();
    },
  };
}
