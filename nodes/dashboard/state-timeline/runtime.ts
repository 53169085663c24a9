import { defineNode } from '../../sdk';
import type { MachineState } from '../machine-state';
import { stateOf } from '../machine-state';
import { createWidgetPublisher, deviceNames } from '../widget-kit';
import { append, set } from '../widget-patch';
import type { PatchOp, View } from '../widget-patch';
import { stateTimelineDefinition } from './definition';

/** `[start, state]`: the state from `start` until the next segment (or now). */
export type Segment = readonly [number, MachineState];

export interface StateTimelineView {
  /** `shift`: from a shift start for `windowMs`; `rolling`: the latest `windowMs`. */
  readonly mode: 'shift' | 'rolling';
  readonly from: number;
  readonly windowMs: number;
  readonly shift?: string | null;
  readonly devices: readonly string[];
  readonly segments: Readonly<Record<string, readonly Segment[]>>;
}

interface Device {
  state?: MachineState;
  lastSeen: number;
}

/** Saved so a restart in the middle of a shift does not blank the timeline. */
const SAVE_EVERY_MS = 10_000;
/** How often a rolling window moves its start forward. */
const SLIDE_EVERY_MS = 60_000;

export const stateTimeline = defineNode(stateTimelineDefinition, (config, ctx) => {
  const now = () => ctx.clock.now();
  const devices = new Map<string, Device>();
  const saved = ctx.services.state?.load() as StateTimelineView | undefined;
  // A saved view is taken back only while it still covers now (same shift, or the rolling window).
  const usable = saved && Array.isArray(saved.devices) && typeof saved.from === 'number' && now() - saved.from < config.windowMs;
  const initial: View = usable
    ? { ...saved }
    : { mode: 'rolling', from: now() - config.windowMs, windowMs: config.windowMs, shift: null, devices: deviceNames(config.devices), segments: {} };
  const out = createWidgetPublisher(ctx, config.refreshMs, initial);
  for (const name of out.view.devices as string[]) devices.set(name, { lastSeen: -Infinity });
  if (usable) {
    for (const [name, segs] of Object.entries(saved.segments)) {
      const last = segs[segs.length - 1];
      const d = devices.get(name) ?? { lastSeen: -Infinity };
      if (last) d.state = last[1];
      d.lastSeen = now();
      devices.set(name, d);
    }
  }
  let timer: unknown;
  let lastSave = -Infinity;

  const view = () => out.view as unknown as StateTimelineView;

  function save() {
    lastSave = now();
    ctx.services.state?.save(view());
  }

  function change(name: string, state: MachineState, at: number, ops: PatchOp[]) {
    let d = devices.get(name);
    if (!d) {
      d = { lastSeen: at };
      devices.set(name, d);
      ops.push(set(['devices'], [...devices.keys()]));
    }
    if (d.state === state) return;
    d.state = state;
    ops.push(append(['segments', name], [[Math.max(at, view().from), state]], config.maxSegments));
  }

  /** Rolling mode: moves the start, and drops segments that ended before it. */
  function slide(ops: PatchOp[]) {
    const v = view();
    if (v.mode !== 'rolling') return;
    const from = now() - config.windowMs;
    if (from - v.from < SLIDE_EVERY_MS) return;
    ops.push(set(['from'], from));
    for (const [name, segs] of Object.entries(v.segments)) {
      let drop = 0;
      while (drop + 1 < segs.length && segs[drop + 1]![0] <= from) drop++;
      if (drop > 0) ops.push(set(['segments', name], segs.slice(drop)));
    }
  }

  function tick() {
    const ops: PatchOp[] = [];
    if (config.offlineAfterMs !== undefined) {
      for (const [name, d] of devices) {
        if (d.state !== undefined && d.state !== 'offline' && now() - d.lastSeen >= config.offlineAfterMs) change(name, 'offline', d.lastSeen + config.offlineAfterMs, ops);
      }
    }
    slide(ops);
    out.update(ops);
    if (now() - lastSave >= SAVE_EVERY_MS) save();
    timer = ctx.clock.setTimeout(tick, Math.min(config.offlineAfterMs ?? 5_000, 5_000));
  }

  return {
    start() {
      timer = ctx.clock.setTimeout(tick, Math.min(config.offlineAfterMs ?? 5_000, 5_000));
    },
    onMessage(msg, port) {
      if (port === 'reset') {
        const at = now();
        const p = msg.payload as { shift?: unknown } | null;
        const shift = p && typeof p === 'object' && typeof p.shift === 'string' ? p.shift : null;
        const segments: Record<string, Segment[]> = {};
        for (const [name, d] of devices) if (d.state !== undefined) segments[name] = [[at, d.state]];
        out.update({ reset: true, ops: [set([], { mode: 'shift', from: at, windowMs: config.windowMs, shift, devices: [...devices.keys()], segments })] });
        save();
        return;
      }
      const name = msg.device ?? '';
      const state = stateOf(msg, config.stateProperty, config.stateMap);
      const ops: PatchOp[] = [];
      // A message without a state still says the device is alive.
      if (state !== undefined) change(name, state, msg.ts, ops);
      const d = devices.get(name);
      if (d) d.lastSeen = Math.max(d.lastSeen, msg.ts);
      out.update(ops);
    },
    stop() {
      if (timer !== undefined) ctx.clock.clearTimeout(timer);
      save();
    },
    inspect: () => out.snapshot(),
  };
});
