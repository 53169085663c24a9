import { NodeConfigError, NodeError, requireService } from '../sdk';
import type { Message, NodeContext, NodeHandlers, UplinkService } from '../sdk';

const KIND_NAME = { mqtt: 'MQTT', http: 'HTTP' } as const;

/** The site's uplink, once the policy is known to have this endpoint of this kind (else a config error at deploy). */
export function uplinkWithEndpoint(ctx: NodeContext, endpoint: string, kind: 'mqtt' | 'http'): UplinkService {
  const uplink = requireService(ctx, 'uplink');
  if (uplink.endpointKind(endpoint) !== kind) {
    throw new NodeConfigError(['endpoint'], {
      zh: `上传策略中没有 ${KIND_NAME[kind]} 端点 “${endpoint}”`,
      en: `the uplink policy has no ${KIND_NAME[kind]} endpoint "${endpoint}"`,
    }, 'unknown-endpoint');
  }
  return uplink;
}

/** What mqtt-out and http-out do: queue each batch for the endpoint, show how many went, report what the policy refused. */
export function sendToEndpoint(config: { endpoint: string; granularity: 'raw' | '1m' | '1h' | 'kpi' }, ctx: NodeContext, kind: 'mqtt' | 'http'): NodeHandlers {
  const uplink = uplinkWithEndpoint(ctx, config.endpoint, kind);
  let queued = 0;
  return {
    onBatch(msgs: readonly Message[]) {
      const r = uplink.send(config.endpoint, msgs, config.granularity);
      queued += r.queued;
      ctx.status('running', `${queued} ⇡`);
      if (r.refused > 0 && r.reason) ctx.reportError(new NodeError(r.reason), msgs[0]);
    },
  };
}
