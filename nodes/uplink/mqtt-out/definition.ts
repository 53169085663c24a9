import { port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { endpointField, granularityField } from '../endpoint-config';

export const mqttOutConfig = z.object({ endpoint: endpointField, granularity: granularityField });
export type MqttOutConfig = z.infer<typeof mqttOutConfig>;

export const mqttOutDefinition: NodeDefinition<MqttOutConfig> & { config: typeof mqttOutConfig } = {
  type: 'mqtt-out',
  version: 1,
  category: 'uplink',
  icon: '⇡',
  title: { zh: 'MQTT 上传', en: 'MQTT out' },
  summary: { zh: '按上传策略把数据存储转发到云平台的 MQTT 端点（QoS 1，断网不丢）', en: 'Store-and-forward to the platform\'s MQTT endpoint, as the uplink policy allows (QoS 1, nothing lost offline)' },
  inputs: [port('in', '输入', 'in')],
  outputs: [],
  config: mqttOutConfig,
  batchSize: 1_000,
};
