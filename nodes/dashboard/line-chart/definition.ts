import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { LabelSchema, decimalsField, formatField, refreshField, unitField } from '../widget-kit';

const SeriesSchema = z.object({
  /** Names the series in the view and in history requests; letters, digits, `_`, `-`. */
  key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  label: LabelSchema.optional(),
  property: z.string().min(1).max(200).default('payload'),
  /** Only this device's messages. */
  device: z.string().max(128).optional(),
  /** Only messages with this topic. */
  topic: z.string().max(200).optional(),
  unit: z.string().max(20).optional(),
  /** A line for each device that sends this value (up to 50), instead of one line. */
  perDevice: z.boolean().default(false),
  /** The stored series behind it (`history` node), for ranges beyond the live window. */
  history: z.object({ tag: z.string().min(1).max(200), device: z.string().max(128).optional() }).optional(),
});
export type LineSeries = z.infer<typeof SeriesSchema>;

export const lineChartConfig = z.object({
  series: field(z.array(SeriesSchema).min(1).max(8).default([{ key: 'value', property: 'payload', perDevice: false }]), {
    label: { zh: '曲线', en: 'Series' },
    help: {
      zh: '每条曲线：key、label、取值字段 property，可按 device、topic 筛选；perDevice 为每台设备画一条；history 指向历史库中的设备和标签，以便查看更长时间',
      en: 'Each: key, label, the value field `property`, optionally filtered by device and topic; `perDevice` draws a line per device; `history` names the stored device and tag for longer ranges',
    },
    widget: 'json',
  }),
  windowMs: field(z.number().int().min(10_000).max(86_400_000).default(600_000), {
    label: { zh: '实时窗口', en: 'Live window' },
    help: { zh: '实时模式下显示最近这段时间', en: 'Time shown in live mode' },
    unit: 'ms',
    widget: 'duration',
  }),
  maxPoints: field(z.number().int().min(10).max(20_000).default(1_200), {
    label: { zh: '每条曲线最多点数', en: 'Points per series' },
    help: { zh: '实时窗口中保留的点数上限', en: 'Most points kept per series for the live window' },
    advanced: true,
  }),
  unit: unitField(),
  decimals: decimalsField(),
  format: formatField(),
  yMin: field(z.number().optional(), { label: { zh: 'Y 轴最小值', en: 'Y axis minimum' }, advanced: true }),
  yMax: field(z.number().optional(), { label: { zh: 'Y 轴最大值', en: 'Y axis maximum' }, advanced: true }),
  refreshMs: refreshField(),
}).refine((c) => new Set(c.series.map((s) => s.key)).size === c.series.length, { message: 'series keys must be unique', params: { zh: '曲线的 key 不能重复' }, path: ['series'] });
export type LineChartConfig = z.infer<typeof lineChartConfig>;

export const lineChartDefinition: NodeDefinition<LineChartConfig> & { config: typeof lineChartConfig } = {
  type: 'line-chart',
  version: 1,
  category: 'dashboard',
  icon: '〰',
  title: { zh: '趋势图', en: 'Line chart' },
  summary: { zh: '实时和历史趋势，多条曲线，可缩放和选择时间范围', en: 'Live and history trends, several series, zoom and a range picker' },
  inputs: [port('in', '数值', 'values')],
  outputs: [],
  config: lineChartConfig,
  queue: { capacity: 5000, overflow: 'drop-oldest' },
};
