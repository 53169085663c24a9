import { port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { endpointField, granularityField } from '../endpoint-config';

export const httpOutConfig = z.object({ endpoint: endpointField, granularity: granularityField });
export type HttpOutConfig = z.infer<typeof httpOutConfig>;

export const httpOutDefinition: NodeDefinition<HttpOutConfig> & { config: typeof httpOutConfig } = {
  type: 'http-out',
  version: 1,
  category: 'uplink',
  icon: '⇡',
  title: { zh: 'HTTP 上传', en: 'HTTP out' },
  summary: { zh: '按上传策略把数据成批 POST 到云平台的 HTTP 端点（失败重试，幂等键，断网不丢）', en: "Store-and-forward in JSON batches to the platform's HTTP endpoint, as the uplink policy allows (retries, idempotency key)" },
  inputs: [port('in', '输入', 'in')],
  outputs: [],
  config: httpOutConfig,
  batchSize: 500,
};
