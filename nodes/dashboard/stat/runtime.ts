import { defineNode, readPath } from '../../sdk';
import { aggregateOf, createWidgetPublisher, numeric } from '../widget-kit';
import { append, set } from '../widget-patch';
import type { PatchOp } from '../widget-patch';
import { statDefinition } from './definition';

/** Points of the sparkline; one is kept per `trendMs / TREND_POINTS`. */
export const TREND_POINTS = 60;

export interface StatView {
  readonly value?: number | null;
  readonly ts?: number;
  readonly quality?: 'good' | 'bad' | 'uncertain';
  /** `[ts, value]`, oldest first, spanning about `trendMs`. */
  readonly trend?: readonly (readonly [number, number])[];
  /** With an aggregate: how many devices the value covers. */
  readonly devices?: number;
}

export const stat = defineNode(statDefinition, (config, ctx) => {
  const out = createWidgetPublisher(ctx, config.refreshMs);
  const step = config.trendMs / TREND_POINTS;
  const latest = new Map<string, number | null>();
  let lastKept = -Infinity;
  return {
    onMessage(msg) {
      if (config.device !== undefined && msg.device !== config.device) return;
      const own = msg.quality === 'bad' ? null : numeric(readPath(msg, config.property));
      let value = own;
      const ops: PatchOp[] = [];
      if (config.aggregate !== 'last') {
        latest.set(msg.device ?? '', own);
        value = aggregateOf(latest.values(), config.aggregate);
        ops.push(set(['devices'], latest.size));
      }
      ops.push(set(['value'], value), set(['ts'], msg.ts), set(['quality'], msg.quality));
      // The trend samples the value, so a 1 Hz signal costs the same sparkline as a 1/min one.
      if (value !== null && msg.ts - lastKept >= step) {
        lastKept = msg.ts;
        ops.push(append(['trend'], [[msg.ts, value]], TREND_POINTS + 1));
      }
      out.update(ops);
    },
    inspect: () => out.snapshot(),
  };
});
