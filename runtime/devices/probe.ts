/**
 * Commissioning: every way a run of registers can be read (type × byte order × address off by
 * one), and which of them match what the engineer expects to see (a voltage near 220, a count
 * between 0 and 10 000). The two commonest support problems — byte/word order and 0/1-based
 * addresses — answered from one read of the real device.
 */
import type { ByteOrder } from '../model/device-profile';
import { BYTE_ORDERS } from '../model/device-profile';
import type { NumericType } from './codec';
import { NUMERIC_TYPES, decodeBigInt, decodeNumber, wordsOf } from './codec';

export interface Interpretation {
  /** Register offset from the requested address: −1, 0 or +1. */
  readonly shift: number;
  readonly type: NumericType;
  readonly order: ByteOrder;
  readonly value: number;
  /** 64-bit integers, exactly. */
  readonly exact?: string;
}

export interface Candidate extends Interpretation {
  readonly scale: number;
  readonly scaled: number;
  /** 0 is a perfect match; smaller is likelier. */
  readonly score: number;
}

/** 16-bit types only see the byte half of an order: list AB and BA once each. */
function ordersFor(type: NumericType): readonly ByteOrder[] {
  return wordsOf(type) === 1 ? ['ABCD', 'BADC'] : BYTE_ORDERS;
}

export function orderLabel(type: NumericType, order: ByteOrder): string {
  return wordsOf(type) === 1 ? (order === 'ABCD' || order === 'CDAB' ? 'AB' : 'BA') : order;
}

/**
 * Every numeric reading of `bytes` (wire order, first register at `firstAddress`) starting at
 * `address` − 1, `address`, `address` + 1, where the registers suffice.
 */
export function interpretations(bytes: Uint8Array, firstAddress: number, address: number): Interpretation[] {
  const out: Interpretation[] = [];
  const registers = bytes.length / 2;
  for (const type of NUMERIC_TYPES) {
    for (const order of ordersFor(type)) {
      for (const shift of [-1, 0, 1]) {
        const at = address + shift - firstAddress;
        if (at < 0 || at + wordsOf(type) > registers) continue;
        const raw = decodeNumber(type, order, bytes, 2 * at);
        const item: Interpretation = type === 'int64' || type === 'uint64'
          ? { shift, type, order, value: raw.value, exact: decodeBigInt(type, order, bytes, 2 * at).toString() }
          : { shift, type, order, value: raw.value };
        out.push(item);
      }
    }
  }
  return out;
}

export interface Expectation {
  readonly name?: string;
  readonly low: number;
  readonly high: number;
  /** The value aimed at (the middle of a range). */
  readonly target: number;
}

/**
 * Parses what the engineer expects: `voltage≈220`, `≈220±5%`, `220±3`, `frequency=50`,
 * `count:0..10000`, `200..240`. Returns an error text for anything else.
 */
export function parseExpectation(text: string): Expectation | { error: { zh: string; en: string } } {
  const s = text.trim();
  const m = /^(?:([A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff-]*)\s*(?:≈|~|=|:)\s*|(?:≈|~)\s*)?(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(?:(?:\.\.|…)\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)|±\s*(\d+(?:\.\d+)?)\s*(%)?)?$/i.exec(s);
  if (!m) {
    return { error: { zh: `无法理解期望值 “${text}”；例如 voltage≈220、≈220±5%、200..240`, en: `cannot read the expectation "${text}"; e.g. voltage≈220, ≈220±5%, 200..240` } };
  }
  const a = Number(m[2]);
  const name = m[1];
  let low: number;
  let high: number;
  if (m[3] !== undefined) {
    low = Math.min(a, Number(m[3]));
    high = Math.max(a, Number(m[3]));
  } else {
    // Without a tolerance, "≈" means within 5 %.
    const tol = m[4] === undefined ? Math.abs(a) * 0.05 : m[5] ? (Math.abs(a) * Number(m[4])) / 100 : Number(m[4]);
    low = a - tol;
    high = a + tol;
  }
  return { ...(name === undefined ? {} : { name }), low, high, target: (low + high) / 2 };
}

export const PROBE_SCALES = [1, 0.1, 0.01, 0.001, 10] as const;

/**
 * Scores every interpretation × scale against the expectation and returns the best, likeliest
 * first. Ties go to the plainer reading: the address as given, no scaling, big-endian.
 */
export function rankInterpretations(list: readonly Interpretation[], expect: Expectation, limit = 10): Candidate[] {
  const width = Math.max(expect.high - expect.low, Math.abs(expect.target) * 1e-6, 1e-9);
  const out: Candidate[] = [];
  for (const it of list) {
    if (!Number.isFinite(it.value)) continue;
    // A float that decodes to a denormal or an astronomic number is noise, not a reading.
    if (it.type.startsWith('float') && it.value !== 0 && (Math.abs(it.value) < 1e-30 || Math.abs(it.value) > 1e15)) continue;
    for (const scale of PROBE_SCALES) {
      const scaled = Number((it.value * scale).toPrecision(12));
      const miss = scaled < expect.low ? expect.low - scaled : scaled > expect.high ? scaled - expect.high : 0;
      const closeness = Math.abs(scaled - expect.target) / width;
      const plain = (it.shift !== 0 ? 0.02 : 0) + (scale !== 1 ? 0.01 : 0) + (it.order !== 'ABCD' ? 0.005 : 0) + (wordsOf(it.type) === 4 ? 0.004 : 0);
      const score = (miss > 0 ? 1 + miss / width : closeness * 0.5) + plain;
      out.push({ ...it, scale, scaled, score });
    }
  }
  out.sort((a, b) => a.score - b.score);
  // One line per reading: keep the best scale of each.
  const seen = new Set<string>();
  const best: Candidate[] = [];
  for (const c of out) {
    const key = `${c.shift}/${c.type}/${c.order}`;
    if (seen.has(key)) continue;
    seen.add(key);
    best.push(c);
    if (best.length >= limit) break;
  }
  return best;
}
