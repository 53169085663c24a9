/**
 * Reads every tag of a device once, block by block as the planner groups them, and says for
 * each tag what came back: value, quality, raw registers, the error if any, and whether the
 * value lies within the profile's plausible range. What `kaiwu verify` prints and a field
 * engineer signs off.
 */
import type { DeviceValue } from '../../nodes/sdk';
import type { DeviceEntry } from '../model/device-profile';
import type { Quality } from '../model/message';
import type { Text } from '../model/text';
import type { CompiledBlock, CompiledDevice, CompiledTag, Decoded } from './compile';
import { compileDevice, decodeRegisterTag } from './compile';
import type { ModbusClient, ModbusError } from './modbus-client';
import { openModbusClient } from './modbus-client';
import type { ProfileCatalog } from './profile-catalog';

export interface TagReading {
  readonly key: string;
  readonly label: Text;
  readonly unit?: string;
  readonly value: DeviceValue;
  readonly quality: Quality;
  /** Registers as hex words, or the bit, as read. */
  readonly raw: string;
  readonly range: 'ok' | 'below' | 'above' | 'none';
  readonly min?: number;
  readonly max?: number;
  readonly error?: Text;
}

export interface DeviceReading {
  readonly device: CompiledDevice;
  readonly at: number;
  readonly requests: number;
  readonly tags: readonly TagReading[];
}

function rangeOf(tag: CompiledTag, value: DeviceValue): TagReading['range'] {
  const { min, max } = tag.info;
  if (typeof value !== 'number' || (min === undefined && max === undefined)) return 'none';
  if (min !== undefined && value < min) return 'below';
  if (max !== undefined && value > max) return 'above';
  return 'ok';
}

function hexWords(bytes: Uint8Array, from: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(((bytes[2 * (from + i)]! << 8) | bytes[2 * (from + i) + 1]!).toString(16).padStart(4, '0'));
  return out.join(' ');
}

function readBlock(client: ModbusClient, d: CompiledDevice, b: CompiledBlock, timeoutMs: number): Promise<Uint8Array | boolean[]> {
  return new Promise((resolve, reject) => {
    const done = (err: ModbusError | null, v?: Uint8Array | boolean[]) => (err ? reject(err) : resolve(v!));
    if (b.area === 'coil' || b.area === 'discrete') client.readBits(d.unitId, b.area, b.start, b.count, timeoutMs, done);
    else client.readRegisters(d.unitId, b.area, b.start, b.count, timeoutMs, done);
  });
}

/** Reads all tags of `entry` once. Connection failures reject; per-block failures mark their tags bad. */
export async function readDeviceOnce(entry: DeviceEntry, catalog: ProfileCatalog, options: { timeoutMs?: number; connectTimeoutMs?: number; now?: () => number } = {}): Promise<DeviceReading> {
  const device = compileDevice(entry, catalog);
  const timeoutMs = options.timeoutMs ?? device.timeoutMs ?? 1000;
  const client = await openModbusClient(device.endpoint, { connectTimeoutMs: options.connectTimeoutMs ?? 3000 });
  const readings = new Map<number, TagReading>();
  let requests = 0;
  const scratch: Decoded = { value: null, quality: 'bad' };
  try {
    for (const g of device.groups) {
      for (const block of g.blocks) {
        // Read each block twice at most: once as planned, then tag by tag if the device refuses the span.
        const attempts: CompiledBlock[][] = [[block]];
        if (block.bridged) attempts.push(block.tags.map((t) => ({ area: t.area, start: t.start, count: t.width, intervalMs: g.intervalMs, tags: [t], bridged: false })));
        for (let a = 0; a < attempts.length; a++) {
          const blocks = attempts[a]!;
          let refused = false;
          for (const b of blocks) {
            requests++;
            try {
              if (device.endpoint.kind !== 'tcp') client.discardInput();
              const answer = await readBlock(client, device, b, timeoutMs);
              for (const tag of b.tags) {
                let value: DeviceValue;
                let quality: Quality;
                let raw: string;
                if (Array.isArray(answer)) {
                  value = answer[tag.start - b.start] === true;
                  quality = 'good';
                  raw = value ? '1' : '0';
                } else {
                  decodeRegisterTag(tag, b, answer, scratch);
                  value = scratch.value;
                  quality = scratch.quality;
                  raw = hexWords(answer, tag.start - b.start, tag.width);
                }
                readings.set(tag.index, reading(tag, value, quality, raw));
              }
            } catch (err) {
              const e = err as ModbusError;
              if (a === 0 && attempts.length > 1 && e.kind === 'exception' && (e.code === 2 || e.code === 3)) {
                refused = true;
                break;
              }
              for (const tag of b.tags) readings.set(tag.index, reading(tag, null, 'bad', '', e.text ?? { zh: String(err), en: String(err) }));
              // A serial line needs a moment of silence after a timeout before the next request.
              if (device.endpoint.kind !== 'tcp' && e.kind === 'timeout') await new Promise((r) => setTimeout(r, 50));
            }
          }
          if (!refused) break;
        }
      }
    }
  } finally {
    await client.close();
  }
  return { device, at: (options.now ?? Date.now)(), requests, tags: device.tags.map((t) => readings.get(t.index)!) };
}

function reading(tag: CompiledTag, value: DeviceValue, quality: Quality, raw: string, error?: Text): TagReading {
  const { min, max, unit } = tag.info;
  return {
    key: tag.key,
    label: tag.info.label,
    ...(unit === undefined ? {} : { unit }),
    value,
    quality,
    raw,
    range: rangeOf(tag, value),
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
    ...(error === undefined ? {} : { error }),
  };
}
