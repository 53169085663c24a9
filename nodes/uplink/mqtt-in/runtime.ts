import { NodeConfigError, NodeError, defineNode, requireService } from '../../sdk';
import { mqttInDefinition } from './definition';

export const mqttIn = defineNode(mqttInDefinition, (config, ctx) => {
  const uplink = requireService(ctx, 'uplink');
  let unsubscribe: (() => void) | undefined;
  return {
    start() {
      try {
        unsubscribe = uplink.subscribe(config.endpoint, config.topic, (cmd) => {
          // A command names its device in the payload ({ device, tag, value }) or in the topic's last level.
          const p = cmd.payload as { device?: unknown } | null;
          const device = p && typeof p === 'object' && typeof p.device === 'string' ? p.device : undefined;
          ctx.send('out', ctx.message({ ts: cmd.receivedAt, topic: cmd.topic, payload: cmd.payload, device }));
        });
      } catch (err) {
        if (err instanceof NodeError) throw new NodeConfigError(['topic'], err.text, 'command-not-allowed');
        throw err;
      }
    },
    stop() {
      unsubscribe?.();
    },
  };
});
