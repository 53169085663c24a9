// What every dashboard widget node shares on the site: the view it keeps and how it publishes it.
import { field, z } from '../sdk';
import type { NodeContext, Text } from '../sdk';
import type { PatchOp, View, WidgetEvent, WidgetPatch, WidgetSnapshot } from './widget-patch';
import { applyPatch, mergePatches } from './widget-patch';

/** Live events per widget are coalesced to at most one per this many ms (default). */
export const DEFAULT_REFRESH_MS = 250;

/** The config field every widget has: how often at most it publishes a change. */
export const refreshField = () => field(z.number().int().min(50).max(60_000).default(DEFAULT_REFRESH_MS), {
  label: { zh: '刷新间隔', en: 'Refresh at most every' },
  help: {
    zh: '这段时间内的多次变化合并为一次推送，繁忙的现场也不会压垮浏览器',
    en: 'Changes within this time are sent as one update, so a busy site cannot flood the browser',
  },
  unit: 'ms',
  widget: 'duration',
  advanced: true,
});

/** Only this device's messages (empty: every device). */
export const deviceFilterField = () => field(z.string().max(128).optional(), {
  label: { zh: '设备', en: 'Device' },
  help: { zh: '只显示这台设备的数据；留空则不限设备', en: "Only this device's messages; empty: any device" },
});

/** A payload path such as `payload` or `payload.temp`. */
export const propertyField = (label: Text = { zh: '数值字段', en: 'Value field' }, fallback = 'payload') =>
  field(z.string().min(1).max(200).default(fallback), { label, help: { zh: '如 payload 或 payload.temp', en: 'e.g. payload or payload.temp' }, widget: 'property-path' });

export const unitField = () => field(z.string().max(20).default(''), {
  label: { zh: '单位', en: 'Unit' },
  help: { zh: '如 °C、kWh、件、%', en: 'e.g. °C, kWh, pcs, %' },
});

/** `percent`: the value is a ratio (OEE 0.735) shown as a percentage (73.5 %). */
export const FormatSchema = z.enum(['number', 'percent']);
export const formatField = () => field(FormatSchema.default('number'), {
  label: { zh: '显示为', en: 'Show as' },
  help: { zh: 'percent：数值是比率（如 OEE 0.735），显示为 73.5 %', en: 'percent: the value is a ratio (OEE 0.735) shown as 73.5 %' },
});

export const decimalsField = (fallback = 1) => field(z.number().int().min(0).max(6).default(fallback), {
  label: { zh: '小数位', en: 'Decimals' },
});

/** A `{ zh, en }` text, or one string for both. */
export const LabelSchema = z.union([z.string().max(200), z.object({ zh: z.string().max(200), en: z.string().max(200) })]);

/** The devices a widget shows before any data arrives: names, or device entries of a `$deviceGroup`. */
export const DeviceListSchema = z.array(z.union([z.string().min(1), z.object({ name: z.string().min(1) }).passthrough()])).max(1000);

export function deviceNames(list: z.infer<typeof DeviceListSchema> | undefined): string[] {
  return (list ?? []).map((d) => (typeof d === 'string' ? d : d.name));
}

/** Turns a value read from a message into a number for a chart: finite numbers, booleans as 1/0, else null. */
export function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** Each device's latest value reduced to one figure; null when no device has one. */
export function aggregateOf(values: Iterable<number | null>, how: 'last' | 'sum' | 'avg' | 'min' | 'max'): number | null {
  const xs = [...values].filter((v): v is number => v !== null);
  if (xs.length === 0) return null;
  switch (how) {
    case 'sum': return xs.reduce((a, b) => a + b, 0);
    case 'avg': return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'min': return Math.min(...xs);
    case 'max': return Math.max(...xs);
    default: return xs[xs.length - 1]!;
  }
}

export interface WidgetPublisher {
  /** The view as the node holds it (do not change it; use `update`). */
  readonly view: View;
  /** Changes the view and publishes the change, coalesced to one event per refresh interval. */
  update(patch: WidgetPatch | readonly PatchOp[]): void;
  /** For `inspect()`: publishes what is pending first, so the snapshot and the stream agree. */
  snapshot(): WidgetSnapshot;
}

/**
 * Keeps a widget's view and publishes its changes as `widget` events ({@link WidgetEvent}).
 * The first change after a quiet spell goes out at once; changes within `refreshMs` of the last
 * event wait for the next one and go out merged.
 */
export function createWidgetPublisher(ctx: NodeContext, refreshMs: number, initial: View = {}): WidgetPublisher {
  let view: View = initial;
  let seq = 0;
  let pending: WidgetPatch | undefined;
  let timer: unknown;
  let lastEmit = -Infinity;

  const flush = () => {
    timer = undefined;
    if (!pending) return;
    seq++;
    const event: WidgetEvent = { seq, from: seq, patch: pending };
    pending = undefined;
    lastEmit = ctx.clock.now();
    ctx.emit('widget', event);
  };

  return {
    get view() {
      return view;
    },
    update(change) {
      const patch: WidgetPatch = Array.isArray(change) ? { ops: change as readonly PatchOp[] } : (change as WidgetPatch);
      if (!patch.reset && patch.ops.length === 0) return;
      view = applyPatch(view, patch, { mutate: true });
      pending = pending ? mergePatches(pending, patch) : patch;
      if (timer !== undefined) return;
      const wait = lastEmit + refreshMs - ctx.clock.now();
      if (wait <= 0) flush();
      else timer = ctx.clock.setTimeout(flush, wait);
    },
    snapshot() {
      if (pending) {
        if (timer !== undefined) ctx.clock.clearTimeout(timer);
        flush();
      }
      return { seq, view: structuredClone(view) };
    },
  };
}
