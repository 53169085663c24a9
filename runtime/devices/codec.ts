/**
 * Register codecs: Modbus registers (big-endian 16-bit words as they arrive) to values and back,
 * for every type and byte order of the profile format. Pure and allocation-light: the poll path
 * decodes straight from the response bytes.
 *
 * Byte orders name the bytes of a value from most to least significant as they appear in the
 * registers: ABCD is big-endian, CDAB swaps the words, BADC swaps the bytes inside each word,
 * DCBA is little-endian. 64-bit values extend the same rule over four words (CDAB → GHEFCDAB).
 * 16-bit values only see the byte part of the order (BADC and DCBA swap their two bytes), and
 * strings run register by register with the two bytes of each swapped under BADC and DCBA.
 *
 * int64/uint64 are decoded exactly as BigInt and handed on as a JavaScript number: beyond
 * ±2^53 (9.007e15) a number cannot hold every integer, so such values are flagged inexact and
 * reach messages with quality `uncertain` rather than silently rounded as `good`.
 */
import type { ByteOrder, NumericType, StringEncoding } from '../model/device-profile';
import { wordsOf } from '../model/device-profile';

const scratch = new Uint8Array(8);
const view = new DataView(scratch.buffer);

function wordsSwapped(order: ByteOrder): boolean {
  return order === 'CDAB' || order === 'DCBA';
}

function bytesSwapped(order: ByteOrder): boolean {
  return order === 'BADC' || order === 'DCBA';
}

/** Copies `words` registers from `bytes` into the scratch buffer in big-endian (ABCD…) order. */
function gather(bytes: Uint8Array, at: number, words: number, order: ByteOrder): void {
  const reverse = wordsSwapped(order);
  const swap = bytesSwapped(order);
  for (let w = 0; w < words; w++) {
    const src = at + 2 * (reverse ? words - 1 - w : w);
    const hi = bytes[src]!;
    const lo = bytes[src + 1]!;
    scratch[2 * w] = swap ? lo : hi;
    scratch[2 * w + 1] = swap ? hi : lo;
  }
}

/** The inverse of {@link gather}: scratch (big-endian) into `out` registers. */
function scatter(out: Uint8Array, at: number, words: number, order: ByteOrder): void {
  const reverse = wordsSwapped(order);
  const swap = bytesSwapped(order);
  for (let w = 0; w < words; w++) {
    const dst = at + 2 * (reverse ? words - 1 - w : w);
    const hi = scratch[2 * w]!;
    const lo = scratch[2 * w + 1]!;
    out[dst] = swap ? lo : hi;
    out[dst + 1] = swap ? hi : lo;
  }
}

export type { NumericType } from '../model/device-profile';
export { wordsOf } from '../model/device-profile';

export const NUMERIC_TYPES: readonly NumericType[] = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64'];

/** A decoded raw number and whether a JavaScript number holds it exactly. */
export interface RawNumber {
  value: number;
  exact: boolean;
}

/**
 * Decodes a numeric type starting at byte `at` of `bytes` (wire order). Reuses `into` so the
 * poll path allocates nothing.
 */
export function decodeNumber(type: NumericType, order: ByteOrder, bytes: Uint8Array, at: number, into: RawNumber = { value: 0, exact: true }): RawNumber {
  into.exact = true;
  switch (type) {
    case 'int16':
    case 'uint16': {
      const hi = bytes[at]!;
      const lo = bytes[at + 1]!;
      const u = bytesSwapped(order) ? (lo << 8) | hi : (hi << 8) | lo;
      into.value = type === 'int16' ? (u << 16) >> 16 : u;
      return into;
    }
    case 'int32':
      gather(bytes, at, 2, order);
      into.value = view.getInt32(0);
      return into;
    case 'uint32':
      gather(bytes, at, 2, order);
      into.value = view.getUint32(0);
      return into;
    case 'float32':
      gather(bytes, at, 2, order);
      into.value = view.getFloat32(0);
      return into;
    case 'float64':
      gather(bytes, at, 4, order);
      into.value = view.getFloat64(0);
      return into;
    case 'int64': {
      gather(bytes, at, 4, order);
      const big = view.getBigInt64(0);
      into.value = Number(big);
      into.exact = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return into;
    }
    case 'uint64': {
      gather(bytes, at, 4, order);
      const big = view.getBigUint64(0);
      into.value = Number(big);
      into.exact = big <= BigInt(Number.MAX_SAFE_INTEGER);
      return into;
    }
  }
}

/** The exact 64-bit integer, for tools (the probe) that print it. */
export function decodeBigInt(type: 'int64' | 'uint64', order: ByteOrder, bytes: Uint8Array, at: number): bigint {
  gather(bytes, at, 4, order);
  return type === 'int64' ? view.getBigInt64(0) : view.getBigUint64(0);
}

const RANGES: Record<Exclude<NumericType, 'float32' | 'float64'>, readonly [number, number]> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** The raw values a type can carry (64-bit types: those a number holds exactly). */
export function rawRange(type: NumericType): readonly [number, number] {
  if (type === 'float32') return [-3.4028234663852886e38, 3.4028234663852886e38];
  if (type === 'float64') return [-Number.MAX_VALUE, Number.MAX_VALUE];
  return RANGES[type];
}

