import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { stateFields } from '../machine-state';
import { DeviceListSchema, refreshField } from '../widget-kit';

export const stateTimelineConfig = z.object({
  ...stateFields(),
  windowMs: field(z.number().int().min(60_000).max(7 * 86_400_000).default(8 * 3_600_000), {
    label: { zh: '时间范围', en: 'Time span' },
    help: {
      zh: '接了班次输入（reset）时为一个班次的时长，图从班次开始画起；否则显示最近这段时间',
      en: 'With the shift input (reset) wired: the length of a shift, drawn from its start; otherwise the latest span',
    },
    unit: 'ms',
    widget: 'duration',
  }),
  devices: field(DeviceListSchema.optional(), {
    label: { zh: '设备', en: 'Devices' },
    help: { zh: '预先列出的设备（可绑定设备组），按此顺序显示；其余设备有数据时加入', en: 'Devices listed first, in this order (bind a device group); others join when they send data' },
    widget: 'device-group',
  }),
  maxSegments: field(z.number().int().min(10).max(100_000).default(2_000), {
    label: { zh: '每台设备最多段数', en: 'Segments per device' },
    help: { zh: '状态频繁跳变时保留的最近段数', en: 'The latest this many state changes are kept per device' },
    advanced: true,
  }),
  refreshMs: refreshField(),
});
export type StateTimelineConfig = z.infer<typeof stateTimelineConfig>;

export const stateTimelineDefinition: NodeDefinition<StateTimelineConfig> & { config: typeof stateTimelineConfig } = {
  type: 'state-timeline',
  version: 1,
  category: 'dashboard',
  icon: '▤',
  title: { zh: '状态时间线', en: 'State timeline' },
  summary: {
    zh: '每台设备一条：运行、待机、故障、离线在班次内的分布，即 OEE 背后的图景',
    en: 'A bar per device: running, idle, fault and offline across the shift — the picture behind OEE',
  },
  inputs: [port('in', '设备数据', 'device data'), port('reset', '班次开始', 'shift start')],
  outputs: [],
  config: stateTimelineConfig,
  queue: { capacity: 2000, overflow: 'drop-oldest' },
};
