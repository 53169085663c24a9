import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import type { MachineState, OeeConfig } from './definition';
import { oeeDefinition } from './definition';

export interface OeeFigures {
  readonly start: number;
  readonly end: number;
  /** True for the figures of a window that just closed (shift end); false for a running update. */
  readonly final: boolean;
  readonly shift?: string;
  /** Run time over planned production time. */
  readonly availability: number | null;
  /** Ideal cycle time × parts over run time (above 1 means the ideal cycle time is set too long). */
  readonly performance: number | null;
  /** Good parts over all parts. */
  readonly quality: number | null;
  readonly oee: number | null;
  readonly runMs: number;
  readonly plannedMs: number;
  readonly stopMs: { readonly idle: number; readonly fault: number; readonly offline: number; readonly plannedStop: number };
  readonly total: number;
  readonly good: number;
}

interface Counter {
  last?: number;
  sum: number;
}

/** One device's window: time per state, and counts from its counters. */
interface Window {
  readonly device: string | undefined;
  start: number;
  shift: string | undefined;
  /** Time accounted up to here. */
  accountedTo: number;
  lastSeen: number;
  state: MachineState;
  readonly ms: Record<MachineState, number>;
  readonly total: Counter;
  readonly good: Counter;
  readonly reject: Counter;
}

const zero = (): Record<MachineState, number> => ({ running: 0, idle: 0, fault: 0, 'planned-stop': 0, offline: 0 });

/** Adds the increase of a running counter; a drop means the counter restarted from zero. */
function count(c: Counter, value: number): void {
  if (c.last !== undefined) c.sum += value >= c.last ? value - c.last : value;
  c.last = value;
}

/** The OEE figures of a window, the way the industry defines them. */
export function figuresOf(w: Pick<Window, 'start' | 'ms' | 'total' | 'good' | 'reject' | 'shift'>, end: number, config: Pick<OeeConfig, 'idealCycleSec' | 'goodProperty' | 'rejectProperty'>, final: boolean): OeeFigures {
  const plannedMs = Math.max(0, end - w.start - w.ms['planned-stop']);
  const runMs = w.ms.running;
  const total = w.total.sum;
  const good = config.goodProperty ? Math.min(w.good.sum, total) : config.rejectProperty ? Math.max(0, total - w.reject.sum) : total;
  const availability = plannedMs > 0 ? runMs / plannedMs : null;
  const performance = runMs > 0 ? (config.idealCycleSec * 1000 * total) / runMs : null;
  const quality = total > 0 ? good / total : null;
  const oee = availability !== null && performance !== null && quality !== null ? availability * performance * quality : null;
  return {
    start: w.start,
    end,
    final,
    ...(w.shift === undefined ? {} : { shift: w.shift }),
    availability,
    performance,
    quality,
    oee,
    runMs,
    plannedMs,
    stopMs: { idle: w.ms.idle, fault: w.ms.fault, offline: w.ms.offline, plannedStop: w.ms['planned-stop'] },
    total,
    good,
  };
}

export const oee = defineNode(oeeDefinition, (config, ctx) => {
  const windows = new Map<string, Window>();
  let timer: unknown;
  let shift: string | undefined;

  const mapState = (value: unknown): MachineState => config.stateMap[String(value)] ?? 'idle';

  /** Time from where it was accounted to `to`, in the last known state; silence past the limit (if set) is offline. */
  function account(w: Window, to: number) {
    if (to <= w.accountedTo) return;
    const silentFrom = config.offlineAfterMs === undefined ? Infinity : w.lastSeen + config.offlineAfterMs;
    const split = Math.min(Math.max(w.accountedTo, silentFrom), to);
    w.ms[w.state] += split - w.accountedTo;
    w.ms.offline += to - split;
    w.accountedTo = to;
  }

  function windowOf(msg: Message): Window {
    const key = msg.device ?? '';
    let w = windows.get(key);
    if (!w) {
      w = { device: msg.device, start: msg.ts, shift, accountedTo: msg.ts, lastSeen: msg.ts, state: 'offline', ms: zero(), total: { sum: 0 }, good: { sum: 0 }, reject: { sum: 0 } };
      windows.set(key, w);
    }
    return w;
  }

  const send = (w: Window, end: number, final: boolean) => {
    ctx.send('out', ctx.message({ ts: end, topic: 'oee', device: w.device, payload: figuresOf(w, end, config, final) }));
  };

  function emitAll(final: boolean, end: number) {
    for (const w of windows.values()) {
      account(w, end);
      send(w, end, final);
    }
  }

  const tick = () => {
    emitAll(false, ctx.clock.now());
    timer = ctx.clock.setTimeout(tick, config.emitEveryMs);
  };

  function readNumber(msg: Message, path: string | undefined): number | undefined {
    if (path === undefined) return undefined;
    const v = readPath(msg, path);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  return {
    start() {
      timer = ctx.clock.setTimeout(tick, config.emitEveryMs);
    },
    onMessage(msg, port) {
      if (port === 'reset') {
        const end = ctx.clock.now();
        const p = msg.payload as { shift?: unknown; previous?: unknown } | null;
        emitAll(true, end);
        shift = p && typeof p === 'object' && typeof p.shift === 'string' ? p.shift : undefined;
        for (const w of windows.values()) {
          w.start = end;
          w.shift = shift;
          for (const k of Object.keys(w.ms) as MachineState[]) w.ms[k] = 0;
          w.total.sum = 0;
          w.good.sum = 0;
          w.reject.sum = 0;
        }
        return;
      }
      const w = windowOf(msg);
      account(w, msg.ts);
      // Bad quality: the device did not answer; it is offline until it does.
      if (msg.quality === 'bad') {
        w.state = 'offline';
        return;
      }
      const state = readPath(msg, config.stateProperty);
      if (state !== undefined) w.state = mapState(state);
      const total = readNumber(msg, config.totalProperty);
      if (total !== undefined) count(w.total, total);
      const good = readNumber(msg, config.goodProperty);
      if (good !== undefined) count(w.good, good);
      const reject = readNumber(msg, config.rejectProperty);
      if (reject !== undefined) count(w.reject, reject);
      w.lastSeen = msg.ts;
    },
    stop() {
      ctx.clock.clearTimeout(timer);
    },
    inspect() {
      const now = ctx.clock.now();
      return Object.fromEntries([...windows].map(([k, w]) => {
        account(w, now);
        return [k, { state: w.state, ...figuresOf(w, now, config, false) }];
      }));
    },
  };
});
