import { NodeConfigError, NodeError, defineNode, requireService } from '../../sdk';
import type { Message } from '../../sdk';
import { mqttOutDefinition } from './definition';

export const mqttOut = defineNode(mqttOutDefinition, (config, ctx) => {
  const uplink = requireService(ctx, 'uplink');
  if (uplink.endpointKind(config.endpoint) !== 'mqtt') {
    throw new NodeConfigError(['endpoint'], {
      zh: `上传策略中没有 MQTT 端点 “${config.endpoint}”`,
      en: `the uplink policy has no MQTT endpoint "${config.endpoint}"`,
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
