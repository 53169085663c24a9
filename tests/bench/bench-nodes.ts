import { defineNode, port, z } from '../../nodes/sdk';

/**
 * Harness nodes for the engine benchmark, the same roles the peer's generator and counter
 * function nodes play: a generator that answers acks (closed loop) or emits everything as
 * fast as the engine lets it (burst), and a counter that acks every batch and reports runs.
 */
export const benchGenerator = defineNode({
  type: 'bench-generator',
  version: 1,
  category: 'input',
  icon: 'G',
  title: { zh: '基准：生成', en: 'Bench: generate' },
  summary: { zh: '基准测试用', en: 'Benchmark harness' },
  inputs: [port('ack', '确认', 'ack')],
  outputs: [port('out', '输出', 'out')],
  config: z.object({ batch: z.number().int().default(100), window: z.number().int().default(4), mode: z.enum(['paced', 'burst']).default('paced') }),
}, (config, ctx) => {
  let remaining = 0;
  const sendBatch = () => {
    const n = Math.min(config.batch, remaining);
    for (let j = 0; j < n; j++) ctx.send('out', ctx.message({ payload: j % 100 }));
    remaining -= n;
  };
  const burst = async () => {
    while (remaining > 0) {
      sendBatch();
      // One batch per event-loop turn, as the peer's burst generator does; the engine's
      // declared policy (block the source) makes it wait when the next queue is full.
      await new Promise((r) => setImmediate(r));
      if (remaining > 0) await ctx.whenReady();
    }
  };
  return {
    onMessage(msg) {
      if (msg.topic === 'start') {
        remaining = msg.payload as number;
        if (config.mode === 'burst') void burst();
        else for (let b = 0; b < config.window && remaining > 0; b++) sendBatch();
      } else if (remaining > 0 && config.mode === 'paced') {
        sendBatch();
      }
    },
  };
});

export const benchCounter = defineNode({
  type: 'bench-counter',
  version: 1,
  category: 'debug',
  icon: 'C',
  title: { zh: '基准：计数', en: 'Bench: count' },
  summary: { zh: '基准测试用', en: 'Benchmark harness' },
  inputs: [port('in', '输入', 'in'), port('control', '控制', 'control')],
  outputs: [port('ack', '确认', 'ack'), port('done', '完成', 'done')],
  config: z.object({ batch: z.number().int().default(100) }),
}, (config, ctx) => {
  let count = 0;
  let target = 0;
  let t0 = 0;
  return {
    onMessage(msg, p) {
      if (p === 'control') {
        count = 0;
        target = msg.payload as number;
        t0 = performance.now();
        return;
      }
      count++;
      if (count % config.batch !== 0) return;
      if (count < target) {
        ctx.send('ack', ctx.message({ topic: 'ack' }));
        return;
      }
      const ms = performance.now() - t0;
      ctx.send('done', ctx.message({ topic: 'done', payload: { n: count, ms, rate: (count * 1000) / ms } }));
    },
  };
});
