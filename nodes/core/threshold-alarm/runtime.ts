import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import type { Severity } from './definition';
import { thresholdAlarmDefinition } from './definition';

export type AlarmKind = 'high' | 'low';

/** `raising` and `clearing` wait for the on and off delays to run out. */
type Phase = 'normal' | 'raising' | 'active' | 'clearing';

interface Side {
  phase: Phase;
  timer: unknown;
  raisedAt: number;
}

/** The alarm state of one device (or of the whole node when `perDevice` is off). */
interface Watch {
  readonly key: string;
  device: string | undefined;
  /** The last good value seen; alarms raised or cleared by a timer report it. */
  value: number;
  readonly high: Side;
  readonly low: Side;
}

export interface AlarmPayload {
  event: 'raised' | 'cleared';
  code: string;
  kind: AlarmKind;
  severity: Severity;
  value: number;
  limit: number;
  raisedAt: number;
  text?: { zh: string; en: string };
}

export interface ActiveAlarm {
  code: string;
  kind: AlarmKind;
  severity: Severity;
  device?: string;
  value: number;
  limit: number;
  raisedAt: number;
  /** Back to normal, waiting for the off delay. */
  clearing: boolean;
}

export interface ThresholdAlarmInspect {
  /** Active alarms by device; messages without a device, or all of them when `perDevice` is off, are under "". */
  active: Record<string, ActiveAlarm[]>;
  /** Messages of quality `bad`, which never raise or clear an alarm. */
  ignoredBad: number;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  return String(value);
}

export const thresholdAlarm = defineNode(thresholdAlarmDefinition, (config, ctx) => {
  const { high, low, hysteresis, onDelayMs, offDelayMs, severity, code, text, perDevice, property } = config;
  const kinds: AlarmKind[] = [...(high === undefined ? [] : ['high' as const]), ...(low === undefined ? [] : ['low' as const])];
  const watches = new Map<string, Watch>();
  let ignoredBad = 0;

  const limit = (kind: AlarmKind) => (kind === 'high' ? high! : low!);
  const violates = (kind: AlarmKind, v: number) => (kind === 'high' ? v > high! : v < low!);
  const beyondOpposite = (kind: AlarmKind, v: number) => (kind === 'high' ? low !== undefined && v < low : high !== undefined && v > high);
  const clears = (kind: AlarmKind, v: number) => (kind === 'high' ? v < high! - hysteresis : v > low! + hysteresis) || beyondOpposite(kind, v);

  function isActive(side: Side) {
    return side.phase === 'active' || side.phase === 'clearing';
  }

  function showStatus() {
    let n = 0;
    for (const w of watches.values()) for (const kind of kinds) if (isActive(w[kind])) n++;
    if (n === 0) ctx.status('running', undefined);
    else ctx.status('warning', `${n} 个报警 / ${n} active`);
  }

  function transition(w: Watch, kind: AlarmKind, event: 'raised' | 'cleared') {
    const side = w[kind];
    const now = ctx.clock.now();
    if (side.timer !== undefined) ctx.clock.clearTimeout(side.timer);
    side.timer = undefined;
    if (event === 'raised') side.raisedAt = now;
    side.phase = event === 'raised' ? 'active' : 'normal';
    const payload: AlarmPayload = { event, code, kind, severity, value: w.value, limit: limit(kind), raisedAt: side.raisedAt };
    if (text) payload.text = text;
    ctx.send('alarm', ctx.message({ ts: now, topic: `alarm/${code}`, device: w.device, payload }));
    // The site's alarm list (active alarms, acknowledgements) when the runtime keeps one.
    ctx.services.alarms?.record({
      event, code, kind, severity, value: w.value, limit: limit(kind), at: now, source: `${ctx.flowId}/${ctx.nodeId}`,
      ...(w.device === undefined ? {} : { device: w.device }),
      ...(text ? { text } : {}),
    });
  }

  /** After a timer: a watch with nothing active or pending is forgotten, so idle devices cost nothing. */
  function settle(w: Watch) {
    if (kinds.every((k) => w[k].phase === 'normal')) watches.delete(w.key);
    showStatus();
  }

  function wait(w: Watch, kind: AlarmKind, phase: 'raising' | 'clearing', ms: number) {
    const side = w[kind];
    side.phase = phase;
    side.timer = ctx.clock.setTimeout(() => {
      side.timer = undefined;
      transition(w, kind, phase === 'raising' ? 'raised' : 'cleared');
      settle(w);
    }, ms);
  }

  function cancel(side: Side, back: Phase) {
    if (side.timer !== undefined) ctx.clock.clearTimeout(side.timer);
    side.timer = undefined;
    side.phase = back;
  }

  function evaluate(w: Watch, kind: AlarmKind) {
    const side = w[kind];
    const v = w.value;
    switch (side.phase) {
      case 'normal':
        if (!violates(kind, v)) return;
        if (onDelayMs === 0) transition(w, kind, 'raised');
        else wait(w, kind, 'raising', onDelayMs);
        return;
      case 'raising':
        if (!violates(kind, v)) cancel(side, 'normal');
        return;
      case 'active':
        if (!clears(kind, v)) return;
        // Off delay keeps an alarm from chattering around its limit; a value past the opposite
        // limit is no such case, and the opposite alarm must not stand beside this one.
        if (offDelayMs === 0 || beyondOpposite(kind, v)) transition(w, kind, 'cleared');
        else wait(w, kind, 'clearing', offDelayMs);
        return;
      case 'clearing':
        if (!clears(kind, v)) cancel(side, 'active');
        else if (beyondOpposite(kind, v)) transition(w, kind, 'cleared');
        return;
    }
  }

  return {
    onMessage(msg: Message) {
      if (msg.quality === 'bad') {
        ignoredBad++;
      } else {
        const value = readPath(msg, property);
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          ctx.reportError(new Error(`${property} 不是数字（${describe(value)}） / ${property} is not a number (${describe(value)})`), msg);
        } else {
          const key = perDevice ? msg.device ?? '' : '';
          let w = watches.get(key);
          if (!w) {
            w = { key, device: msg.device, value, high: { phase: 'normal', timer: undefined, raisedAt: 0 }, low: { phase: 'normal', timer: undefined, raisedAt: 0 } };
            watches.set(key, w);
          }
          w.device = msg.device;
          w.value = value;
          // Clear before raise, so a jump from one limit past the other reads in order.
          const order = [...kinds].sort((a, b) => Number(isActive(w![b])) - Number(isActive(w![a])));
          for (const kind of order) evaluate(w, kind);
          settle(w);
        }
      }
      ctx.send('out', msg);
    },

    inspect(): ThresholdAlarmInspect {
      const active: Record<string, ActiveAlarm[]> = {};
      for (const w of watches.values()) {
        for (const kind of kinds) {
          const side = w[kind];
          if (!isActive(side)) continue;
          const alarm: ActiveAlarm = { code, kind, severity, value: w.value, limit: limit(kind), raisedAt: side.raisedAt, clearing: side.phase === 'clearing' };
          if (w.device !== undefined) alarm.device = w.device;
          (active[w.key] ??= []).push(alarm);
        }
      }
      return { active, ignoredBad };
    },
  };
});
