/**
 * What the preview panel knows of a running preview, built from the API's start answer and its
 * Server-Sent Events by one pure reducer: node stats (the badges on the canvas), the debug list
 * (messages, debug entries, rule logs, node states and errors), alarms, simulated devices.
 * Events carrying an id are replayed after a reconnect: ones already seen are ignored.
 */
import type {
  AlarmRecord, ClockView, DebugEvent, DeviceStateView, MessageEvent, NodeErrorEvent, NodeStateEvent, NodeStatsView,
  PreviewEventName, PreviewInfo, PreviewSnapshot, StoppedEvent,
} from './preview-types';

/** The most debug entries kept (oldest go first). */
export const MAX_ENTRIES = 500;
/** The most alarm transitions kept. */
export const MAX_ALARM_LOG = 200;

export type EntryKind = 'message' | 'debug' | 'log' | 'node-state' | 'node-error';

/** One line of the debug panel. */
export interface DebugEntry {
  /** The event id (unique in a preview). */
  readonly id: number;
  readonly kind: EntryKind;
  readonly flowId: string;
  readonly nodeId: string;
  readonly port?: string;
  readonly at: number;
  readonly topic?: string;
  readonly device?: string;
  readonly quality?: string;
  /** The payload (message), the data (debug, log), the error text, or the new state. */
  readonly value: unknown;
  readonly skipped?: number;
}

export type PreviewStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface PreviewView {
  readonly status: PreviewStatus;
  readonly info: PreviewInfo | undefined;
  readonly clock: ClockView | undefined;
  /** By `flowId/nodeId`. */
  readonly stats: Readonly<Record<string, NodeStatsView>>;
  /** By device name, in the preview's device order. */
  readonly devices: Readonly<Record<string, DeviceStateView>>;
  /** Newest last. */
  readonly entries: readonly DebugEntry[];
  /** Active alarms by `code/device`. */
  readonly activeAlarms: Readonly<Record<string, AlarmRecord>>;
  /** Raised and cleared, newest last. */
  readonly alarmLog: readonly AlarmRecord[];
  /** The highest event id seen (replays up to it are ignored). */
  readonly lastEventId: number;
  /** While paused, new entries are counted, not listed. */
  readonly paused: boolean;
  readonly missedWhilePaused: number;
  readonly stopped: StoppedEvent | undefined;
  /** The connection to the event stream is down (the browser retries). */
  readonly disconnected: boolean;
}

export const INITIAL_VIEW: PreviewView = {
  status: 'idle', info: undefined, clock: undefined, stats: {}, devices: {}, entries: [], activeAlarms: {}, alarmLog: [],
  lastEventId: 0, paused: false, missedWhilePaused: 0, stopped: undefined, disconnected: false,
};

export type PreviewAction =
  | { readonly type: 'starting' }
  | { readonly type: 'started'; readonly info: PreviewInfo }
  | { readonly type: 'start-failed' }
  | { readonly type: 'stopping' }
  | { readonly type: 'event'; readonly event: PreviewEventName; readonly data: unknown; readonly id?: number }
  | { readonly type: 'device'; readonly device: DeviceStateView }
  | { readonly type: 'connection'; readonly up: boolean }
  | { readonly type: 'pause'; readonly paused: boolean }
  | { readonly type: 'clear' }
  | { readonly type: 'reset' }
  /** Several stream events at once (the page takes them in batches, not one render per event). */
  | { readonly type: 'batch'; readonly actions: readonly PreviewAction[] };

export const statsKey = (flowId: string, nodeId: string) => `${flowId}/${nodeId}`;
export const alarmKey = (a: Pick<AlarmRecord, 'code' | 'device'>) => `${a.code}/${a.device ?? ''}`;

function byName(devices: readonly DeviceStateView[], previous: Readonly<Record<string, DeviceStateView>> = {}): Record<string, DeviceStateView> {
  const out: Record<string, DeviceStateView> = { ...previous };
  for (const d of devices) out[d.name] = d;
  return out;
}

function entryOf(event: PreviewEventName, data: unknown, id: number): DebugEntry | undefined {
  switch (event) {
    case 'message': {
      const m = data as MessageEvent;
      return {
        id, kind: 'message', flowId: m.flowId, nodeId: m.nodeId, port: m.port, at: m.at, value: m.msg?.payload,
        ...(m.msg?.topic === undefined ? {} : { topic: m.msg.topic }), ...(m.msg?.device === undefined ? {} : { device: m.msg.device }),
        ...(m.msg?.quality === undefined ? {} : { quality: m.msg.quality }), ...(m.skipped ? { skipped: m.skipped } : {}),
      };
    }
    case 'debug': case 'log': {
      const d = data as DebugEvent;
      const inner = (d.data ?? {}) as { topic?: string; device?: string; quality?: string; value?: unknown };
      const value = event === 'debug' && typeof d.data === 'object' && d.data !== null && 'value' in d.data ? inner.value : d.data;
      return {
        id, kind: event, flowId: d.flowId, nodeId: d.nodeId, at: d.at, value,
        ...(event === 'debug' && typeof inner.topic === 'string' ? { topic: inner.topic } : {}),
        ...(event === 'debug' && typeof inner.device === 'string' ? { device: inner.device } : {}),
        ...(d.skipped ? { skipped: d.skipped } : {}),
      };
    }
    case 'node-state': {
      const s = data as NodeStateEvent;
      return { id, kind: 'node-state', flowId: s.flowId, nodeId: s.nodeId, at: s.at, value: s.text ? `${s.state} · ${s.text}` : s.state };
    }
    case 'node-error': {
      const e = data as NodeErrorEvent;
      return { id, kind: 'node-error', flowId: e.flowId, nodeId: e.nodeId, at: e.at, value: e.error, ...(e.input?.device ? { device: e.input.device } : {}) };
    }
    default:
      return undefined;
  }
}

