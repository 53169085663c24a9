import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

const PropertyPath = z.string().refine((p) => p.length > 0 && p.split('.').every((part) => part.length > 0), {
  message: 'a property path such as payload or payload.temp',
  params: { zh: '须为属性路径，如 payload 或 payload.temp' },
});

const FieldName = z.string().refine((f) => /^[^.\s][^.]*$/.test(f) && f.trim() === f, {
  message: 'a field name without dots or surrounding spaces',
  params: { zh: '字段名不能含 “.”，首尾不能有空格' },
});

export const historyConfig = z.object({
  tag: field(z.string().max(128).optional(), {
    label: { zh: '数据点', en: 'Tag' },
    help: {
      zh: '写入的数据点名；留空则用消息主题（msg.topic）',
      en: 'The series tag written; empty: the message topic (msg.topic)',
    },
    widget: 'tag',
  }),
  device: field(z.string().max(128).optional(), {
    label: { zh: '默认设备', en: 'Default device' },
    help: {
      zh: '消息没有 device 时使用的设备名',
      en: 'The device name used when a message has no device',
    },
  }),
  property: field(PropertyPath.default('payload'), {
    label: { zh: '数值属性', en: 'Value property' },
    help: { zh: '消息中数值所在的属性路径，如 payload 或 payload.temp', en: 'Where the value is, e.g. payload or payload.temp' },
    widget: 'property-path',
  }),
  fields: field(z.array(FieldName).max(256).optional().refine((f) => f === undefined || new Set(f).size === f.length, {
    message: 'each field at most once',
    params: { zh: '每个字段只能列一次' },
  }), {
    label: { zh: '多个字段', en: 'Fields' },
    help: {
      zh: '数值属性是对象时，把这些字段各写成一个数据点（数据点名 = 前缀 + 字段名）',
      en: 'When the value is an object, write each of these fields as its own tag (tag = prefix + field)',
    },
  }),
  prefix: field(z.string().max(64).default(''), {
    label: { zh: '数据点前缀', en: 'Tag prefix' },
    help: { zh: '多个字段时加在字段名前，如 “oven.” 得到 oven.temp', en: 'Put before each field name, e.g. "oven." gives oven.temp' },
    advanced: true,
  }),
});
export type HistoryConfig = z.infer<typeof historyConfig>;

export const historyDefinition: NodeDefinition<HistoryConfig> & { config: typeof historyConfig } = {
  type: 'history',
  version: 1,
  category: 'store',
  icon: '⛁',
  title: { zh: '历史记录', en: 'History' },
  summary: {
    zh: '把消息中的数值写入现场历史库（时间序列），供趋势图与查询使用',
    en: 'Writes message values to the site history (time series) for trends and queries',
  },
  inputs: [port('in', '输入', 'in')],
  outputs: [],
  // A sink that writes in bulk: large batches keep the store's per-call cost low.
  batchSize: 4096,
  queue: { capacity: 16_384 },
  config: historyConfig,
};
