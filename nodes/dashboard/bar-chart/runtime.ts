import { defineNode, readPath } from '../../sdk';
import type { Message } from '../../sdk';
import { createWidgetPublisher, numeric } from '../widget-kit';
import { set } from '../widget-patch';
import { barChartDefinition } from './definition';

export interface BarChartView {
  readonly categories?: readonly string[];
  /** One array per configured field, parallel to `categories`. */
  readonly values?: readonly (readonly (number | null)[])[];
}

export const barChart = defineNode(barChartDefinition, (config, ctx) => {
  const out = createWidgetPublisher(ctx, config.refreshMs);
  const rows = new Map<string, (number | null)[]>();
  for (const c of config.categories ?? []) rows.set(c, config.fields.map(() => null));

  function categoryOf(msg: Message): string | undefined {
    if (config.groupBy === 'device') return msg.device ?? config.fallbackCategory;
    if (config.groupBy === 'topic') return msg.topic || undefined;
    const shift = readPath(msg, config.shiftProperty);
    return typeof shift === 'string' || typeof shift === 'number' ? String(shift) : undefined;
  }

  return {
    onBatch(msgs) {
      let changed = false;
      for (const msg of msgs) {
        const category = categoryOf(msg);
        if (category === undefined) continue;
        const values = config.fields.map((f) => (msg.quality === 'bad' ? null : numeric(readPath(msg, f.property))));
        if (!rows.has(category) && rows.size >= config.maxCategories) {
          // The oldest category that was not listed in the config makes room.
          const listed = new Set(config.categories ?? []);
          const oldest = [...rows.keys()].find((k) => !listed.has(k));
          if (oldest === undefined) continue;
          rows.delete(oldest);
        }
        rows.set(category, values);
        changed = true;
      }
      if (!changed) return;
      out.update([set(['categories'], [...rows.keys()]), set(['values'], config.fields.map((_, i) => [...rows.values()].map((r) => r[i] ?? null)))]);
    },
    inspect: () => out.snapshot(),
  };
});
