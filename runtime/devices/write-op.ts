/**
 * From "set tag T of device D to V" to the Modbus write that does it, refusing anything the
 * profile does not allow: unknown or read-only tags, wrong value types, values outside the
 * tag's min/max or the raw type's range, strings too long.
 */
import type { DeviceValue } from '../../nodes/sdk';
import type { Text } from '../model/text';
import type { NumericType } from './codec';
import { encodeNumber, encodeString, rawRange, toRaw, wordsOf } from './codec';
import type { CompiledDevice, CompiledTag } from './compile';

export type WriteOp =
  | { readonly kind: 'coil'; readonly address: number; readonly value: boolean }
  | { readonly kind: 'registers'; readonly address: number; readonly bytes: Uint8Array }
  /** A bit of a holding register, with FC22 (mask write) so the other bits stay as they are. */
  | { readonly kind: 'mask'; readonly address: number; readonly andMask: number; readonly orMask: number };

export class WriteRefused extends Error {
  constructor(readonly text: Text) {
    super(text.en);
    this.name = 'WriteRefused';
  }
}

function refuse(zh: string, en: string): never {
  throw new WriteRefused({ zh, en });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function findWritableTag(device: CompiledDevice, key: string): CompiledTag {
  const tag = device.byKey.get(key);
  if (!tag) refuse(`设备 “${device.name}” 的模型 ${device.profile.id} 没有点位 “${key}”`, `device "${device.name}" (${device.profile.id}) has no tag "${key}"`);
  if (tag.info.access !== 'rw') refuse(`点位 “${key}” 只读`, `tag "${key}" is read-only`);
  return tag;
}

/** The write for a value; throws WriteRefused with the reason. */
export function encodeWrite(device: CompiledDevice, key: string, value: DeviceValue): { op: WriteOp; raw: number[] | boolean } {
  const tag = findWritableTag(device, key);
  if (tag.type === 'bool') {
    const v = value === true || value === 1 ? true : value === false || value === 0 ? false : refuse(`点位 “${key}” 需要 true/false，收到 ${describe(value)}`, `tag "${key}" takes true/false, got ${describe(value)}`);
    if (tag.area === 'coil') return { op: { kind: 'coil', address: tag.start, value: v }, raw: v };
    const bit = 1 << tag.bit!;
    return { op: { kind: 'mask', address: tag.start, andMask: 0xffff & ~bit, orMask: v ? bit : 0 }, raw: v };
  }
  const bytes = new Uint8Array(2 * tag.width);
  if (tag.type === 'string') {
    if (typeof value !== 'string') refuse(`点位 “${key}” 需要文本，收到 ${describe(value)}`, `tag "${key}" takes text, got ${describe(value)}`);
    try {
      encodeString(value, tag.length, tag.order, tag.encoding, bytes, 0);
    } catch (err) {
      refuse(`无法写入 “${key}”：${(err as Error).message}`, `cannot write "${key}": ${(err as Error).message}`);
    }
    return { op: { kind: 'registers', address: tag.start, bytes }, raw: words(bytes) };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) refuse(`点位 “${key}” 需要数值，收到 ${describe(value)}`, `tag "${key}" takes a number, got ${describe(value)}`);
  const { min, max, unit } = tag.info;
  const u = unit ? ` ${unit}` : '';
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = `${min ?? '−∞'} … ${max ?? '+∞'}${u}`;
    refuse(`${value}${u} 超出点位 “${key}” 的允许范围 ${range}`, `${value}${u} is outside the range of tag "${key}" (${range})`);
  }
  const type = tag.type as NumericType;
  const raw = toRaw(value, type, tag.scale, tag.offset);
  const [lo, hi] = rawRange(type);
  if (raw < lo || raw > hi) refuse(`${value}${u} 换算后为 ${raw}，超出 ${type} 的范围`, `${value}${u} is ${raw} raw, beyond what ${type} holds`);
  encodeNumber(type, tag.order, raw, bytes, 0);
  if (bytes.length !== 2 * wordsOf(type)) refuse('内部错误：长度不符', 'internal error: size mismatch');
  return { op: { kind: 'registers', address: tag.start, bytes }, raw: words(bytes) };
}

function words(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) out.push((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}
