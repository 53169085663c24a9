import { defineNode, port, z } from '../../nodes/sdk';
import type { AnyNodeType, Message } from '../../nodes/sdk';

/**
 * A sink for tests: every message it receives lands in `received`, with its input port.
 * Register it with `createNodeRegistry([collector.type])` and wire flows into `collect`.
 */
export function createCollector(type = 'collect'): { type: AnyNodeType; received: { port: string; msg: Message }[]; payloads(): unknown[] } {
  const received: { port: string; msg: Message }[] = [];
  const nodeType = defineNode({
    type,
    version: 1,
    category: 'debug',
    icon: '⊻',
    title: { zh: '收集', en: 'Collect' },
    summary: { zh: '测试用：保存收到的消息', en: 'For tests: keeps what it receives' },
    inputs: [port('in', '输入', 'in'), port('in2', '输入 2', 'in 2')],
    outputs: [],
    config: z.object({}),
  }, () => ({
    onMessage(msg, p) {
      received.push({ port: p, msg });
    },
  }));
  return { type: nodeType, received, payloads: () => received.map((r) => r.msg.payload) };
}
