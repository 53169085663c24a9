import { DeviceGroupSchema } from '../../../runtime/model/device-profile';
import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

const Tags = z.array(z.string().min(1)).max(4000).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((t, i) => {
    if (seen.has(t)) ctx.addIssue({ code: 'custom', path: [i], message: `tag "${t}" is listed twice`, params: { zh: `点位 “${t}” 重复` } });
    seen.add(t);
  });
});

export const modbusReadConfig = z.object({
  devices: field(DeviceGroupSchema, {
    label: { zh: '设备组', en: 'Device group' },
    help: {
      zh: '要读取的设备：名称、地址（host 或 serial）、从站地址、设备模型',
      en: 'The devices to read: name, where (host or serial), unit id, profile',
    },
    widget: 'device-group',
  }),
  tags: field(Tags.default([]), {
    label: { zh: '点位', en: 'Tags' },
    help: { zh: '要上报的点位键；留空上报模型中的全部点位', en: 'Tag keys to report; empty reports every tag of the profile' },
    widget: 'tag',
  }),
  output: field(z.enum(['snapshot', 'per-tag']).default('snapshot'), {
    label: { zh: '输出方式', en: 'Output' },
    help: {
      zh: 'snapshot：每台设备一条消息，payload 为 {点位: 值}；per-tag：每个点位一条消息，payload 为值',
      en: 'snapshot: one message per device, payload {tag: value}; per-tag: one message per tag, payload the value',
    },
  }),
  report: field(z.enum(['change', 'every-poll']).default('change'), {
    label: { zh: '上报时机', en: 'Report' },
    help: {
      zh: 'change：数值变化超过死区或质量变化时上报；every-poll：每次轮询都上报',
      en: 'change: when a value moves beyond its deadband or its quality changes; every-poll: after every poll',
    },
  }),
  deadband: field(z.number().min(0).optional(), {
    label: { zh: '死区', en: 'Deadband' },
    help: {
      zh: '数值变化小于此值不上报（仅 change 方式）；留空用设备模型中各点位的死区，没有则为 0',
      en: 'Smaller changes are not reported (change mode); empty: each tag\'s deadband from the profile, else 0',
    },
  }),
  deadbands: field(z.record(z.string(), z.number().min(0)).default({}), {
    label: { zh: '分点位死区', en: 'Deadband per tag' },
    help: { zh: '{ "点位": 死区 }，优先于上面的死区', en: '{ "tag": deadband }, ahead of the deadband above' },
    widget: 'json',
    advanced: true,
  }),
});
export type ModbusReadConfig = z.infer<typeof modbusReadConfig>;

export const modbusReadDefinition: NodeDefinition<ModbusReadConfig> & { config: typeof modbusReadConfig } = {
  type: 'modbus-read',
  version: 1,
  category: 'device',
  icon: '⇣',
  title: { zh: 'Modbus 读取', en: 'Modbus read' },
  summary: {
    zh: '轮询一组 Modbus 设备（TCP、RTU、RTU over TCP），按设备模型解码，变化时或每次轮询上报，带质量',
    en: 'Polls a group of Modbus devices (TCP, RTU, RTU over TCP), decodes them by profile, and reports on change or every poll, with quality',
  },
  inputs: [],
  outputs: [port('out', '数据', 'data'), port('health', '设备状态', 'device health')],
  config: modbusReadConfig,
};
