/**
 * Turns a device entry (where a machine is, which profile) into what the poller runs: resolved
 * tags with their decoders, the block reads from the planner grouped by interval, and the
 * endpoint of its line.
 */
import type { DeviceTagInfo, DeviceValue } from '../../nodes/sdk';
import type { Area, ByteOrder, DeviceEntry, DeviceProfile, StringEncoding, TagType } from '../model/device-profile';
import { DeviceEntrySchema, validateDeviceProfile } from '../model/device-profile';
import type { JsonPath } from '../model/problem';
import type { Quality } from '../model/message';
import type { Text } from '../model/text';
import type { NumericType, RawNumber } from './codec';
import { decimalsOf, decodeNumber, decodeString, toEngineering } from './codec';
import type { Endpoint } from './modbus-client';
import type { PlanLimits } from './planner';
import { planBlockReads } from './planner';
import type { ProfileCatalog } from './profile-catalog';

export interface CompiledTag {
  readonly key: string;
  readonly index: number;
  readonly area: Area;
  readonly start: number;
  readonly width: number;
  readonly type: TagType;
  readonly bit: number | undefined;
  readonly order: ByteOrder;
  readonly scale: number;
  readonly offset: number;
  readonly decimals: number;
  readonly length: number;
  readonly encoding: StringEncoding;
  readonly intervalMs: number;
  readonly info: DeviceTagInfo;
}

export interface CompiledBlock {
  readonly area: Area;
  readonly start: number;
  readonly count: number;
  readonly intervalMs: number;
  readonly tags: readonly CompiledTag[];
  /** Spans registers no tag uses: a device may refuse it ("illegal data address"). */
  readonly bridged: boolean;
}

export interface PollGroup {
  readonly intervalMs: number;
  blocks: CompiledBlock[];
}

export interface CompiledDevice {
  readonly name: string;
  /** Same key, same device: entries that differ in anything get separate pollers. */
  readonly key: string;
  readonly entry: DeviceEntry;
  readonly profile: DeviceProfile;
  readonly endpoint: Endpoint;
  readonly unitId: number;
  /** From the entry or the profile; the site default applies when undefined. */
  readonly timeoutMs: number | undefined;
  readonly pipeline: number;
  readonly tags: readonly CompiledTag[];
  readonly byKey: ReadonlyMap<string, CompiledTag>;
  readonly groups: readonly PollGroup[];
  readonly limits: PlanLimits;
}

