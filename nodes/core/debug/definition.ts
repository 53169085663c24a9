import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

export const debugConfig = z.object({
  active: field(z.boolean().default(true), {
    label: { zh: '启用', en: 'Active' },
    help: { zh: '关闭后不记录也不显示，无需改动连线', en: 'Off: records and shows nothing, without rewiring' },
  }),
  property: field(z.string().min(1).default('payload'), {
    label: { zh: '显示的属性', en: 'Property shown' },
    help: { zh: '如 payload 或 payload.temp', en: 'e.g. payload or payload.temp' },
    widget: 'property-path',
  }),
  wholeMessage: field(z.boolean().default(false), {
    label: { zh: '显示整条消息', en: 'Whole message' },
    help: { zh: '开启后忽略“显示的属性”', en: 'When on, "Property shown" is ignored' },
  }),
  bufferSize: field(z.number().int().min(1).max(10_000).default(100), {
    label: { zh: '保留条数', en: 'Messages kept' },
    help: { zh: '保留最近的这么多条，供调试面板查看', en: 'The latest this many are kept for the debug panel' },
    advanced: true,
  }),
  maxPerSecond: field(z.number().int().min(1).max(1_000).default(50), {
    label: { zh: '每秒最多推送', en: 'Live events per second' },
    help: {
      zh: '超出的消息仍会保留，只是不实时推送；跳过的条数随下一条推送',
      en: 'Messages past this are still kept, just not pushed live; the number skipped comes with the next one',
    },
    unit: '/s',
    advanced: true,
  }),
});
export type DebugConfig = z.infer<typeof debugConfig>;

export const debugDefinition: NodeDefinition<DebugConfig> & { config: typeof debugConfig } = {
  type: 'debug',
  version: 1,
  category: 'debug',
  icon: '⌕',
  title: { zh: '调试', en: 'Debug' },
  summary: { zh: '在调试面板中显示收到的消息', en: 'Shows the messages it receives in the debug panel' },
  inputs: [port('in', '输入', 'in')],
  outputs: [],
  config: debugConfig,
  // Looking at a flow must never slow it down: past capacity the oldest waiting messages go.
  queue: { capacity: 1000, overflow: 'drop-oldest' },
};
