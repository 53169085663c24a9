import { defineNode, requireService } from '../../sdk';
import type { DeviceUpdate, DeviceValue, Message, Quality } from '../../sdk';
import { modbusReadDefinition } from './definition';

const RANK: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };

/** What the node last reported of one device, to judge change against. */
interface Reported {
  values: DeviceValue[];
  qualities: Quality[];
}

export interface ModbusReadInspect {
  devices: Record<string, { health: string; values: Record<string, DeviceValue>; qualities: Record<string, Quality> }>;
  /** Updates not reported one by one because downstream was full (coalesced into the next). */
  coalesced: number;
}

/**
 * A function building `{ key: values[i] }` for a fixed key list. A literal with fixed keys is
 * several times faster to build (and to freeze) than 100 stores under changing names, and a
 * snapshot is built after every poll. Keys go through JSON.stringify, so any key is safe.
 */
function objectBuilder(keys: readonly string[]): (values: readonly DeviceValue[]) => Record<string, DeviceValue> {
  return new Function('v', `return {${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(',')}};`) as (values: readonly DeviceValue[]) => Record<string, DeviceValue>;
}

function changed(prev: DeviceValue, next: DeviceValue, deadband: number): boolean {
  if (typeof prev === 'number' && typeof next === 'number') return Math.abs(next - prev) > deadband || (deadband === 0 && next !== prev);
  return prev !== next;
}

export const modbusRead = defineNode(modbusReadDefinition, (config, ctx) => {
  const devices = requireService(ctx, 'devices');
  const handle = devices.open({ owner: `${ctx.flowId}/${ctx.nodeId}`, devices: config.devices, tags: config.tags });
  const everyPoll = config.report === 'every-poll';
  const perTag = config.output === 'per-tag';
  const reported = new Map<string, Reported>();
  const deadbands = new Map<string, number[]>();
  const builders = new Map<readonly string[], (values: readonly DeviceValue[]) => Record<string, DeviceValue>>();
  const waiting = new Map<string, DeviceUpdate>();
  let blocked = false;
  let coalesced = 0;
  let unsubscribe: (() => void)[] = [];

  const deadbandsOf = (u: DeviceUpdate) => {
    let list = deadbands.get(u.device);
    if (!list) {
      list = u.tags.map((t) => config.deadbands[t] ?? config.deadband ?? handle.tagInfo(u.device, t)?.deadband ?? 0);
      deadbands.set(u.device, list);
    }
    return list;
  };

  /** Builds the messages for one update; remembers what it reported. */
  function messagesFor(u: DeviceUpdate): Message[] {
    const prev = reported.get(u.device);
    const bands = deadbandsOf(u);
    const n = u.tags.length;
    const out: Message[] = [];
    if (perTag) {
      for (let i = 0; i < n; i++) {
        if (!everyPoll && prev && prev.qualities[i] === u.qualities[i] && !changed(prev.values[i]!, u.values[i]!, bands[i]!)) continue;
        if (everyPoll && !u.fresh[i] && prev) continue;
        out.push(ctx.message({ ts: u.readAt[i] || u.ts, topic: `${u.device}/${u.tags[i]}`, device: u.device, payload: u.values[i], quality: u.qualities[i] }));
        if (prev) {
          prev.values[i] = u.values[i]!;
          prev.qualities[i] = u.qualities[i]!;
        }
      }
      if (!prev) reported.set(u.device, { values: [...u.values], qualities: [...u.qualities] });
      return out;
    }
    let any = everyPoll || !prev;
    if (!any) {
      for (let i = 0; i < n; i++) {
        if (prev!.qualities[i] !== u.qualities[i] || changed(prev!.values[i]!, u.values[i]!, bands[i]!)) {
          any = true;
          break;
        }
      }
    }
    if (!any) return out;
    let build = builders.get(u.tags);
    if (!build) builders.set(u.tags, (build = objectBuilder(u.tags)));
    // Values are primitives: a shallow freeze is the deep freeze a message needs, done here once.
    const payload = Object.freeze(build(u.values));
    let worst: Quality = 'good';
    for (let i = 0; i < n; i++) {
      const q = u.qualities[i]!;
      if (q !== 'good' && RANK[q] > RANK[worst]) worst = q;
    }
    out.push(ctx.message({ ts: u.ts, topic: u.device, device: u.device, payload, quality: worst }));
    if (prev && !everyPoll) {
      // Against the reported value, so slow drift is reported once it adds up past the deadband.
      for (let i = 0; i < n; i++) {
        if (prev.qualities[i] !== u.qualities[i] || changed(prev.values[i]!, u.values[i]!, bands[i]!)) {
          prev.values[i] = u.values[i]!;
          prev.qualities[i] = u.qualities[i]!;
        }
      }
    } else reported.set(u.device, { values: [...u.values], qualities: [...u.qualities] });
    return out;
  }

  function flushWaiting() {
    blocked = false;
    const pending = [...waiting.values()];
    waiting.clear();
    for (const u of pending) onUpdate(u);
  }

  function onUpdate(u: DeviceUpdate) {
    if (blocked) {
      // Keep only the latest state per device: memory stays bounded whatever the poll rate.
      if (waiting.has(u.device)) coalesced++;
      waiting.set(u.device, u);
      return;
    }
    const msgs = messagesFor(u);
    if (msgs.length === 0) return;
    if (!ctx.send('out', msgs.length === 1 ? msgs[0]! : msgs)) {
      blocked = true;
      void ctx.whenReady().then(flushWaiting);
    }
  }

  return {
    start() {
      unsubscribe = [
        handle.onUpdate(onUpdate),
        handle.onHealth((c) => {
          ctx.send('health', ctx.message({ ts: c.at, topic: `${c.device}/health`, device: c.device, payload: { health: c.to, from: c.from, reason: c.reason } }));
          const states = handle.devices.map((d) => handle.health(d));
          const bad = states.filter((s) => s === 'offline').length;
          if (bad > 0) ctx.status('warning', `${bad} 台离线 / ${bad} offline`);
          else ctx.status('running', undefined);
        }),
      ];
      // Devices already polled (by an earlier deployment) report their current values now.
      for (const d of handle.devices) {
        const latest = handle.latest(d);
        if (latest) onUpdate(latest);
      }
    },
    stop() {
      for (const u of unsubscribe) u();
      unsubscribe = [];
      handle.close();
    },
    inspect(): ModbusReadInspect {
      const out: ModbusReadInspect['devices'] = {};
      for (const d of handle.devices) {
        const u = handle.latest(d);
        out[d] = {
          health: handle.health(d) ?? 'unknown',
          values: u ? Object.fromEntries(u.tags.map((t, i) => [t, u.values[i]!])) : {},
          qualities: u ? Object.fromEntries(u.tags.map((t, i) => [t, u.qualities[i]!])) : {},
        };
      }
      return { devices: out, coalesced };
    },
  };
});
