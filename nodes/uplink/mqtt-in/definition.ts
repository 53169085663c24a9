import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { endpointField } from '../endpoint-config';

export const mqttInConfig = z.object({
  endpoint: endpointField,
  topic: field(z.string().min(1).refine((s) => !/\s/.test(s) && !/#./.test(s), {
    message: 'an MQTT topic filter (+ for one level, # at the end for the rest)',
    params: { zh: '应为 MQTT 主题过滤器（+ 代表一级，# 只能在末尾）' },
  }), {
    label: { zh: '指令主题', en: 'Command topic' },
    help: { zh: '须在上传策略的 commands 中；例如 kaiwu/plant-7/cmd/#', en: "Must be among the policy's commands, e.g. kaiwu/plant-7/cmd/#" },
  }),
});
export type MqttInConfig = z.infer<typeof mqttInConfig>;

export const mqttInDefinition: NodeDefinition<MqttInConfig> & { config: typeof mqttInConfig } = {
  type: 'mqtt-in',
  version: 1,
  category: 'uplink',
  icon: '⇣',
  title: { zh: 'MQTT 指令', en: 'MQTT in' },
  summary: { zh: '接收云平台下发的指令（如设定值修改），只收上传策略允许的主题，每条都记录', en: 'Commands from the platform (setpoint changes …), only on topics the uplink policy allows; each is recorded' },
  inputs: [],
  outputs: [port('out', '指令', 'commands')],
  config: mqttInConfig,
};
