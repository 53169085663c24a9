import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

const RESERVED = new Set(['error', 'payload', 'topic', 'ts', 'device', 'quality']);

const OutputName = z.string().refine((s) => /^[a-z][a-z0-9_-]{0,31}$/.test(s) && !RESERVED.has(s), {
  message: 'a port name of lower-case letters, digits, "_" or "-", not error/payload/topic/ts/device/quality',
  params: { zh: '端口名须为小写字母、数字、“_”或“-”，且不能是 error/payload/topic/ts/device/quality' },
});

export const ruleConfig = z.object({
  code: field(z.string().max(200_000).default('return msg;'), {
    label: { zh: '规则代码', en: 'Rule code' },
    help: { zh: '函数体 function (msg, state, log) { … }：返回消息、消息数组、按端口名分组的对象，或不返回', en: 'Body of function (msg, state, log) { … }: return a message, an array, an object keyed by port, or nothing' },
    widget: 'code',
    language: 'javascript',
  }),
  outputs: field(z.array(OutputName).min(1).max(16).default(['out']).refine((a) => new Set(a).size === a.length, {
    message: 'output port names must be unique',
    params: { zh: '输出端口名不能重复' },
  }), {
    label: { zh: '输出端口', en: 'Output ports' },
    help: { zh: '第一个端口接收直接返回的消息', en: 'The first port receives messages returned directly' },
    widget: 'port-list',
  }),
  initialState: field(z.record(z.string(), z.unknown()).optional(), {
    label: { zh: '初始状态', en: 'Initial state' },
    widget: 'json',
    advanced: true,
  }),
  deadlineMs: field(z.number().int().min(1).max(10_000).optional(), {
    label: { zh: '单条消息时限', en: 'Deadline per message' },
    unit: 'ms',
    help: { zh: '留空则使用流程设置（默认 50 ms）', en: 'Empty: the flow setting (default 50 ms)' },
    advanced: true,
  }),
  memoryMb: field(z.number().int().min(24).max(512).optional(), {
    label: { zh: '内存上限', en: 'Memory cap' },
    unit: 'MB',
    help: { zh: '留空则使用流程设置（默认 32 MB）', en: 'Empty: the flow setting (default 32 MB)' },
    advanced: true,
  }),
});
export type RuleConfig = z.infer<typeof ruleConfig>;

export const ruleDefinition: NodeDefinition<RuleConfig> & { config: typeof ruleConfig } = {
  type: 'rule',
  version: 1,
  category: 'logic',
  icon: 'ƒ',
  title: { zh: '规则', en: 'Rule' },
  summary: { zh: '在沙箱中运行一段 JavaScript，处理每条消息', en: 'Runs a piece of sandboxed JavaScript on every message' },
  inputs: [port('in', '输入', 'in')],
  outputs: (config) => config.outputs.map((name) => ({ name, label: { zh: name, en: name } })),
  config: ruleConfig,
  batchSize: 512,
  maxInFlight: 2,
};
