/**
 * Shared by the device commands (probe, verify, simulate): reading endpoint flags, resolving a
 * profile given by id or file, and printing aligned tables with Chinese text in them.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DeviceEntry, DeviceProfile } from '../model/device-profile';
import { validateDeviceProfile } from '../model/device-profile';
import type { Lang, Text } from '../model/text';
import type { ProfileCatalog } from './profile-catalog';
import { catalogOf, loadProfileCatalog } from './profile-catalog';

export class UsageError extends Error {
  constructor(readonly text: Text) {
    super(text.en);
    this.name = 'UsageError';
  }
}

export interface EndpointFlags {
  readonly host?: string;
  readonly port?: string;
  readonly serial?: string;
  readonly baud?: string;
  readonly parity?: string;
  readonly dataBits?: string;
  readonly stopBits?: string;
  /** With host: raw RTU frames over TCP (a transparent serial server). */
  readonly rtuOverTcp?: boolean;
  readonly unit?: string;
}

/** An integer flag (decimal or 0x…), within bounds. */
export function intFlag(name: string, value: string | undefined, fallback: number | undefined, min: number, max: number): number {
  if (value === undefined || value === '') {
    if (fallback === undefined) throw new UsageError({ zh: `缺少 --${name}`, en: `--${name} is required` });
    return fallback;
  }
  const n = /^0x[0-9a-f]+$/i.test(value) ? parseInt(value, 16) : /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError({ zh: `--${name} 应为 ${min}～${max} 的整数，收到 “${value}”`, en: `--${name} must be an integer from ${min} to ${max}, got "${value}"` });
  }
  return n;
}

/** A device entry from --host/--port or --serial flags (profile filled in by the caller). */
export function entryFromFlags(flags: EndpointFlags, profile: string | DeviceProfile, name = 'device'): DeviceEntry {
  const unitId = intFlag('unit', flags.unit, 1, 0, 255);
  if (flags.host && flags.serial) throw new UsageError({ zh: '--host 与 --serial 只能给一个', en: 'give --host or --serial, not both' });
  if (flags.serial) {
    const parity = flags.parity ?? 'none';
    if (parity !== 'none' && parity !== 'even' && parity !== 'odd') throw new UsageError({ zh: '--parity 为 none、even 或 odd', en: '--parity is none, even or odd' });
    const dataBits = intFlag('data-bits', flags.dataBits, 8, 7, 8) as 7 | 8;
    const stopBits = intFlag('stop-bits', flags.stopBits, 1, 1, 2) as 1 | 2;
    return { name, unitId, profile, serial: { path: flags.serial, baudRate: intFlag('baud', flags.baud, 9600, 300, 921_600), parity, dataBits, stopBits } };
  }
  if (!flags.host) throw new UsageError({ zh: '请给出 --host（Modbus TCP）或 --serial（RTU）', en: 'give --host (Modbus TCP) or --serial (RTU)' });
  return { name, unitId, profile, host: flags.host, port: intFlag('port', flags.port, 502, 1, 65_535), ...(flags.rtuOverTcp ? { protocol: 'rtu-over-tcp' as const } : {}) };
}

/** A profile id of the library, or a path to a profile JSON file. */
export function resolveProfileArg(arg: string, catalog: ProfileCatalog = loadProfileCatalog()): { id: string; catalog: ProfileCatalog } {
  if (catalog.get(arg)) return { id: arg, catalog };
  if (existsSync(arg)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(arg, 'utf8'));
    } catch (err) {
      throw new UsageError({ zh: `${arg}：JSON 格式错误（${(err as Error).message}）`, en: `${arg}: invalid JSON (${(err as Error).message})` });
    }
    const v = validateDeviceProfile(raw);
    if (!v.ok) {
      const lines = v.problems.filter((p) => p.severity === 'error').map((p) => `${p.at}: ${p.message.en}`);
      throw new UsageError({ zh: `${arg}：设备模型无效\n${v.problems.map((p) => `  ${p.at}: ${p.message.zh}`).join('\n')}`, en: `${arg}: invalid device profile\n${lines.map((l) => `  ${l}`).join('\n')}` });
    }
    return { id: v.profile.id, catalog: catalogOf([raw]) };
  }
  throw new UsageError({
    zh: `找不到设备模型 “${arg}”（既不是库中的 id，也不是文件）；库中有：${catalog.ids().join('、')}`,
    en: `no device profile "${arg}" (neither a library id nor a file); the library has: ${catalog.ids().join(', ')}`,
  });
}

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** Rows of cells to lines, columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c)))).join('  ').trimEnd());
}

export function say(lang: Lang, text: Text): string {
  return text[lang];
}

/** Formats a number without float noise: at most 7 significant digits. */
export function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7)));
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}
