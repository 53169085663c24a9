import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { decimalsField, deviceFilterField, formatField, propertyField, refreshField, unitField } from '../widget-kit';

export const GAUGE_BAND_COLORS = ['ok', 'warn', 'alarm'] as const;

export const gaugeConfig = z.object({
  property: propertyField(),
  device: deviceFilterField(),
  min: field(z.number().default(0), { label: { zh: '最小值', en: 'Minimum' } }),
  max: field(z.number().default(100), { label: { zh: '最大值', en: 'Maximum' } }),
  unit: unitField(),
  decimals: decimalsField(),
  format: formatField(),
  aggregate: field(z.enum(['last', 'sum', 'avg', 'min', 'max']).default('last'), {
    label: { zh: '多台设备时', en: 'Across devices' },
    help: { zh: 'last：最新一条消息的值；avg 等：各设备最新值的平均、合计、最小、最大', en: "last: the latest message's value; avg etc.: over each device's latest value" },
  }),
  bands: field(z.array(z.object({ to: z.number(), color: z.enum(GAUGE_BAND_COLORS) })).max(8).default([]), {
    label: { zh: '色带', en: 'Bands' },
    help: {
      zh: '自低向高，每段到 to 为止：ok 绿、warn 黄、alarm 红；留空为单色',
      en: 'From low to high, each band up to `to`: ok green, warn amber, alarm red; empty: one colour',
    },
    widget: 'json',
  }),
  refreshMs: refreshField(),
}).refine((c) => c.min < c.max, { message: 'min must be below max', params: { zh: '最小值须小于最大值' }, path: ['max'] });
export type GaugeConfig = z.infer<typeof gaugeConfig>;

export const gaugeDefinition: NodeDefinition<GaugeConfig> & { config: typeof gaugeConfig } = {
  type: 'gauge',
  version: 1,
  category: 'dashboard',
  icon: '◠',
  title: { zh: '仪表盘', en: 'Gauge' },
  summary: { zh: '在看板上用表盘显示一个数值的最新值', en: 'Shows the latest value of a number as a dial on the dashboard' },
  inputs: [port('in', '数值', 'value')],
  outputs: [],
  config: gaugeConfig,
  // A dashboard shows the latest: when it falls behind, old values are worthless.
  queue: { capacity: 1000, overflow: 'drop-oldest' },
};