/** Encodes a raw number into registers (wire bytes) at byte `at` of `out`. Integers must be integral and in range. */
export function encodeNumber(type: NumericType, order: ByteOrder, value: number, out: Uint8Array, at: number): void {
  if (type !== 'float32' && type !== 'float64') {
    const [lo, hi] = RANGES[type];
    if (!Number.isInteger(value) || value < lo || value > hi) throw new RangeError(`${value} does not fit ${type}`);
  }
  switch (type) {
    case 'int16':
    case 'uint16': {
      const u = value & 0xffff;
      const swap = bytesSwapped(order);
      out[at] = swap ? u & 0xff : u >> 8;
      out[at + 1] = swap ? u >> 8 : u & 0xff;
      return;
    }
    case 'int32':
      view.setInt32(0, value);
      break;
    case 'uint32':
      view.setUint32(0, value);
      break;
    case 'float32':
      view.setFloat32(0, value);
      break;
    case 'float64':
      view.setFloat64(0, value);
      break;
    case 'int64':
      view.setBigInt64(0, BigInt(value));
      break;
    case 'uint64':
      view.setBigUint64(0, BigInt(value));
      break;
  }
  scatter(out, at, wordsOf(type), order);
}

const gbk = (() => {
  try {
    return new TextDecoder('gbk');
  } catch {
    // Node built without full ICU: GBK strings then decode as UTF-8 (documented in the README).
    return new TextDecoder('utf-8');
  }
})();
const utf8 = new TextDecoder('utf-8');

/**
 * Decodes `length` bytes of a string register run. The text ends at the first NUL; trailing
 * spaces (the usual padding) are dropped.
 */
export function decodeString(bytes: Uint8Array, at: number, length: number, order: ByteOrder, encoding: StringEncoding): string {
  const raw = new Uint8Array(length);
  const swap = bytesSwapped(order);
  for (let i = 0; i < length; i++) {
    const j = swap ? (i ^ 1) : i;
    raw[i] = bytes[at + j] ?? 0;
  }
  let end = raw.indexOf(0);
  if (end < 0) end = length;
  const body = raw.subarray(0, end);
  let text: string;
  if (encoding === 'utf8') text = utf8.decode(body);
  else if (encoding === 'gbk') text = gbk.decode(body);
  else {
    // ASCII read as Latin-1: a stray high byte shows as itself instead of vanishing.
    text = '';
    for (const b of body) text += String.fromCharCode(b);
  }
  return text.replace(/ +$/, '');
}

/** Encodes a string into `registers × 2` bytes, NUL-padded; ASCII and UTF-8 only. */
export function encodeString(text: string, length: number, order: ByteOrder, encoding: StringEncoding, out: Uint8Array, at: number): void {
  if (encoding === 'gbk') throw new RangeError('writing GBK strings is not supported');
  let bytes: Uint8Array;
  if (encoding === 'utf8') bytes = new TextEncoder().encode(text);
  else {
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) throw new RangeError(`"${text}" is not ASCII`);
      bytes[i] = c;
    }
  }
  if (bytes.length > length) throw new RangeError(`"${text}" is longer than ${length} bytes`);
  const padded = Math.ceil(length / 2) * 2;
  const swap = bytesSwapped(order);
  for (let i = 0; i < padded; i++) out[at + (swap ? i ^ 1 : i)] = bytes[i] ?? 0;
}

/** Decimal places of a number as written (0.001 → 3), for rounding scaled integers. */
export function decimalsOf(n: number): number {
  if (Number.isInteger(n)) return 0;
  const s = String(n);
  const e = /e-(\d+)$/.exec(s);
  if (e) return Math.min(15, Number(e[1]) + (s.split('e')[0]!.split('.')[1]?.length ?? 0));
  return Math.min(15, s.split('.')[1]?.length ?? 0);
}

/**
 * raw × scale + offset. Integer registers scaled by 0.1 would otherwise read 220.30000000000001;
 * the result is rounded to the decimals the scale and offset carry. float32 values are rounded
 * to the 7 significant digits a float32 holds (220.3, not 220.3000030517578).
 */
export function toEngineering(raw: number, type: NumericType, scale: number, offset: number, decimals: number): number {
  if (type === 'float32') {
    const v = scale === 1 && offset === 0 ? raw : raw * scale + offset;
    return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(7)) : v;
  }
  if (type === 'float64') return scale === 1 && offset === 0 ? raw : raw * scale + offset;
  if (scale === 1 && offset === 0) return raw;
  const v = raw * scale + offset;
  if (decimals === 0) return Math.round(v);
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/** The raw number to write for an engineering value; integer types round to the nearest step. */
export function toRaw(value: number, type: NumericType, scale: number, offset: number): number {
  const raw = (value - offset) / scale;
  if (type === 'float32' || type === 'float64') return raw;
  // Guard against 0.1-step float error before rounding (220.3 / 0.1 = 2202.9999999999995).
  return Math.round(Number(raw.toPrecision(12)));
}
