import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { decimalsField, deviceFilterField, formatField, propertyField, refreshField, unitField } from '../widget-kit';

export const statConfig = z.object({
  property: propertyField(),
  device: deviceFilterField(),
  unit: unitField(),
  decimals: decimalsField(),
  format: formatField(),
  aggregate: field(z.enum(['last', 'sum', 'avg', 'min', 'max']).default('last'), {
    label: { zh: '多台设备时', en: 'Across devices' },
    help: {
      zh: 'last：最新一条消息的值；sum/avg/min/max：各设备最新值的合计、平均、最小、最大（如全车间本班产量）',
      en: "last: the latest message's value; sum/avg/min/max: over each device's latest value (the workshop's output this shift)",
    },
  }),
  target: field(z.number().optional(), {
    label: { zh: '目标值', en: 'Target' },
    help: { zh: '显示与目标的差距；留空不显示', en: 'Shows how far the value is from it; empty: no target' },
  }),
  better: field(z.enum(['higher', 'lower']).default('higher'), {
    label: { zh: '越高越好 / 越低越好', en: 'Higher or lower is better' },
    help: { zh: '决定达标的颜色和趋势箭头的含义（能耗选“越低越好”）', en: 'Decides the colour against the target and of the trend (energy: lower is better)' },
  }),
  trendMs: field(z.number().int().min(60_000).max(7 * 86_400_000).default(3_600_000), {
    label: { zh: '趋势时长', en: 'Trend over' },
    help: { zh: '迷你趋势线和涨跌比较的时间范围', en: 'Time covered by the sparkline and the change shown' },
    unit: 'ms',
    widget: 'duration',
  }),
  refreshMs: refreshField(),
});
export type StatConfig = z.infer<typeof statConfig>;

export const statDefinition: NodeDefinition<StatConfig> & { config: typeof statConfig } = {
  type: 'stat',
  version: 1,
  category: 'dashboard',
  icon: '#',
  title: { zh: '指标卡', en: 'Stat' },
  summary: { zh: '大字显示一个指标，带目标值和趋势', en: 'Shows one KPI in large type, with its target and trend' },
  inputs: [port('in', '数值', 'value')],
  outputs: [],
  config: statConfig,
  queue: { capacity: 1000, overflow: 'drop-oldest' },
};
