import { DeviceGroupSchema } from '../../../runtime/model/device-profile';
import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

export const modbusWriteConfig = z.object({
  devices: field(DeviceGroupSchema, {
    label: { zh: '设备组', en: 'Device group' },
    help: { zh: '可写入的设备：名称、地址（host 或 serial）、从站地址、设备模型', en: 'The devices that may be written: name, where (host or serial), unit id, profile' },
    widget: 'device-group',
  }),
  device: field(z.string().min(1).optional(), {
    label: { zh: '设备', en: 'Device' },
    help: { zh: '写入哪台设备；留空则用消息的 device，组中只有一台时用那一台', en: 'Which device; empty: the message\'s device, or the only one of the group' },
  }),
  tag: field(z.string().min(1).optional(), {
    label: { zh: '点位', en: 'Tag' },
    help: {
      zh: '写入的点位，payload 为值；留空则 payload 为 { 点位: 值, … }，可一次写多个',
      en: 'The tag written, payload the value; empty: payload is { tag: value, … }, several at once',
    },
    widget: 'tag',
  }),
}).superRefine((c, ctx) => {
  const names = Array.isArray(c.devices) ? c.devices.map((d) => (d as { name?: unknown }).name) : [];
  if (typeof c.device === 'string' && names.length > 0 && !names.includes(c.device)) {
    ctx.addIssue({
      code: 'custom',
      path: ['device'],
      message: `device "${c.device}" is not in the device group (${names.join(', ')})`,
      params: { zh: `设备 “${c.device}” 不在设备组中（${names.join('、')}）` },
    });
  }
});
export type ModbusWriteConfig = z.infer<typeof modbusWriteConfig>;

export const modbusWriteDefinition: NodeDefinition<ModbusWriteConfig> & { config: typeof modbusWriteConfig } = {
  type: 'modbus-write',
  version: 1,
  category: 'device',
  icon: '⇡',
  title: { zh: 'Modbus 写入', en: 'Modbus write' },
  summary: {
    zh: '把消息中的值写入设备点位（按设备模型检查范围），每次写入都记入事件日志',
    en: 'Writes values from messages to device tags (range-checked against the profile); every write goes to the event log',
  },
  inputs: [port('in', '输入', 'in')],
  outputs: [port('out', '写入结果', 'written')],
  config: modbusWriteConfig,
};
