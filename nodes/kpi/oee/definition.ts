import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

export const MACHINE_STATES = ['running', 'idle', 'fault', 'planned-stop', 'offline'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

const PropertyPath = z.string().refine((s) => /^payload(\.[^.\s]+)*$/.test(s), {
  message: 'a path inside the payload, e.g. payload.state',
  params: { zh: '应为 payload 中的路径，如 payload.state' },
});

export const oeeConfig = z.object({
  stateProperty: field(PropertyPath.default('payload.state'), {
    label: { zh: '状态字段', en: 'State field' },
    help: { zh: '机器状态所在的字段；数值或文本经下方映射成运行、待机、故障、计划停机', en: 'Where the machine state is; numbers or texts are mapped below' },
    widget: 'property-path',
  }),
  stateMap: field(z.record(z.string(), z.enum(MACHINE_STATES)).default({ '0': 'idle', '1': 'running', '2': 'fault', '3': 'planned-stop', running: 'running', idle: 'idle', fault: 'fault', 'planned-stop': 'planned-stop' }), {
    label: { zh: '状态映射', en: 'State map' },
    help: { zh: '{ 设备上的值: running | idle | fault | planned-stop }；未列出的值按待机计', en: '{ device value: running | idle | fault | planned-stop }; values not listed count as idle' },
    widget: 'json',
  }),
  totalProperty: field(PropertyPath.default('payload.totalCount'), {
    label: { zh: '总产量计数字段', en: 'Total count field' },
    help: { zh: '设备的累计产量计数器（可复位）', en: "The device's running total counter (may reset)" },
    widget: 'property-path',
  }),
  goodProperty: field(PropertyPath.optional(), {
    label: { zh: '良品计数字段', en: 'Good count field' },
    help: { zh: '良品累计计数器；与不良品计数二选一，都不填则按全部为良品', en: 'Running good count; or give the reject counter; neither: every part is good' },
    widget: 'property-path',
  }),
  rejectProperty: field(PropertyPath.optional(), {
    label: { zh: '不良品计数字段', en: 'Reject count field' },
    widget: 'property-path',
  }),
  idealCycleSec: field(z.number().positive().max(86_400), {
    label: { zh: '理想节拍', en: 'Ideal cycle time' },
    help: { zh: '生产一件的理想时间（铭牌或工艺规定）', en: 'Time to make one part at the rated speed' },
    unit: 's',
  }),
  emitEveryMs: field(z.number().int().min(1_000).max(86_400_000).default(60_000), {
    label: { zh: '输出间隔', en: 'Emit every' },
    help: { zh: '周期输出本班次至今的 OEE；班次结束（reset 端口）时输出最终结果', en: 'OEE so far in the shift, this often; the final figures when the shift ends (reset port)' },
    unit: 'ms',
    widget: 'duration',
  }),
  offlineAfterMs: field(z.number().int().min(1_000).max(3_600_000).optional(), {
    label: { zh: '静默即离线', en: 'Offline when silent for' },
    help: {
      zh: '仅当设备每次轮询都上报时填写：这么久没有数据计为离线。留空时，设备离线由质量为 bad 的数据表示',
      en: 'Only for devices reported every poll: this long without data counts as offline. Empty: a device is offline while its data has bad quality',
    },
    unit: 'ms',
    widget: 'duration',
    advanced: true,
  }),
});
export type OeeConfig = z.infer<typeof oeeConfig>;

export const oeeDefinition: NodeDefinition<OeeConfig> & { config: typeof oeeConfig } = {
  type: 'oee',
  version: 1,
  category: 'data',
  icon: '◔',
  title: { zh: '设备综合效率 OEE', en: 'OEE' },
  summary: {
    zh: '按设备计算时间开动率、性能开动率、合格品率和 OEE，按班次累计',
    en: 'Per device availability, performance, quality and OEE, accumulated per shift',
  },
  inputs: [port('in', '设备数据', 'device data'), port('reset', '班次开始', 'shift start')],
  outputs: [port('out', 'OEE', 'OEE')],
  config: oeeConfig,
};