export class DeviceConfigError extends Error {
  constructor(readonly path: JsonPath, readonly text: Text) {
    super(text.en);
    this.name = 'DeviceConfigError';
  }
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function endpointOf(entry: DeviceEntry): Endpoint {
  if (entry.serial !== undefined) {
    const line = typeof entry.serial === 'string' ? { path: entry.serial } : entry.serial;
    return { kind: 'serial', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1, ...line };
  }
  return { kind: entry.protocol ?? 'tcp', host: entry.host!, port: entry.port ?? 502 };
}

/** Compiles one entry; throws DeviceConfigError with a path relative to the entry. */
export function compileDevice(rawEntry: DeviceEntry, catalog: ProfileCatalog): CompiledDevice {
  const parsed = DeviceEntrySchema.safeParse(rawEntry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DeviceConfigError(issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), { zh: `设备配置无效：${issue.message}`, en: `invalid device entry: ${issue.message}` });
  }
  const entry = parsed.data;
  let profile: DeviceProfile;
  let resolved;
  if (typeof entry.profile === 'string') {
    const found = catalog.get(entry.profile);
    if (!found) {
      const known = catalog.ids();
      throw new DeviceConfigError(['profile'], {
        zh: `找不到设备模型 “${entry.profile}”${known.length ? `；可用：${known.join('、')}` : ''}`,
        en: `no device profile "${entry.profile}"${known.length ? `; known: ${known.join(', ')}` : ''}`,
      });
    }
    profile = found.profile;
    resolved = found.tags;
  } else {
    const v = validateDeviceProfile(entry.profile, ['profile']);
    if (!v.ok) {
      const p = v.problems.find((x) => x.severity === 'error')!;
      throw new DeviceConfigError(p.path, p.message);
    }
    profile = v.profile;
    resolved = v.tags;
  }
  const d = profile.defaults;
  const tags: CompiledTag[] = resolved.map((r, index) => {
    const t = r.tag;
    const scale = t.scale ?? 1;
    const offset = t.offset ?? 0;
    const info: DeviceTagInfo = {
      key: t.key,
      label: t.label,
      access: t.access,
      ...(t.unit === undefined ? {} : { unit: t.unit }),
      ...(t.min === undefined ? {} : { min: t.min }),
      ...(t.max === undefined ? {} : { max: t.max }),
      ...(t.deadband === undefined ? {} : { deadband: t.deadband }),
    };
    return {
      key: t.key,
      index,
      area: t.area,
      start: r.start,
      width: r.width,
      type: t.type,
      bit: t.bit,
      order: t.byteOrder ?? entry.byteOrder ?? d.byteOrder,
      scale,
      offset,
      decimals: Math.max(decimalsOf(scale), decimalsOf(offset)),
      length: t.length ?? 0,
      encoding: t.encoding ?? d.stringEncoding,
      intervalMs: t.intervalMs ?? entry.intervalMs ?? d.intervalMs,
      info,
    };
  });
  const limits: PlanLimits = { maxRegisters: d.maxRegistersPerRequest, maxBits: d.maxBitsPerRequest, maxGap: d.maxGap, maxBitGap: d.maxBitGap };
  const groups = planGroups(entry.name, tags, limits);
  return {
    name: entry.name,
    key: stable(entry),
    entry,
    profile,
    endpoint: endpointOf(entry),
    unitId: entry.unitId,
    timeoutMs: entry.timeoutMs ?? d.timeoutMs,
    pipeline: entry.pipeline ?? 1,
    tags,
    byKey: new Map(tags.map((t) => [t.key, t])),
    groups,
    limits,
  };
}

/** Plans the block reads of some tags and groups them by interval (one round per interval). */
export function planGroups(device: string, tags: readonly CompiledTag[], limits: PlanLimits): PollGroup[] {
  const blocks = planBlockReads([{ device, tags, limits }]);
  const groups = new Map<number, PollGroup>();
  for (const b of blocks) {
    const members = b.tags.map((i) => tags[i]!);
    const used = new Set<number>();
    for (const t of members) for (let a = t.start; a < t.start + t.width; a++) used.add(a);
    const block: CompiledBlock = { area: b.area, start: b.start, count: b.count, intervalMs: b.intervalMs, tags: members, bridged: used.size < b.count };
    let g = groups.get(b.intervalMs);
    if (!g) groups.set(b.intervalMs, (g = { intervalMs: b.intervalMs, blocks: [] }));
    g.blocks.push(block);
  }
  return [...groups.values()].sort((a, b) => a.intervalMs - b.intervalMs);
}

/** A decoded tag: value and quality. Reused by the decoder to spare allocations. */
export interface Decoded {
  value: DeviceValue;
  quality: Quality;
}

const rawScratch: RawNumber = { value: 0, exact: true };

/** Decodes one tag from a register block answer (wire-order bytes of the whole block). */
export function decodeRegisterTag(tag: CompiledTag, block: CompiledBlock, bytes: Uint8Array, out: Decoded): Decoded {
  const at = 2 * (tag.start - block.start);
  if (tag.type === 'bool') {
    const word = (bytes[at]! << 8) | bytes[at + 1]!;
    out.value = ((word >> tag.bit!) & 1) === 1;
    out.quality = 'good';
    return out;
  }
  if (tag.type === 'string') {
    out.value = decodeString(bytes, at, tag.length, tag.order, tag.encoding);
    out.quality = 'good';
    return out;
  }
  const raw = decodeNumber(tag.type as NumericType, tag.order, bytes, at, rawScratch);
  const v = toEngineering(raw.value, tag.type as NumericType, tag.scale, tag.offset, tag.decimals);
  if (!Number.isFinite(v)) {
    // NaN or infinity: JSON cannot carry it and no rule can use it.
    out.value = null;
    out.quality = 'bad';
    return out;
  }
  out.value = v;
  out.quality = raw.exact ? 'good' : 'uncertain';
  return out;
}
