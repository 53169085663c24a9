import { defineNode, requireService } from '../../sdk';
import type { Message } from '../../sdk';
import { ruleDefinition } from './definition';

export const rule = defineNode(ruleDefinition, async (config, ctx) => {
  const defaults = requireService(ctx, 'ruleLimits');
  const sandbox = await requireService(ctx, 'sandbox').compile({
    code: config.code,
    outputs: config.outputs,
    limits: {
      deadlineMs: config.deadlineMs ?? defaults.deadlineMs,
      hardLimitMs: defaults.hardLimitMs,
      memoryMb: config.memoryMb ?? defaults.memoryMb,
    },
    // Saved state wins over the configured start: a restart or redeploy carries on counting.
    initialState: ctx.services.state?.load() ?? config.initialState,
    label: `${ctx.flowId}/${ctx.nodeId}`,
  });
  return {
    async onBatch(msgs: readonly Message[], port: string) {
      const result = await sandbox.run(msgs, port);
      for (const out of result.outputs) ctx.send(out.port, out.message);
      for (const f of result.failures) ctx.reportError(new Error(f.error), f.message);
      for (const line of result.logs) {
        ctx.log[line.level](line.text);
        ctx.emit('log', line);
      }
      if (result.stateChanged) ctx.services.state?.save(sandbox.state());
    },
    stop() {
      sandbox.dispose();
    },
    inspect() {
      return { state: sandbox.state() };
    },
  };
});
