import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { deviceFilterField, refreshField } from '../widget-kit';

export const textConfig = z.object({
  markdown: field(z.object({ zh: z.string().max(20_000), en: z.string().max(20_000) }).default({ zh: '', en: '' }), {
    label: { zh: '内容（Markdown）', en: 'Content (Markdown)' },
    help: {
      zh: '中英文各一份；{{value}} 处显示收到的最新值，如“今日计划：{{value}} 件”',
      en: 'One per language; {{value}} shows the latest value received, e.g. "Plan today: {{value}} pcs"',
    },
    widget: 'textarea',
  }),
  property: field(z.string().min(1).max(200).default('payload'), {
    label: { zh: '数值字段', en: 'Value field' },
    help: { zh: '{{value}} 取自消息的这个字段', en: 'Where {{value}} comes from in a message' },
    widget: 'property-path',
  }),
  device: deviceFilterField(),
  decimals: field(z.number().int().min(0).max(6).optional(), { label: { zh: '小数位', en: 'Decimals' } }),
  refreshMs: refreshField(),
});
export type TextConfig = z.infer<typeof textConfig>;

export const textDefinition: NodeDefinition<TextConfig> & { config: typeof textConfig } = {
  type: 'text',
  version: 1,
  category: 'dashboard',
  icon: '¶',
  title: { zh: '文本', en: 'Text' },
  summary: { zh: '看板上的说明文字（Markdown），可嵌入最新值', en: 'Notes on the dashboard (Markdown), optionally with the latest value' },
  inputs: [port('in', '数值', 'value')],
  outputs: [],
  config: textConfig,
  queue: { capacity: 100, overflow: 'drop-oldest' },
};
