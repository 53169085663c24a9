import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

const AlarmCode = z.string().refine((s) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s), {
  message: 'an alarm code of letters, digits, "_", "." or "-" (at most 64, starting with a letter or digit)',
  params: { zh: '报警代码只能由字母、数字、“_”、“.”、“-” 组成（最多 64 个字符，以字母或数字开头）' },
});

const delay = (zh: string, en: string, help: { zh: string; en: string }) => field(z.number().int().min(0).max(MAX_DELAY_MS).default(0), {
  label: { zh, en },
  help,
  unit: 'ms',
  widget: 'duration',
});

export const thresholdAlarmConfig = z.object({
  property: field(z.string().min(1).default('payload'), {
    label: { zh: '数值属性', en: 'Value property' },
    help: { zh: '消息中被检查的数值，如 payload 或 payload.temp', en: 'The number checked, e.g. payload or payload.temp' },
    widget: 'property-path',
  }),
  high: field(z.number().optional(), {
    label: { zh: '上限', en: 'High limit' },
    help: { zh: '数值高于上限时报警；留空则不检查', en: 'Alarm when the value is above it; empty: not checked' },
  }),
  low: field(z.number().optional(), {
    label: { zh: '下限', en: 'Low limit' },
    help: { zh: '数值低于下限时报警；留空则不检查', en: 'Alarm when the value is below it; empty: not checked' },
  }),
  hysteresis: field(z.number().min(0).default(0), {
    label: { zh: '回差', en: 'Hysteresis' },
    help: {
      zh: '上限报警在数值低于“上限 − 回差”后才解除，下限报警在高于“下限 + 回差”后才解除',
      en: 'A high alarm clears only below high − hysteresis, a low alarm only above low + hysteresis',
    },
  }),
  onDelayMs: delay('报警延时', 'On delay', {
    zh: '越限须持续这么久才报警（到时即报警，无需新消息）',
    en: 'The limit must stay violated this long before the alarm is raised (raised on time, without waiting for a message)',
  }),
  offDelayMs: delay('解除延时', 'Off delay', {
    zh: '恢复正常须持续这么久才解除报警',
    en: 'The value must stay normal this long before the alarm clears',
  }),
  severity: field(z.enum(SEVERITIES).default('warning'), {
    label: { zh: '级别', en: 'Severity' },
    help: { zh: 'info 提示、warning 警告、critical 严重', en: 'info, warning or critical' },
  }),
  code: field(AlarmCode.default('threshold'), {
    label: { zh: '报警代码', en: 'Alarm code' },
    help: { zh: '报警消息的主题为 alarm/<代码>', en: 'Alarm messages have the topic alarm/<code>' },
  }),
  text: field(z.object({ zh: z.string().min(1), en: z.string().min(1) }).optional(), {
    label: { zh: '报警说明', en: 'Description' },
    help: { zh: '显示给操作员的说明，中文与英文', en: 'Shown to operators, in Chinese and English' },
  }),
  perDevice: field(z.boolean().default(true), {
    label: { zh: '按设备分别报警', en: 'Per device' },
    help: { zh: '每台设备（msg.device）有各自的报警状态', en: 'Each device (msg.device) has its own alarm state' },
    advanced: true,
  }),
}).superRefine((c, ctx) => {
  if (c.high === undefined && c.low === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['high'],
      message: 'set a high limit, a low limit, or both',
      params: { zh: '请设置上限、下限或两者' },
    });
  }
  // The refinement also runs when another field failed, so the limits may not be numbers yet.
  const { high, low } = c as { high: unknown; low: unknown };
  if (typeof high === 'number' && typeof low === 'number' && low >= high) {
    ctx.addIssue({
      code: 'custom',
      path: ['low'],
      message: `the low limit (${low}) must be below the high limit (${high})`,
      params: { zh: `下限（${low}）必须小于上限（${high}）` },
    });
  }
});
export type ThresholdAlarmConfig = z.infer<typeof thresholdAlarmConfig>;

export const thresholdAlarmDefinition: NodeDefinition<ThresholdAlarmConfig> & { config: typeof thresholdAlarmConfig } = {
  type: 'threshold-alarm',
  version: 1,
  category: 'alarm',
  icon: '⚠',
  title: { zh: '越限报警', en: 'Threshold alarm' },
  summary: {
    zh: '数值越过上限或下限时报警，支持回差与延时，恢复后解除',
    en: 'Raises an alarm when a value crosses a high or low limit, with hysteresis and delays, and clears it on return',
  },
  inputs: [port('in', '输入', 'in')],
  outputs: [port('alarm', '报警', 'alarm'), port('out', '原消息', 'out')],
  config: thresholdAlarmConfig,
};
