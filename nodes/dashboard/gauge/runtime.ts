import { defineNode, readPath } from '../../sdk';
import { aggregateOf, createWidgetPublisher, numeric } from '../widget-kit';
import { set } from '../widget-patch';
import { gaugeDefinition } from './definition';

/** What the gauge shows. */
export interface GaugeView {
  readonly value?: number | null;
  readonly ts?: number;
  readonly quality?: 'good' | 'bad' | 'uncertain';
  readonly device?: string;
}

export const gauge = defineNode(gaugeDefinition, (config, ctx) => {
  const out = createWidgetPublisher(ctx, config.refreshMs);
  const latest = new Map<string, number | null>();
  return {
    onMessage(msg) {
      if (config.device !== undefined && msg.device !== config.device) return;
      let value = msg.quality === 'bad' ? null : numeric(readPath(msg, config.property));
      if (config.aggregate !== 'last') {
        latest.set(msg.device ?? '', value);
        value = aggregateOf(latest.values(), config.aggregate);
      }
      out.update([set(['value'], value), set(['ts'], msg.ts), set(['quality'], msg.quality), set(['device'], config.aggregate === 'last' ? msg.device ?? null : null)]);
    },
    inspect: () => out.snapshot(),
  };
});
