import { NodeConfigError, defineNode } from '../../sdk';
import type { UplinkCommand } from '../../sdk';
import { mqttInDefinition } from './definition';
import { uplinkWithEndpoint } from '../uplink-endpoint';

interface ShapedCommand {
  readonly device?: string;
  readonly payload: unknown;
}

/**
 * Commands come as `{ device, tag, value }` or `{ device, set: { tag: value, … } }`; both become the
 * `{ tag: value }` payload Modbus write takes, so the range checks of the device profile apply
 * unchanged. Anything else passes as it came, with the device from the topic's last level.
 */
export function shapeCommand(command: Pick<UplinkCommand, 'topic' | 'payload'>): ShapedCommand {
  const p = command.payload;
  const fromTopic = command.topic.split('/').at(-1) || undefined;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return { device: fromTopic, payload: p };
  const o = p as Record<string, unknown>;
  const device = typeof o.device === 'string' ? o.device : fromTopic;
  if (typeof o.tag === 'string' && 'value' in o) return { device, payload: { [o.tag]: o.value } };
  if (o.set !== null && typeof o.set === 'object' && !Array.isArray(o.set)) return { device, payload: o.set };
  return { device, payload: p };
}

export const mqttIn = defineNode(mqttInDefinition, (config, ctx) => {
  const uplink = uplinkWithEndpoint(ctx, config.endpoint, 'mqtt');
  if (!uplink.acceptsCommands(config.endpoint, config.topic)) {
    throw new NodeConfigError(['topic'], {
      zh: `上传策略不允许在端点 “${config.endpoint}” 上接收主题 “${config.topic}” 的指令（见策略的 commands）`,
      en: `the uplink policy does not let commands in on "${config.topic}" at endpoint "${config.endpoint}" (see the policy's commands)`,
    }, 'command-not-allowed');
  }
  let unsubscribe: (() => void) | undefined;
  return {
    start() {
      unsubscribe = uplink.subscribe(config.endpoint, config.topic, (cmd) => {
        const shaped = shapeCommand(cmd);
        ctx.send('out', ctx.message({ ts: cmd.receivedAt, topic: cmd.topic, payload: shaped.payload, ...(shaped.device ? { device: shaped.device } : {}) }));
      });
    },
    stop() {
      unsubscribe?.();
    },
  };
});
