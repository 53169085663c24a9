import { NodeError, defineNode, readPath, requireService } from '../../sdk';
import type { Message, SeriesPoint } from '../../sdk';
import { historyDefinition } from './definition';

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** A series value: numbers as they are, booleans as 1/0; anything else is not one. */
function seriesValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

export const history = defineNode(historyDefinition, (config, ctx) => {
  const store = requireService(ctx, 'history');
  const fieldTags = config.fields?.map((f) => ({ field: f, tag: `${config.prefix}${f}` }));
  // Reading `payload` directly spares readPath's split for the common configuration.
  const read = config.property === 'payload' ? (m: Message) => m.payload : (m: Message) => readPath(m, config.property);
  let rejected = 0;

  /** Appends the message's points; returns the reason when it has none to write. */
  function collect(msg: Message, out: SeriesPoint[]): NodeError | undefined {
    const device = msg.device ?? config.device;
    if (device === undefined || device === '') {
      return new NodeError({
        zh: '消息没有设备（msg.device），节点也没有配置默认设备',
        en: 'the message has no device (msg.device) and the node has no default device',
      });
    }
    const raw = read(msg);
    // A bad reading without a value is still history: the gap is recorded with its quality.
    const gap = msg.quality === 'bad' && (raw === null || raw === undefined);
    if (fieldTags === undefined) {
      const tag = config.tag ?? msg.topic;
      if (tag === '') {
        return new NodeError({ zh: '没有数据点名：请配置“数据点”或设置消息主题', en: 'no tag: set the node\'s tag or the message topic' });
      }
      const value = gap ? null : seriesValue(raw);
      if (value === undefined) {
        return new NodeError({
          zh: `${config.property} 不是数值或布尔值（${describe(raw)}）`,
          en: `${config.property} is not a number or boolean (${describe(raw)})`,
        });
      }
      out.push({ device, tag, ts: msg.ts, value, quality: msg.quality });
      return undefined;
    }
    if (gap) {
      for (const f of fieldTags) out.push({ device, tag: f.tag, ts: msg.ts, value: null, quality: msg.quality });
      return undefined;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return new NodeError({ zh: `${config.property} 不是对象（${describe(raw)}）`, en: `${config.property} is not an object (${describe(raw)})` });
    }
    const record = raw as Record<string, unknown>;
    const bad: string[] = [];
    for (const f of fieldTags) {
      const v = Object.hasOwn(record, f.field) ? record[f.field] : undefined;
      // A missing field is no reading; it is not written and not an error.
      if (v === undefined) continue;
      // A snapshot of a device gone offline has its fields null: gaps, as for a single value.
      if (v === null && msg.quality !== 'good') {
        out.push({ device, tag: f.tag, ts: msg.ts, value: null, quality: msg.quality });
        continue;
      }
      const value = seriesValue(v);
      if (value === undefined) bad.push(`${f.field}=${describe(v)}`);
      else out.push({ device, tag: f.tag, ts: msg.ts, value, quality: msg.quality });
    }
    if (bad.length === 0) return undefined;
    return new NodeError({ zh: `以下字段不是数值：${bad.join('，')}`, en: `these fields are not numbers: ${bad.join(', ')}` });
  }

  return {
    onBatch(msgs) {
      const points: SeriesPoint[] = [];
      for (let i = 0; i < msgs.length; i++) {
        const msg = msgs[i]!;
        const error = collect(msg, points);
        if (error !== undefined) {
          rejected++;
          ctx.reportError(error, msg);
        }
      }
      if (points.length > 0) store.write(points);
    },
    inspect() {
      return { rejected };
    },
  };
});
