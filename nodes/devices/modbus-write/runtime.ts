import { NodeError, defineNode, requireService } from '../../sdk';
import type { DeviceValue, Message } from '../../sdk';
import { modbusWriteDefinition } from './definition';

function isValue(v: unknown): v is DeviceValue {
  return v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string';
}

export interface ModbusWriteInspect {
  written: number;
  refused: number;
}

export const modbusWrite = defineNode(modbusWriteDefinition, (config, ctx) => {
  const devices = requireService(ctx, 'devices');
  // Writes only: these devices are connected, not polled, unless a read node polls them too.
  const handle = devices.open({ owner: `${ctx.flowId}/${ctx.nodeId}`, devices: config.devices, tags: config.tag === undefined ? [] : [config.tag], poll: false });
  let written = 0;
  let refused = 0;

  function target(msg: Message): string {
    if (config.device !== undefined) return config.device;
    if (msg.device !== undefined) {
      if (!handle.devices.includes(msg.device)) {
        throw new NodeError({ zh: `设备 “${msg.device}” 不在此节点的设备组中`, en: `device "${msg.device}" is not in this node's device group` });
      }
      return msg.device;
    }
    if (handle.devices.length === 1) return handle.devices[0]!;
    throw new NodeError({ zh: '消息没有 device，且设备组中有多台设备：请在配置中指定设备', en: 'the message has no device and the group has several: set the device in the config' });
  }

  function writes(msg: Message): [string, DeviceValue][] {
    if (config.tag !== undefined) {
      if (!isValue(msg.payload)) throw new NodeError({ zh: 'payload 必须是数值、布尔值或文本', en: 'payload must be a number, a boolean or text' });
      return [[config.tag, msg.payload]];
    }
    const p = msg.payload;
    if (p === null || typeof p !== 'object' || Array.isArray(p) || Object.keys(p).length === 0) {
      throw new NodeError({ zh: '未配置点位时，payload 必须是 { 点位: 值, … }', en: 'without a configured tag, payload must be { tag: value, … }' });
    }
    return Object.entries(p as Record<string, unknown>).map(([k, v]) => {
      if (!isValue(v)) throw new NodeError({ zh: `点位 “${k}” 的值必须是数值、布尔值或文本`, en: `the value for "${k}" must be a number, a boolean or text` });
      return [k, v];
    });
  }

  return {
    async onMessage(msg) {
      if (msg.quality === 'bad') {
        // A value nobody trusts is not sent to a machine.
        refused++;
        ctx.reportError(new NodeError({ zh: '消息质量为 bad，不写入', en: 'message quality is bad; not written' }), msg);
        return;
      }
      let device: string;
      let list: [string, DeviceValue][];
      try {
        device = target(msg);
        list = writes(msg);
      } catch (err) {
        refused++;
        ctx.reportError(err, msg);
        return;
      }
      for (const [tag, value] of list) {
        try {
          const r = await handle.write(device, tag, value);
          written++;
          ctx.send('out', ctx.message({ ts: r.at, topic: `${device}/${tag}`, device, payload: { tag, value: r.value, raw: r.raw } }));
        } catch (err) {
          refused++;
          ctx.reportError(err, msg);
        }
      }
    },
    stop() {
      handle.close();
    },
    inspect(): ModbusWriteInspect {
      return { written, refused };
    },
  };
});
