/**
 * `kaiwu probe --profile` (verify mode): reads every tag of a profile from a real device and reports value, quality,
 * raw registers and whether each value is within the profile's plausible range — the record a
 * field engineer signs off when a machine is commissioned.
 */
import type { Lang } from '../model/text';
import type { EndpointFlags } from '../devices/cli-support';
import { UsageError, entryFromFlags, fmt, intFlag, resolveProfileArg, say, table } from '../devices/cli-support';
import type { ModbusError } from '../devices/modbus-client';
import { describeEndpoint } from '../devices/modbus-client';
import type { DeviceReading } from '../devices/read-once';
import { readDeviceOnce } from '../devices/read-once';

export interface VerifyDeviceArgs extends EndpointFlags {
  readonly lang: Lang;
  /** A profile id of the library, or a profile JSON file. */
  readonly profile: string;
  /** Device name printed in the report. */
  readonly name?: string;
  readonly timeout?: string;
  readonly json?: boolean;
}

/** 0: every tag good and within range; 1: some tag bad or out of range, or no connection; 2: bad arguments. */
export async function verifyDeviceCommand(args: VerifyDeviceArgs, out: (line: string) => void): Promise<number> {
  const lang = args.lang;
  let reading: DeviceReading;
  try {
    const { id, catalog } = resolveProfileArg(args.profile);
    const entry = entryFromFlags(args, id, args.name ?? 'device');
    const timeoutMs = args.timeout === undefined ? undefined : intFlag('timeout', args.timeout, 1000, 10, 60_000);
    reading = await readDeviceOnce(entry, catalog, timeoutMs === undefined ? {} : { timeoutMs });
  } catch (err) {
    if (err instanceof UsageError) {
      out(`kaiwu probe --profile: ${say(lang, err.text)}`);
      return 2;
    }
    const e = err as ModbusError;
    if (e.text) {
      out(`kaiwu probe --profile: ${say(lang, e.text)}`);
      return 1;
    }
    throw err;
  }
  const d = reading.device;
  const bad = reading.tags.filter((t) => t.quality !== 'good');
  const outside = reading.tags.filter((t) => t.quality === 'good' && (t.range === 'below' || t.range === 'above'));
  const ok = bad.length === 0 && outside.length === 0;
  if (args.json) {
    out(JSON.stringify({
      at: new Date(reading.at).toISOString(),
      device: d.name,
      endpoint: describeEndpoint(d.endpoint),
      unitId: d.unitId,
      profile: d.profile.id,
      requests: reading.requests,
      ok,
      tags: reading.tags,
    }, null, 2));
    return ok ? 0 : 1;
  }
  const zh = lang === 'zh';
  out(zh ? `核对报告  ${new Date(reading.at).toISOString()}` : `Verification report  ${new Date(reading.at).toISOString()}`);
  out(zh ? `设备 ${d.name}：${describeEndpoint(d.endpoint)}，从站 ${d.unitId}，模型 ${d.profile.id}（${d.profile.title.zh}），${reading.requests} 次读取`
    : `device ${d.name}: ${describeEndpoint(d.endpoint)}, unit ${d.unitId}, profile ${d.profile.id} (${d.profile.title.en}), ${reading.requests} reads`);
  out('');
  const rangeText = (t: DeviceReading['tags'][number]) => {
    if (t.quality !== 'good') return zh ? '—' : '—';
    const span = `${t.min ?? '−∞'}…${t.max ?? '+∞'}`;
    switch (t.range) {
      case 'ok':
        return zh ? `✓ ${span}` : `✓ ${span}`;
      case 'below':
        return zh ? `✗ 低于 ${span}` : `✗ below ${span}`;
      case 'above':
        return zh ? `✗ 高于 ${span}` : `✗ above ${span}`;
      default:
        return zh ? '（无范围）' : '(no range)';
    }
  };
  const rows = [[zh ? '点位' : 'tag', zh ? '名称' : 'label', zh ? '值' : 'value', zh ? '质量' : 'quality', zh ? '范围' : 'range', zh ? '原始寄存器' : 'raw']];
  for (const t of reading.tags) {
    rows.push([
      t.key,
      t.label[lang],
      t.quality === 'bad' && t.error ? say(lang, t.error) : `${fmt(t.value)}${t.unit ? ` ${t.unit}` : ''}`,
      t.quality,
      rangeText(t),
      t.raw,
    ]);
  }
  for (const l of table(rows)) out(`  ${l}`);
  out('');
  const n = reading.tags.length;
  if (ok) out(zh ? `通过：${n} 个点位全部读取成功且在合理范围内。` : `passed: all ${n} tags read good and within their plausible range.`);
  else {
    out(zh ? `未通过：${n} 个点位中 ${bad.length} 个读取失败，${outside.length} 个超出合理范围。` : `failed: of ${n} tags, ${bad.length} did not read good and ${outside.length} are outside their plausible range.`);
  }
  return ok ? 0 : 1;
}
