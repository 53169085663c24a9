import { field, z } from '../sdk';

/** The config every uplink node shares: which endpoint of the site's uplink policy. */
export const endpointField = field(z.string().refine((s) => /^[a-z][a-z0-9_-]{0,63}$/.test(s), {
  message: 'the id of an endpoint of the bundle\'s uplink policy',
  params: { zh: '应为部署包上传策略中某个端点的 id' },
}), {
  label: { zh: '上传端点', en: 'Uplink endpoint' },
  help: { zh: '部署包上传策略（uplink）中的端点；连接参数、证书和数据范围都由策略决定', en: "An endpoint of the bundle's uplink policy; the connection, certificates and what may go are the policy's" },
});

export const granularityField = field(z.enum(['raw', '1m', '1h', 'kpi']).default('raw'), {
  label: { zh: '数据粒度', en: 'Granularity' },
  help: { zh: '发送的是原始数据、分钟或小时汇总，还是只有指标；策略须允许该粒度', en: 'Raw points, minute or hour rollups, or KPIs only; the policy must allow it' },
});
