import { defineNode, port, z } from '../../nodes/sdk';

/** A test source: sends 1, 2, 3 … every `everyMs` on `out`, through ctx.clock. */
export const tickerNode = defineNode({
  type: 'ticker',
  version: 1,
  category: 'input',
  icon: 't',
  title: { zh: '计数源', en: 'Ticker' },
  summary: { zh: '测试用', en: 'For tests' },
  inputs: [],
  outputs: [port('out', '输出', 'out')],
  config: z.object({ everyMs: z.number().int().min(1).default(10) }),
}, (config, ctx) => {
  let n = 0;
  let timer: unknown;
  const tick = () => {
    ctx.send('out', ctx.message({ topic: 'tick', payload: ++n }));
    timer = ctx.clock.setTimeout(tick, config.everyMs);
  };
  return {
    start() {
      timer = ctx.clock.setTimeout(tick, config.everyMs);
    },
    stop() {
      ctx.clock.clearTimeout(timer);
    },
  };
});
