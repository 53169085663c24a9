import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { LabelSchema, decimalsField, formatField, refreshField, unitField } from '../widget-kit';

export const barChartConfig = z.object({
  fields: field(z.array(z.object({ property: z.string().min(1).max(200), label: LabelSchema.optional() })).min(1).max(6).default([{ property: 'payload' }]), {
    label: { zh: '数值字段', en: 'Values' },
    help: { zh: '每个字段一组柱子，如 OEE 的 payload.availability、payload.performance、payload.quality', en: 'One bar per field and category, e.g. payload.availability, payload.performance, payload.quality of an OEE node' },
    widget: 'json',
  }),
  groupBy: field(z.enum(['device', 'shift', 'topic']).default('device'), {
    label: { zh: '分组', en: 'Group by' },
    help: { zh: '按设备、按班次（取班次字段）或按主题分类', en: 'A category per device, per shift (the shift field) or per topic' },
  }),
  shiftProperty: field(z.string().min(1).max(200).default('payload.shift'), {
    label: { zh: '班次字段', en: 'Shift field' },
    help: { zh: '按班次分组时，班次名所在的字段', en: 'When grouping by shift: where the shift name is' },
    widget: 'property-path',
  }),
  fallbackCategory: field(z.string().min(1).max(128).optional(), {
    label: { zh: '无分类时归入', en: 'Category when none' },
    help: { zh: '按设备分组时，没有设备名的消息（如全车间的数字）归入此分类；留空则不显示', en: 'Grouping by device: messages without a device (a workshop figure) go here; empty: not shown' },
    advanced: true,
  }),
  categories: field(z.array(z.string().min(1)).max(200).optional(), {
    label: { zh: '分类顺序', en: 'Category order' },
    help: { zh: '预先列出的分类（如设备名或 早班、中班、夜班），按此顺序显示；其他分类排在后面', en: 'Categories listed first, in this order (e.g. device names, or the shifts); others follow' },
  }),
  unit: unitField(),
  decimals: decimalsField(),
  format: formatField(),
  /** Bars of a category on top of each other. */
  stacked: field(z.boolean().default(false), { label: { zh: '堆叠', en: 'Stacked' } }),
  horizontal: field(z.boolean().default(false), { label: { zh: '横向', en: 'Horizontal' } }),
  maxCategories: field(z.number().int().min(1).max(200).default(50), { label: { zh: '最多分类', en: 'Most categories' }, advanced: true }),
  refreshMs: refreshField(),
});
export type BarChartConfig = z.infer<typeof barChartConfig>;

export const barChartDefinition: NodeDefinition<BarChartConfig> & { config: typeof barChartConfig } = {
  type: 'bar-chart',
  version: 1,
  category: 'dashboard',
  icon: '▮',
  title: { zh: '柱状图', en: 'Bar chart' },
  summary: { zh: '按设备或按班次比较数值，如产量、OEE', en: 'Compares values per device or per shift, such as output or OEE' },
  inputs: [port('in', '数值', 'values')],
  outputs: [],
  config: barChartConfig,
  queue: { capacity: 1000, overflow: 'drop-oldest' },
};
