import { defineNode, readPath } from '../../sdk';
import { createWidgetPublisher } from '../widget-kit';
import { set } from '../widget-patch';
import { textDefinition } from './definition';

export interface TextView {
  /** The latest value for `{{value}}`: numbers and texts as they are, anything else as JSON. */
  readonly value?: string | number | boolean | null;
  readonly ts?: number;
}

export const text = defineNode(textDefinition, (config, ctx) => {
  const out = createWidgetPublisher(ctx, config.refreshMs);
  return {
    onMessage(msg) {
      if (config.device !== undefined && msg.device !== config.device) return;
      const raw = readPath(msg, config.property);
      const value = raw === undefined ? null : typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : (raw as string | number | boolean | null);
      out.update([set(['value'], value), set(['ts'], msg.ts)]);
    },
    inspect: () => out.snapshot(),
  };
});