function withAlarm(state: PreviewView, a: AlarmRecord): PreviewView {
  const key = alarmKey(a);
  const { [key]: _gone, ...rest } = state.activeAlarms;
  return {
    ...state,
    activeAlarms: a.event === 'raised' ? { ...state.activeAlarms, [key]: a } : rest,
    alarmLog: [...state.alarmLog, a].slice(-MAX_ALARM_LOG),
  };
}

function fromSnapshot(state: PreviewView, s: PreviewSnapshot): PreviewView {
  // A snapshot comes first on every connection: it replaces the figures, not the debug list.
  const active = Object.fromEntries(s.alarms.active.map((a) => [alarmKey(a), a]));
  const log = state.alarmLog.length > 0 ? state.alarmLog : [...s.alarms.recent].slice(-MAX_ALARM_LOG);
  return {
    ...state,
    status: state.status === 'stopping' ? 'stopping' : 'running',
    info: s,
    clock: s.clock,
    stats: Object.fromEntries(s.stats.map((n) => [statsKey(n.flowId, n.nodeId), n])),
    devices: byName(s.deviceStates),
    activeAlarms: active,
    alarmLog: log,
    disconnected: false,
  };
}

/** The next view after an action. */
export function previewReducer(state: PreviewView, action: PreviewAction): PreviewView {
  switch (action.type) {
    case 'starting':
      return { ...INITIAL_VIEW, status: 'starting', paused: state.paused };
    case 'started':
      return { ...INITIAL_VIEW, status: 'running', info: action.info, paused: state.paused };
    case 'start-failed':
      return { ...INITIAL_VIEW, paused: state.paused };
    case 'stopping':
      return state.status === 'running' ? { ...state, status: 'stopping' } : state;
    case 'connection':
      return state.disconnected === !action.up ? state : { ...state, disconnected: !action.up };
    case 'pause':
      return { ...state, paused: action.paused, missedWhilePaused: action.paused ? state.missedWhilePaused : 0 };
    case 'clear':
      return { ...state, entries: [], missedWhilePaused: 0 };
    case 'reset':
      return INITIAL_VIEW;
    case 'device':
      return { ...state, devices: byName([action.device], state.devices) };
    case 'event':
      return onEvent(state, action.event, action.data, action.id);
    case 'batch':
      return action.actions.reduce(previewReducer, state);
  }
}

function onEvent(state: PreviewView, event: PreviewEventName, data: unknown, id: number | undefined): PreviewView {
  if (id !== undefined) {
    if (id <= state.lastEventId) return state;
    state = { ...state, lastEventId: id };
  }
  switch (event) {
    case 'preview':
      return fromSnapshot(state, data as PreviewSnapshot);
    case 'stats': {
      const s = data as { clock: ClockView; nodes: readonly NodeStatsView[] };
      return { ...state, clock: s.clock, stats: Object.fromEntries(s.nodes.map((n) => [statsKey(n.flowId, n.nodeId), n])) };
    }
    case 'devices':
      return { ...state, devices: byName((data as { devices: readonly DeviceStateView[] }).devices, state.devices) };
    case 'alarm':
      return withAlarm(state, data as AlarmRecord);
    case 'stopped':
      return { ...state, status: 'stopped', stopped: data as StoppedEvent };
    default: {
      const entry = entryOf(event, data, id ?? state.lastEventId);
      if (!entry) return state;
      // A node's state also shows on its badge at once, before the next stats event.
      const key = statsKey(entry.flowId, entry.nodeId);
      const stats = event === 'node-state' && state.stats[key]
        ? { ...state.stats, [key]: { ...state.stats[key]!, state: (data as NodeStateEvent).state } }
        : state.stats;
      if (state.paused) return { ...state, stats, missedWhilePaused: state.missedWhilePaused + 1 };
      const entries = state.entries.length >= MAX_ENTRIES ? [...state.entries.slice(state.entries.length - MAX_ENTRIES + 1), entry] : [...state.entries, entry];
      return { ...state, stats, entries };
    }
  }
}

/** The entries of one node (or all with no node), newest first, at most `limit`. */
export function visibleEntries(entries: readonly DebugEntry[], filter: { flowId?: string; nodeId?: string; kinds?: readonly EntryKind[] }, limit = 200): DebugEntry[] {
  const out: DebugEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
    const e = entries[i]!;
    if (filter.flowId !== undefined && e.flowId !== filter.flowId) continue;
    if (filter.nodeId !== undefined && e.nodeId !== filter.nodeId) continue;
    if (filter.kinds && !filter.kinds.includes(e.kind)) continue;
    out.push(e);
  }
  return out;
}

/** How many entries each node has in the list, by `flowId/nodeId`. */
export function entryCounts(entries: readonly DebugEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const k = statsKey(e.flowId, e.nodeId);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
