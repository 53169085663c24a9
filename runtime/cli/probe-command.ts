/**
 * `kaiwu probe`: reads a run of registers from a real device and prints them raw and in every
 * interpretation (type × byte order × address ±1); with --expect, ranks the interpretations by
 * how well they match and prints the profile fragment for the best. With --profile it verifies
 * instead: every tag of the profile, read and range-checked (verify-device-command.ts).
 */
import type { Lang } from '../model/text';
import type { EndpointFlags } from '../devices/cli-support';
import { UsageError, entryFromFlags, fmt, intFlag, say, table } from '../devices/cli-support';
import { endpointOf } from '../devices/compile';
import type { ModbusError } from '../devices/modbus-client';
import { describeEndpoint, openModbusClient } from '../devices/modbus-client';
import type { Candidate, Expectation } from '../devices/probe';
import { interpretations, orderLabel, parseExpectation, rankInterpretations } from '../devices/probe';
import { verifyDeviceCommand } from './verify-device-command';

export interface ProbeArgs extends EndpointFlags {
  readonly lang: Lang;
  /** Protocol address (0-based, as sent on the wire); decimal or 0x hex. */
  readonly address?: string;
  readonly count?: string;
  /** holding (default), input, coil, discrete. */
  readonly area?: string;
  readonly expect?: string;
  readonly timeout?: string;
  readonly json?: boolean;
  /** Verify mode: read every tag of this profile (id or file) instead of a register run. */
  readonly profile?: string;
  /** Verify mode: the device name in the report. */
  readonly name?: string;
}

const AREAS = ['holding', 'input', 'coil', 'discrete'] as const;

