import { NodeConfigError, NodeError, defineNode, requireService } from '../../sdk';
import type { Message } from '../../sdk';
import { httpOutDefinition } from './definition';

export const httpOut = defineNode(httpOutDefinition, (config, ctx) => {
  const uplink = requireService(ctx, 'uplink');
  if (uplink.endpointKind(config.endpoint) !== 'http') {
    throw new NodeConfigError(['endpoint'], {
      zh: `上传策略中没有 HTTP 端点 “${config.endpoint}”`,
      en: `the uplink policy has no HTTP endpoint "${config.endpoint}"`,
    }, 'unknown-endpoint');
  }
  let queued = 0;
  return {
    onBatch(msgs: readonly Message[]) {
      const r = uplink.send(config.endpoint, msgs, config.granularity);
      queued += r.queued;
      ctx.status('running', `${queued} ⇡`);
      if (r.refused > 0 && r.reason) ctx.reportError(new NodeError(r.reason), msgs[0]);
    },
  };
});
