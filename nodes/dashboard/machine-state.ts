// Machine states as the state timeline and the device grid show them: the same words as the OEE node.
import { field, readPath, z } from '../sdk';
import type { Message } from '../sdk';

export const MACHINE_STATES = ['running', 'idle', 'fault', 'planned-stop', 'offline'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

/** The OEE node's default map, so a timeline beside an OEE node reads the device the same way. */
export const DEFAULT_STATE_MAP: Record<string, MachineState> = {
  '0': 'idle', '1': 'running', '2': 'fault', '3': 'planned-stop',
  running: 'running', idle: 'idle', fault: 'fault', 'planned-stop': 'planned-stop', offline: 'offline',
};

export const stateFields = () => ({
  stateProperty: field(z.string().min(1).max(200).default('payload.state'), {
    label: { zh: '状态字段', en: 'State field' },
    help: { zh: '机器状态所在的字段；经下方映射成运行、待机、故障、计划停机、离线', en: 'Where the machine state is; mapped below to running, idle, fault, planned stop, offline' },
    widget: 'property-path',
  }),
  stateMap: field(z.record(z.string(), z.enum(MACHINE_STATES)).default(DEFAULT_STATE_MAP), {
    label: { zh: '状态映射', en: 'State map' },
    help: { zh: '{ 设备上的值: running | idle | fault | planned-stop | offline }；未列出的值按待机计', en: '{ device value: running | idle | fault | planned-stop | offline }; values not listed count as idle' },
    widget: 'json',
  }),
  offlineAfterMs: field(z.number().int().min(1_000).max(3_600_000).optional(), {
    label: { zh: '静默即离线', en: 'Offline when silent for' },
    help: {
      zh: '设备这么久没有数据即显示为离线；留空时仅质量为 bad 的数据表示离线',
      en: 'A device without data this long shows as offline; empty: only bad-quality data means offline',
    },
    unit: 'ms',
    widget: 'duration',
    advanced: true,
  }),
});

/**
 * The state a message says a device is in: bad quality is offline; unknown values count as idle;
 * undefined when the message carries no state (it says nothing about the machine).
 */
export function stateOf(msg: Message, property: string, map: Readonly<Record<string, MachineState>>): MachineState | undefined {
  if (msg.quality === 'bad') return 'offline';
  const value = readPath(msg, property);
  if (value === undefined) return undefined;
  if (value === null) return 'offline';
  return map[typeof value === 'boolean' ? (value ? '1' : '0') : String(value)] ?? 'idle';
}
