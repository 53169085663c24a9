import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { LabelSchema, refreshField } from '../widget-kit';

export const TableColumnSchema = z.object({
  /** `device`, `topic`, `ts`, `quality` or a payload path. */
  property: z.string().min(1).max(200),
  label: LabelSchema,
  unit: z.string().max(20).optional(),
  decimals: z.number().int().min(0).max(6).optional(),
  /** `percent`: a ratio shown as a percentage. */
  format: z.enum(['number', 'percent']).optional(),
});

export const tableConfig = z.object({
  columns: field(z.array(TableColumnSchema).min(1).max(12).default([
    { property: 'device', label: { zh: '设备', en: 'Device' } },
    { property: 'payload', label: { zh: '数值', en: 'Value' } },
    { property: 'ts', label: { zh: '时间', en: 'Time' } },
  ]), {
    label: { zh: '列', en: 'Columns' },
    help: { zh: '每列：property（device、topic、ts、quality 或 payload 路径）、label、unit、decimals', en: 'Each: property (device, topic, ts, quality or a payload path), label, unit, decimals' },
    widget: 'json',
  }),
  rowKey: field(z.enum(['device', 'topic', 'none']).default('device'), {
    label: { zh: '行', en: 'Rows' },
    help: { zh: '每台设备（或每个主题）一行并原地更新；none 为逐条追加的日志', en: 'One row per device (or topic), updated in place; none: a log, newest first' },
  }),
  maxRows: field(z.number().int().min(1).max(500).default(50), { label: { zh: '最多行数', en: 'Most rows' } }),
  refreshMs: refreshField(),
});
export type TableConfig = z.infer<typeof tableConfig>;

export const tableDefinition: NodeDefinition<TableConfig> & { config: typeof tableConfig } = {
  type: 'table',
  version: 1,
  category: 'dashboard',
  icon: '▦',
  title: { zh: '表格', en: 'Table' },
  summary: { zh: '按设备一行显示最新值，或逐条列出消息', en: 'The latest values in a row per device, or a running list of messages' },
  inputs: [port('in', '数据', 'data')],
  outputs: [],
  config: tableConfig,
  queue: { capacity: 1000, overflow: 'drop-oldest' },
};