/** 0: read, and the expectation (if any) matched; 1: no answer or no match; 2: bad arguments. */
export async function probeCommand(args: ProbeArgs, out: (line: string) => void): Promise<number> {
  if (args.profile !== undefined) return verifyDeviceCommand({ ...args, profile: args.profile }, out);
  const lang = args.lang;
  let entry;
  let address: number;
  let count: number;
  let timeoutMs: number;
  let expect: Expectation | undefined;
  const area = (args.area ?? 'holding') as (typeof AREAS)[number];
  try {
    if (!AREAS.includes(area)) throw new UsageError({ zh: '--area 为 holding、input、coil 或 discrete', en: '--area is holding, input, coil or discrete' });
    entry = entryFromFlags(args, 'probe');
    address = intFlag('address', args.address, undefined, 0, 65_535);
    const bits = area === 'coil' || area === 'discrete';
    count = intFlag('count', args.count, bits ? 16 : 2, 1, bits ? 2000 : 125);
    timeoutMs = intFlag('timeout', args.timeout, 1000, 10, 60_000);
    if (args.expect !== undefined) {
      const e = parseExpectation(args.expect);
      if ('error' in e) throw new UsageError(e.error);
      expect = e;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out(`kaiwu probe: ${say(lang, err.text)}`);
      return 2;
    }
    throw err;
  }
  const endpoint = endpointOf(entry);
  const where = `${describeEndpoint(endpoint)} unit ${entry.unitId}`;
  let client;
  try {
    client = await openModbusClient(endpoint, { connectTimeoutMs: Math.max(timeoutMs, 2000) });
  } catch (err) {
    out(`${where}: ${say(lang, (err as ModbusError).text)}`);
    return 1;
  }
  try {
    if (area === 'coil' || area === 'discrete') {
      const bits = await new Promise<boolean[]>((resolve, reject) => client.readBits(entry.unitId, area, address, count, timeoutMs, (e, v) => (e ? reject(e) : resolve(v!))));
      if (args.json) out(JSON.stringify({ endpoint: where, area, address, bits }, null, 2));
      else {
        out(lang === 'zh' ? `${where}，${area} ${address} 起 ${count} 位：` : `${where}, ${area} from ${address}, ${count} bits:`);
        out(table(bits.map((b, i) => [String(address + i), b ? '1' : '0'])).map((l) => `  ${l}`).join('\n'));
      }
      return 0;
    }
    // One register of margin each side (address base off by one) and room for 64-bit readings.
    const first = Math.max(0, address - 1);
    const last = Math.min(65_535, address + Math.max(count, 4));
    let start = first;
    let bytes: Uint8Array;
    const read = (s: number, n: number) => new Promise<Uint8Array>((resolve, reject) => client.readRegisters(entry.unitId, area, s, n, timeoutMs, (e, v) => (e ? reject(e) : resolve(v!))));
    try {
      bytes = await read(first, Math.min(125, last - first + 1));
    } catch (err) {
      // Some devices refuse registers they do not have: fall back to exactly what was asked.
      if ((err as ModbusError).kind !== 'exception') throw err;
      start = address;
      bytes = await read(address, count);
    }
    const regs = bytes.length / 2;
    const word = (i: number) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
    const list = interpretations(bytes, start, address);
    const ranked = expect ? rankInterpretations(list, expect) : [];
    if (args.json) {
      out(JSON.stringify({
        endpoint: where,
        area,
        address,
        registers: Array.from({ length: regs }, (_, i) => ({ address: start + i, value: word(i) })),
        interpretations: list,
        ...(expect ? { expect, ranked } : {}),
      }, null, 2));
      return expect && !(ranked[0] && ranked[0].score < 1) ? 1 : 0;
    }
    out(lang === 'zh' ? `${where}，${area} 寄存器（协议地址，0 起）：` : `${where}, ${area} registers (protocol addresses, from 0):`);
    const rows = [[lang === 'zh' ? '地址' : 'address', 'hex', 'uint16', 'int16', lang === 'zh' ? '手册写法' : 'manual']];
    for (let i = 0; i < regs; i++) {
      const w = word(i);
      const a = start + i;
      rows.push([String(a) + (a === address ? ' ←' : ''), `0x${w.toString(16).padStart(4, '0')}`, String(w), String((w << 16) >> 16), `${area === 'holding' ? 4 : 3}${String(a + 1).padStart(4, '0')}`]);
    }
    for (const l of table(rows)) out(`  ${l}`);
    out('');
    out(lang === 'zh' ? `从 ${address} 起的每种读法（列：地址 −1、原地址、+1）：` : `every reading starting at ${address} (columns: address −1, as given, +1):`);
    const byKey = new Map(list.map((x) => [`${x.type}/${x.order}/${x.shift}`, x]));
    const trows = [[lang === 'zh' ? '类型' : 'type', lang === 'zh' ? '字节序' : 'order', `@${address - 1}`, `@${address}`, `@${address + 1}`]];
    const seen = new Set<string>();
    for (const x of list) {
      const key = `${x.type}/${orderLabel(x.type, x.order)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const cell = (shift: number) => {
        const it = byKey.get(`${x.type}/${x.order}/${shift}`);
        return it ? (it.exact ?? fmt(it.value)) : '';
      };
      trows.push([x.type, orderLabel(x.type, x.order), cell(-1), cell(0), cell(1)]);
    }
    for (const l of table(trows)) out(`  ${l}`);
    if (!expect) return 0;
    out('');
    const what = `${expect.name ? `${expect.name} ` : ''}${fmt(expect.low)} … ${fmt(expect.high)}`;
    const hits = ranked.filter((c) => c.score < 1);
    if (hits.length === 0) {
      out(lang === 'zh'
        ? `没有读法落在期望范围 ${what} 内。检查从站地址、区域（--area input）、地址（手册的 40001 即协议地址 0），或加大 --count。`
        : `no reading falls within ${what}. Check the unit id, the area (--area input), the address (a manual's 40001 is protocol address 0), or read more with --count.`);
      return 1;
    }
    out(lang === 'zh' ? `最可能的读法（期望 ${what}）：` : `likeliest readings (expected ${what}):`);
    const rrows = [['#', lang === 'zh' ? '值' : 'value', lang === 'zh' ? '类型' : 'type', lang === 'zh' ? '字节序' : 'order', lang === 'zh' ? '地址' : 'address', lang === 'zh' ? '比例' : 'scale']];
    hits.forEach((c, i) => rrows.push([String(i + 1), fmt(c.scaled), c.type, orderLabel(c.type, c.order), String(address + c.shift) + (c.shift === 0 ? '' : ` (${c.shift > 0 ? '+' : ''}${c.shift})`), String(c.scale)]));
    for (const l of table(rrows)) out(`  ${l}`);
    out('');
    out(lang === 'zh' ? '设备模型中的写法（addressBase 为 0 时）：' : 'as a profile tag (with addressBase 0):');
    out(`  ${profileFragment(hits[0]!, area, address, expect.name)}`);
    if (hits[0]!.shift !== 0) {
      out(lang === 'zh'
        ? `  注意：最佳读法在地址 ${address + hits[0]!.shift}，手册与设备的地址起点（0 或 1）可能不同，请核对 addressBase。`
        : `  note: the best reading is at ${address + hits[0]!.shift}; the manual and the device may count addresses from different bases (0 or 1) — check addressBase.`);
    }
    return 0;
  } catch (err) {
    const e = err as ModbusError;
    out(`${where}: ${e.text ? say(lang, e.text) : String(err)}`);
    return 1;
  } finally {
    await client.close();
  }
}

function profileFragment(c: Candidate, area: string, address: number, name: string | undefined): string {
  const tag: Record<string, unknown> = { key: name ?? 'value', area, address: address + c.shift, type: c.type };
  if (c.order !== 'ABCD' && !(orderLabel(c.type, c.order) === 'AB')) tag.byteOrder = c.order;
  if (c.scale !== 1) tag.scale = c.scale;
  return JSON.stringify(tag);
}
