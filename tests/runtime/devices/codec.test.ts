import { describe, expect, it } from 'vitest';
import type { NumericType } from '../../../runtime/devices/codec';
import { decodeNumber, decodeString, encodeNumber, encodeString, toEngineering, toRaw } from '../../../runtime/devices/codec';
import type { ByteOrder } from '../../../runtime/model/device-profile';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Register bytes as a device in each byte order sends them, written out by hand from the
 * big-endian bytes (computed independently with Python's struct). A..H are the value's bytes,
 * most significant first.
 */
const CASES: { type: NumericType; value: number; wire: Record<ByteOrder, string>; exact?: boolean }[] = [
  { type: 'int16', value: -2, wire: { ABCD: 'fffe', CDAB: 'fffe', BADC: 'feff', DCBA: 'feff' } },
  { type: 'uint16', value: 0x1234, wire: { ABCD: '1234', CDAB: '1234', BADC: '3412', DCBA: '3412' } },
  { type: 'int32', value: -123456789, wire: { ABCD: 'f8a432eb', CDAB: '32ebf8a4', BADC: 'a4f8eb32', DCBA: 'eb32a4f8' } },
  { type: 'uint32', value: 4000000000, wire: { ABCD: 'ee6b2800', CDAB: '2800ee6b', BADC: '6bee0028', DCBA: '00286bee' } },
  { type: 'float32', value: 230.5, wire: { ABCD: '43668000', CDAB: '80004366', BADC: '66430080', DCBA: '00806643' } },
  {
    type: 'int64',
    value: -1234567890123,
    wire: { ABCD: 'fffffee08e04fb35', CDAB: 'fb358e04fee0ffff', BADC: 'ffffe0fe048e35fb', DCBA: '35fb048ee0feffff' },
  },
  {
    type: 'uint64',
    value: 1234567890123456,
    wire: { ABCD: '000462d53c8abac0', CDAB: 'bac03c8a62d50004', BADC: '0400d5628a3cc0ba', DCBA: 'c0ba8a3cd5620400' },
  },
  {
    type: 'float64',
    value: 3.141592653589793,
    wire: { ABCD: '400921fb54442d18', CDAB: '2d185444 21fb4009', BADC: '0940fb214454182d', DCBA: '182d4454fb210940' },
  },
];

describe('register codecs', () => {
  for (const c of CASES) {
    for (const order of ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const) {
      it(`${c.type} ${order}: ${c.wire[order]} is ${c.value}, and back`, () => {
        const wire = hex(c.wire[order]);
        // Decoded from the middle of a block, as the poller does.
        const block = new Uint8Array(wire.length + 4);
        block.set(wire, 2);
        const got = decodeNumber(c.type, order, block, 2);
        expect(got.value).toBe(c.value);
        expect(got.exact).toBe(true);
        const out = new Uint8Array(wire.length);
        encodeNumber(c.type, order, c.value, out, 0);
        expect(toHex(out)).toBe(toHex(wire));
      });
    }
  }

  it('flags a 64-bit integer a number cannot hold exactly (beyond 2^53)', () => {
    const got = decodeNumber('uint64', 'ABCD', hex('0020000000000001'), 0);
    expect(got.exact).toBe(false);
    expect(got.value).toBe(9007199254740992);
    const neg = decodeNumber('int64', 'ABCD', hex('8000000000000000'), 0);
    expect(neg.exact).toBe(false);
    expect(decodeNumber('int64', 'ABCD', hex('ffffffffffffffff'), 0)).toEqual({ value: -1, exact: true });
  });

  it('refuses to encode integers out of range or fractional', () => {
    const out = new Uint8Array(4);
    expect(() => encodeNumber('uint16', 'ABCD', 70000, out, 0)).toThrow(RangeError);
    expect(() => encodeNumber('int16', 'ABCD', -32769, out, 0)).toThrow(RangeError);
    expect(() => encodeNumber('uint32', 'ABCD', 1.5, out, 0)).toThrow(RangeError);
    expect(() => encodeNumber('uint32', 'ABCD', -1, out, 0)).toThrow(RangeError);
  });

  it('decodes strings register by register, bytes swapped under BADC and DCBA, up to the first NUL', () => {
    expect(decodeString(hex('4142 3132 0000'), 0, 6, 'ABCD', 'ascii')).toBe('AB12');
    expect(decodeString(hex('4241 3231 0000'), 0, 6, 'BADC', 'ascii')).toBe('AB12');
    expect(decodeString(hex('4241 3231 2000'), 0, 6, 'DCBA', 'ascii')).toBe('AB12');
    expect(decodeString(hex('4142 2020'), 0, 4, 'CDAB', 'ascii')).toBe('AB');
    expect(decodeString(hex('e4b8ad e69687 0000'), 0, 8, 'ABCD', 'utf8')).toBe('中文');
    const out = new Uint8Array(6);
    encodeString('AB1', 6, 'BADC', 'ascii', out, 0);
    expect(toHex(out)).toBe('424100310000');
    expect(() => encodeString('too long', 4, 'ABCD', 'ascii', new Uint8Array(4), 0)).toThrow(RangeError);
  });

  it('decodes GBK text (common in Chinese controllers)', () => {
    expect(decodeString(hex('d6d0 cec4'), 0, 4, 'ABCD', 'gbk')).toBe('中文');
  });

  it('scales without float noise: 2203 × 0.1 reads 220.3, and 220.3 writes 2203', () => {
    expect(toEngineering(2203, 'uint16', 0.1, 0, 1)).toBe(220.3);
    expect(toEngineering(-3, 'int16', 0.001, 0, 3)).toBe(-0.003);
    expect(toEngineering(1000, 'uint16', 0.1, -40, 1)).toBe(60);
    expect(toRaw(220.3, 'uint16', 0.1, 0)).toBe(2203);
    expect(toRaw(60, 'uint16', 0.1, -40)).toBe(1000);
    // float32 carries ~7 significant digits; more would be noise of the conversion.
    expect(toEngineering(Math.fround(230.3), 'float32', 1, 0, 0)).toBe(230.3);
    expect(toEngineering(Math.fround(2303), 'float32', 0.1, 0, 1)).toBe(230.3);
  });
});
