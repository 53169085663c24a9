import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { refreshField } from '../widget-kit';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;

export const alarmListConfig = z.object({
  codes: field(z.array(z.string().min(1).max(100)).max(100).optional(), {
    label: { zh: '报警代码', en: 'Alarm codes' },
    help: { zh: '只列这些代码的报警；留空列出全部', en: 'Only alarms with these codes; empty: all' },
  }),
  devices: field(z.array(z.string().min(1).max(128)).max(1000).optional(), {
    label: { zh: '设备', en: 'Devices' },
    help: { zh: '只列这些设备的报警；留空不限', en: 'Only alarms of these devices; empty: any' },
  }),
  minSeverity: field(z.enum(SEVERITIES).default('info'), {
    label: { zh: '最低级别', en: 'Lowest severity' },
    help: { zh: '低于此级别的报警不列出', en: 'Alarms below this severity are not listed' },
  }),
  historyLimit: field(z.number().int().min(0).max(1_000).default(50), {
    label: { zh: '历史条数', en: 'History entries' },
    help: { zh: '已消除的报警列出最近多少条', en: 'How many cleared alarms are listed' },
  }),
  refreshMs: refreshField(),
});
export type AlarmListConfig = z.infer<typeof alarmListConfig>;

export const alarmListDefinition: NodeDefinition<AlarmListConfig> & { config: typeof alarmListConfig } = {
  type: 'alarm-list',
  version: 1,
  category: 'dashboard',
  icon: '⚠',
  title: { zh: '报警列表', en: 'Alarm list' },
  summary: {
    zh: '当前报警和历史报警，有确认权限的用户可确认（记录确认人和时间）',
    en: 'Active and past alarms; users allowed to can acknowledge them (who and when is recorded)',
  },
  inputs: [port('in', '报警', 'alarms')],
  outputs: [],
  config: alarmListConfig,
  queue: { capacity: 1000, overflow: 'drop-oldest' },
};
