import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

const PortName = z.string().refine((s) => /^[a-z][a-z0-9_-]{0,31}$/.test(s) && s !== 'error', {
  message: 'a port name of lower-case letters, digits, "_" or "-", starting with a letter, and not "error"',
  params: { zh: '端口名须为小写字母、数字、“_”或“-”，以字母开头，且不能是 error' },
});

const PropertyPath = z.string().refine((s) => /^(payload|topic|device|quality|ts)(\.[^.\s]+)*$/.test(s), {
  message: 'a property path starting with payload, topic, device, quality or ts (e.g. payload.temp)',
  params: { zh: '属性路径须以 payload、topic、device、quality 或 ts 开头（如 payload.temp）' },
});

export const SWITCH_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'contains', 'regex', 'exists', 'missing', 'is-number', 'is-string', 'is-true', 'is-false'] as const;
export type SwitchOp = (typeof SWITCH_OPS)[number];

const NEEDS_VALUE: ReadonlySet<SwitchOp> = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'contains', 'regex']);
const NUMERIC: ReadonlySet<SwitchOp> = new Set(['gt', 'gte', 'lt', 'lte', 'between']);

const SwitchRule = z.object({
  port: field(PortName, { label: { zh: '输出端口', en: 'Output port' } }),
  property: field(PropertyPath.default('payload'), { label: { zh: '属性', en: 'Property' }, widget: 'property-path' }),
  op: field(z.enum(SWITCH_OPS), { label: { zh: '条件', en: 'Condition' } }),
  value: field(z.unknown().optional(), { label: { zh: '值', en: 'Value' }, widget: 'json' }),
  value2: field(z.number().optional(), { label: { zh: '上限值（介于）', en: 'Upper value (between)' } }),
}).superRefine((rule, ctx) => {
  const issue = (path: string, en: string, zh: string) => ctx.addIssue({ code: 'custom', path: [path], message: en, params: { zh } });
  if (NEEDS_VALUE.has(rule.op) && rule.value === undefined) issue('value', `condition "${rule.op}" needs a value`, `条件 “${rule.op}” 需要一个比较值`);
  if (NUMERIC.has(rule.op) && rule.value !== undefined && typeof rule.value !== 'number') {
    issue('value', `condition "${rule.op}" compares numbers: expected a number, got ${JSON.stringify(rule.value)}`, `条件 “${rule.op}” 比较数值：应为数字，实际是 ${JSON.stringify(rule.value)}`);
  }
  if (rule.op === 'between') {
    if (rule.value2 === undefined) issue('value2', 'condition "between" needs an upper value (value2)', '条件 “between” 需要上限值 value2');
    else if (typeof rule.value === 'number' && rule.value > rule.value2) issue('value2', `upper value ${rule.value2} is below the lower value ${rule.value}`, `上限值 ${rule.value2} 小于下限值 ${rule.value}`);
  }
  if (rule.op === 'in' && !Array.isArray(rule.value)) issue('value', 'condition "in" needs an array of values', '条件 “in” 需要一个值数组');
  if (rule.op === 'regex') {
    if (typeof rule.value !== 'string') issue('value', 'condition "regex" needs a pattern string', '条件 “regex” 需要正则表达式字符串');
    else {
      try {
        new RegExp(rule.value);
      } catch (err) {
        issue('value', `invalid regular expression: ${(err as Error).message}`, `正则表达式无效：${(err as Error).message}`);
      }
    }
  }
});
export type SwitchRuleConfig = z.infer<typeof SwitchRule>;

export const switchConfig = z.object({
  rules: field(z.array(SwitchRule).min(1), { label: { zh: '规则', en: 'Rules' } }),
  checkAll: field(z.boolean().default(false), {
    label: { zh: '检查全部规则', en: 'Check all rules' },
    help: { zh: '关闭时第一条匹配的规则决定去向；打开时每条匹配的规则都发送一次', en: 'Off: the first matching rule decides; on: every matching rule sends' },
  }),
  otherwise: field(PortName.optional(), {
    label: { zh: '其余消息端口', en: 'Otherwise port' },
    help: { zh: '不匹配任何规则的消息发往此端口；留空则丢弃', en: 'Messages matching no rule go here; empty: dropped' },
  }),
});
export type SwitchConfig = z.infer<typeof switchConfig>;

export const switchDefinition: NodeDefinition<SwitchConfig> & { config: typeof switchConfig } = {
  type: 'switch',
  version: 1,
  category: 'logic',
  icon: '⋔',
  title: { zh: '分支', en: 'Switch' },
  summary: { zh: '按条件把消息送到不同的端口', en: 'Routes messages to ports by declarative conditions' },
  inputs: [port('in', '输入', 'in')],
  outputs: (config) => {
    const names = [...new Set([...config.rules.map((r) => r.port), ...(config.otherwise ? [config.otherwise] : [])])];
    return names.map((name) => ({ name, label: { zh: name, en: name } }));
  },
  config: switchConfig,
};
