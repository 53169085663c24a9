import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { stateFields } from '../machine-state';
import { DeviceListSchema, LabelSchema, refreshField } from '../widget-kit';

export const deviceGridConfig = z.object({
  ...stateFields(),
  devices: field(DeviceListSchema.optional(), {
    label: { zh: '设备', en: 'Devices' },
    help: { zh: '每台一个方块（可绑定设备组），按此顺序；其余设备有数据时加入', en: 'A tile each (bind a device group), in this order; others join when they send data' },
    widget: 'device-group',
  }),
  fields: field(z.array(z.object({
    property: z.string().min(1).max(200),
    label: LabelSchema,
    unit: z.string().max(20).optional(),
    decimals: z.number().int().min(0).max(6).optional(),
  })).max(4).default([]), {
    label: { zh: '方块上的数值', en: 'Values on a tile' },
    help: { zh: '最多 4 个，如转速、效率；点开方块可看全部数据', en: 'Up to 4, e.g. speed and efficiency; a click on the tile shows all of its data' },
    widget: 'json',
  }),
  refreshMs: refreshField(),
});
export type DeviceGridConfig = z.infer<typeof deviceGridConfig>;

export const deviceGridDefinition: NodeDefinition<DeviceGridConfig> & { config: typeof deviceGridConfig } = {
  type: 'device-grid',
  version: 1,
  category: 'dashboard',
  icon: '▩',
  title: { zh: '设备总览', en: 'Device grid' },
  summary: { zh: '一组设备每台一个方块，按状态着色，点开看详情', en: 'A tile per device of a group, coloured by state; click for detail' },
  inputs: [port('in', '设备数据', 'device data')],
  outputs: [],
  config: deviceGridConfig,
  queue: { capacity: 2000, overflow: 'drop-oldest' },
};
