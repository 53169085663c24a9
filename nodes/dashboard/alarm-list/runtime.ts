import { defineNode } from '../../sdk';
import { createWidgetPublisher } from '../widget-kit';
import { set } from '../widget-patch';
import { alarmListDefinition } from './definition';

/**
 * The alarm list itself lives in the site's store (with acknowledgements); the node only tells
 * open dashboards that it changed, so they read it again.
 */
export interface AlarmListView {
  /** Time of the last alarm transition this node saw. */
  readonly changedAt?: number;
  readonly transitions?: number;
}

export const alarmList = defineNode(alarmListDefinition, (config, ctx) => {
  const out = createWidgetPublisher(ctx, config.refreshMs, { transitions: 0 });
  let transitions = 0;
  return {
    onBatch(msgs) {
      transitions += msgs.length;
      out.update([set(['changedAt'], msgs[msgs.length - 1]!.ts), set(['transitions'], transitions)]);
    },
    inspect: () => out.snapshot(),
  };
});
