import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import { createWidgetPublisher, numeric } from '../widget-kit';
import { append, set } from '../widget-patch';
import type { PatchOp } from '../widget-patch';
import type { LineSeries } from './definition';
import { lineChartDefinition } from './definition';

/** `[ts, value]`; a null value is a gap (bad quality). */
export type LinePoint = readonly [number, number | null];

/** One drawn line: a series, or a series for one device (`perDevice`). */
export interface Line {
  readonly series: string;
  readonly device?: string;
}

export interface LineChartView {
  /** The lines, by id (the series key, or `key@device`), in the order they appeared. */
  readonly lines?: Readonly<Record<string, Line>>;
  /** Points per line id, oldest first, within the live window. */
  readonly data?: Readonly<Record<string, readonly LinePoint[]>>;
}

/** Devices a per-device series draws at most: a chart with more lines is unreadable anyway. */
export const MAX_DEVICE_LINES = 50;

export const lineId = (s: Pick<LineSeries, 'key' | 'perDevice'>, device: string | undefined) => (s.perDevice ? `${s.key}@${device ?? ''}` : s.key);

const matches = (s: LineSeries, msg: Message) => (s.device === undefined || msg.device === s.device) && (s.topic === undefined || msg.topic === s.topic);

export const lineChart = defineNode(lineChartDefinition, (config, ctx) => {
  const fixed = config.series.filter((s) => !s.perDevice);
  const out = createWidgetPublisher(ctx, config.refreshMs, {
    lines: Object.fromEntries(fixed.map((s) => [s.key, { series: s.key }])),
    data: Object.fromEntries(fixed.map((s) => [s.key, []])),
  });
  const perDevice = new Map<string, number>();

  /** Points older than the window go, so the view covers the window and never more than maxPoints. */
  function trimOld(now: number) {
    const data = out.view.data as Record<string, LinePoint[]>;
    for (const points of Object.values(data)) {
      let drop = 0;
      while (drop < points.length && points[drop]![0] < now - config.windowMs) drop++;
      if (drop > 0) points.splice(0, drop);
    }
  }

  function handle(msgs: readonly Message[]) {
    const added = new Map<string, LinePoint[]>();
    const ops: PatchOp[] = [];
    const lines = out.view.lines as Record<string, Line>;
    for (const msg of msgs) {
      for (const s of config.series) {
        if (!matches(s, msg)) continue;
        const value = msg.quality === 'bad' ? null : numeric(readPath(msg, s.property));
        if (value === null && msg.quality !== 'bad') continue;
        const id = lineId(s, msg.device);
        if (s.perDevice && !lines[id]) {
          const n = perDevice.get(s.key) ?? 0;
          if (n >= MAX_DEVICE_LINES) continue;
          perDevice.set(s.key, n + 1);
          ops.push(set(['lines', id], msg.device === undefined ? { series: s.key } : { series: s.key, device: msg.device }));
        }
        let list = added.get(id);
        if (!list) added.set(id, (list = []));
        list.push([msg.ts, value]);
      }
    }
    if (added.size === 0 && ops.length === 0) return;
    for (const [id, points] of added) ops.push(append(['data', id], points, config.maxPoints));
    out.update(ops);
    trimOld(ctx.clock.now());
  }

  return {
    onBatch: (msgs) => handle(msgs),
    inspect() {
      // Browsers clip to the window themselves; a fresh page need not load what is already out of it.
      trimOld(ctx.clock.now());
      return out.snapshot();
    },
  };
});
