/**
 * Device profiles and device entries: what a Modbus device holds and where a device is.
 *
 * A profile describes one machine model's register map once (areas, addresses, types, byte
 * order, scaling, ranges); a device entry places one machine on the site (host or serial line,
 * unit id) and names its profile. Pure: validation only, no I/O. The runtime's codecs and poll
 * planner (runtime/devices) build on the resolved addresses computed here.
 */
import { z } from 'zod';
import type { JsonPath, Problem } from './problem';
import { problem } from './problem';
import { closest } from './similar';
import { TextSchema } from './text';
import type { Text } from './text';
import { zodProblems } from './zod-problems';

export const DEVICE_PROFILE_SCHEMA_VERSION = 1;

export const AREAS = ['coil', 'discrete', 'input', 'holding'] as const;
export type Area = (typeof AREAS)[number];

export const TAG_TYPES = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'string'] as const;
export type TagType = (typeof TAG_TYPES)[number];

/**
 * How the bytes of a value lie in its registers, A being the most significant byte.
 * ABCD: big-endian (Modbus' own order). CDAB: words swapped. BADC: bytes swapped inside each
 * word. DCBA: little-endian. 64-bit values extend the same rule over four words.
 */
export const BYTE_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type ByteOrder = (typeof BYTE_ORDERS)[number];

export const STRING_ENCODINGS = ['ascii', 'utf8', 'gbk'] as const;
export type StringEncoding = (typeof STRING_ENCODINGS)[number];

/** The largest read one request may ask for, by the Modbus specification. */
export const MODBUS_MAX_REGISTERS = 125;
export const MODBUS_MAX_BITS = 2000;
const LAST_ADDRESS = 0xffff;

const Key = z.string().refine((s) => /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(s), {
  message: 'a key of letters, digits, "_", "." or "-", starting with a letter (at most 64)',
  params: { zh: '键只能由字母、数字、“_”、“.”、“-” 组成，以字母开头（最多 64 个字符）' },
});

const ProfileId = z.string().refine((s) => /^[a-z0-9][a-z0-9-]{0,63}$/.test(s), {
  message: 'a profile id of lower-case letters, digits and "-" (at most 64)',
  params: { zh: '设备模型 id 只能由小写字母、数字和 “-” 组成（最多 64 个字符）' },
});

// ---------------------------------------------------------------------------------------------
// Simulation hints: how `kaiwu simulate` makes a profile behave. The runtime ignores them.

const StateName = z.enum(['running', 'idle', 'fault']);
export type MachineState = z.infer<typeof StateName>;

const ByState = z.strictObject({ running: z.number(), idle: z.number(), fault: z.number() });

export const SimHintSchema = z.discriminatedUnion('kind', [
  /** The numeric code of the machine's current state. */
  z.strictObject({ kind: z.literal('state'), codes: z.strictObject({ running: z.number(), idle: z.number(), fault: z.number() }) }),
  /** Counts up while running, `perMinute` on average (pieces, shots, picks). */
  z.strictObject({ kind: z.literal('counter'), perMinute: z.number().positive(), start: z.number().min(0).optional() }),
  /** A measured value: approaches its per-state level with lag `tauS`, with noise and slow drift. */
  z.strictObject({
    kind: z.literal('analog'),
    levels: ByState,
    noise: z.number().min(0).default(0),
    drift: z.number().min(0).default(0),
    tauS: z.number().min(0).default(30),
  }),
  /** Integrates another tag over time (power → energy): value += other × seconds × factor. */
  z.strictObject({ kind: z.literal('integral'), of: Key, factor: z.number(), start: z.number().min(0).optional() }),
  /** Time spent in a state, in `unit`. */
  z.strictObject({ kind: z.literal('time-in-state'), state: StateName, unit: z.enum(['s', 'min', 'h']), start: z.number().min(0).optional() }),
  /** How often the machine entered a state (stops, faults). */
  z.strictObject({ kind: z.literal('entries'), state: StateName }),
  /** One of `codes` while in fault, 0 otherwise. */
  z.strictObject({ kind: z.literal('fault-code'), codes: z.array(z.number().int().min(1)).min(1) }),
  /** 1 / true while the machine is in one of `states`. */
  z.strictObject({ kind: z.literal('flag'), states: z.array(StateName).min(1) }),
  /** A fixed value; writable tags keep what is written. */
  z.strictObject({ kind: z.literal('constant'), value: z.union([z.number(), z.string(), z.boolean()]) }),
]);
export type SimHint = z.infer<typeof SimHintSchema>;

export const SimulationSchema = z.strictObject({
  /** How long the machine stays in each state, in seconds: [shortest, longest]. */
  durations: z.strictObject({
    running: z.tuple([z.number().positive(), z.number().positive()]),
    idle: z.tuple([z.number().positive(), z.number().positive()]),
    fault: z.tuple([z.number().positive(), z.number().positive()]),
  }).optional(),
  /** The chance that a running period ends in a fault rather than idle. */
  faultRate: z.number().min(0).max(1).default(0.15),
  tags: z.record(z.string(), SimHintSchema).default({}),
});
export type Simulation = z.infer<typeof SimulationSchema>;

// ---------------------------------------------------------------------------------------------

export const TagSchema = z.strictObject({
  key: Key,
  label: TextSchema,
  description: TextSchema.optional(),
  area: z.enum(AREAS),
  /** As the manual writes it; `defaults.addressBase` and `addressNotation` say how to read it. */
  address: z.number().int().min(0),
  type: z.enum(TAG_TYPES),
  /** Strings only: the length in bytes (characters), two per register. */
  length: z.number().int().min(1).max(2 * MODBUS_MAX_REGISTERS).optional(),
  /** A bool read from one bit (0 = least significant) of an input or holding register. */
  bit: z.number().int().min(0).max(15).optional(),
  byteOrder: z.enum(BYTE_ORDERS).optional(),
  encoding: z.enum(STRING_ENCODINGS).optional(),
  /** Engineering value = raw × scale + offset. */
  scale: z.number().refine((n) => n !== 0 && Number.isFinite(n), { message: 'scale must be a finite number other than 0', params: { zh: '比例系数必须是非 0 的有限数' } }).optional(),
  offset: z.number().optional(),
  unit: z.string().max(16).optional(),
  access: z.enum(['r', 'rw']).default('r'),
  /** The plausible (and, for writes, allowed) range of the engineering value. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Poll interval for this tag; 0 polls as fast as the device answers. */
  intervalMs: z.number().int().min(0).max(86_400_000).optional(),
  /** Changes smaller than this are not reported by nodes that report on change. */
  deadband: z.number().min(0).optional(),
});
export type DeviceTag = z.infer<typeof TagSchema>;

export const ProfileDefaultsSchema = z.strictObject({
  byteOrder: z.enum(BYTE_ORDERS).default('ABCD'),
  /** Required: the number the manual gives the first register, 0 or 1. Guessing it is the classic off-by-one. */
  addressBase: z.union([z.literal(0), z.literal(1)]),
  /** `offset`: addresses are plain numbers; `modicon`: 0xxxx coils, 1xxxx discrete, 3xxxx input, 4xxxx holding (5 or 6 digits). */
  addressNotation: z.enum(['offset', 'modicon']).default('offset'),
  maxRegistersPerRequest: z.number().int().min(1).max(MODBUS_MAX_REGISTERS).default(MODBUS_MAX_REGISTERS),
  maxBitsPerRequest: z.number().int().min(1).max(MODBUS_MAX_BITS).default(MODBUS_MAX_BITS),
  /**
   * Unused registers (bits) a block read may span to join two tags. Off by default: some devices
   * answer "illegal data address" for unmapped registers (the runtime then splits the block).
   */
  maxGap: z.number().int().min(0).max(MODBUS_MAX_REGISTERS).default(0),
  maxBitGap: z.number().int().min(0).max(MODBUS_MAX_BITS).default(0),
  intervalMs: z.number().int().min(0).max(86_400_000).default(1000),
  timeoutMs: z.number().int().min(10).max(60_000).optional(),
  stringEncoding: z.enum(STRING_ENCODINGS).default('ascii'),
});

export const DeviceProfileSchema = z.strictObject({
  schemaVersion: z.literal(DEVICE_PROFILE_SCHEMA_VERSION),
  id: ProfileId,
  title: TextSchema,
  description: TextSchema.optional(),
  vendorModel: z.string().max(120).optional(),
  /** Where the register map comes from: a manual (name, version) or "designed". */
  reference: z.string().max(400).optional(),
  defaults: ProfileDefaultsSchema,
  tags: z.array(TagSchema).min(1).max(4000),
  simulation: SimulationSchema.optional(),
});
export type DeviceProfile = z.infer<typeof DeviceProfileSchema>;
export type DeviceProfileInput = z.input<typeof DeviceProfileSchema>;

// ---------------------------------------------------------------------------------------------
// Device entries: one machine of a device group.

export const SerialLineSchema = z.strictObject({
  path: z.string().min(1),
  baudRate: z.number().int().min(300).max(921_600).default(9600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});
export type SerialLine = z.infer<typeof SerialLineSchema>;

export const DeviceEntrySchema = z.strictObject({
  /** Unique on the site; messages carry it as `device`. */
  name: Key,
  /** Modbus TCP device or gateway. */
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65_535).optional(),
  /** With `host`: `tcp` (MBAP) or `rtu-over-tcp` (a transparent serial server). */
  protocol: z.enum(['tcp', 'rtu-over-tcp']).optional(),
  /** RTU on a serial port: its path, or the line settings. */
  serial: z.union([z.string().min(1), SerialLineSchema]).optional(),
  unitId: z.number().int().min(0).max(255).default(1),
  /** A profile id from the library, or a whole profile. */
  profile: z.union([z.string().min(1), DeviceProfileSchema]),
  /** Overrides the profile's byte order for every tag without its own. */
  byteOrder: z.enum(BYTE_ORDERS).optional(),
  /** Overrides the profile's poll interval for every tag without its own. */
  intervalMs: z.number().int().min(0).max(86_400_000).optional(),
  timeoutMs: z.number().int().min(10).max(60_000).optional(),
  /** Modbus TCP only: requests that may be in flight at once on the connection. */
  pipeline: z.number().int().min(1).max(16).optional(),
}).superRefine((d, ctx) => {
  const hasHost = typeof d.host === 'string';
  const hasSerial = d.serial !== undefined;
  if (hasHost === hasSerial) {
    ctx.addIssue({
      code: 'custom',
      path: hasHost ? ['serial'] : ['host'],
      message: 'give either host (Modbus TCP, RTU over TCP) or serial (RTU), not both and not neither',
      params: { zh: '请给出 host（Modbus TCP 或 RTU over TCP）或 serial（RTU）之一，不能同时给出也不能都不给' },
    });
  }
  if (hasSerial && (d.port !== undefined || d.protocol !== undefined || d.pipeline !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [d.port !== undefined ? 'port' : d.protocol !== undefined ? 'protocol' : 'pipeline'],
      message: 'port, protocol and pipeline belong to a host, not to a serial line',
      params: { zh: 'port、protocol、pipeline 只用于 host，不用于串口' },
    });
  }
  const rtu = hasSerial || d.protocol === 'rtu-over-tcp';
  if (rtu && (d.unitId < 1 || d.unitId > 247)) {
    ctx.addIssue({
      code: 'custom',
      path: ['unitId'],
      message: `an RTU unit id is 1 to 247, got ${d.unitId}`,
      params: { zh: `RTU 从站地址为 1～247，实际为 ${d.unitId}` },
    });
  }
  if (d.protocol === 'rtu-over-tcp' && d.pipeline !== undefined && d.pipeline > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['pipeline'],
      message: 'RTU over TCP answers one request at a time; pipeline must be 1',
      params: { zh: 'RTU over TCP 一次只能应答一个请求，pipeline 必须为 1' },
    });
  }
});
export type DeviceEntry = z.infer<typeof DeviceEntrySchema>;
export type DeviceEntryInput = z.input<typeof DeviceEntrySchema>;

/** A device group: the devices a node (or, later, a template's `deviceGroups`) works with. */
export const DeviceGroupSchema = z.array(DeviceEntrySchema).min(1).max(1000).superRefine((list, ctx) => {
  const seen = new Map<string, number>();
  list.forEach((d, i) => {
    const first = seen.get(d.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `duplicate device name "${d.name}" (already used by [${first}])`,
        params: { zh: `设备名 “${d.name}” 重复（与第 ${first} 项相同）` },
      });
    } else seen.set(d.name, i);
  });
});

// ---------------------------------------------------------------------------------------------
// Resolution: from manual addresses to protocol offsets, and widths.

/** A tag with its protocol address (0-based, as sent on the wire) and size worked out. */
export interface ResolvedTag {
  readonly tag: DeviceTag;
  readonly index: number;
  /** 0-based protocol address. */
  readonly start: number;
  /** Registers (input/holding) or bits (coil/discrete) the tag spans. */
  readonly width: number;
  readonly byteOrder: ByteOrder;
  readonly scale: number;
  readonly offset: number;
  readonly intervalMs: number;
}

const MODICON_DIGIT: Record<Area, number> = { coil: 0, discrete: 1, input: 3, holding: 4 };

export type NumericType = Exclude<TagType, 'bool' | 'string'>;

/** Registers a number of this type spans. */
export function wordsOf(type: NumericType): 1 | 2 | 4 {
  switch (type) {
    case 'int16':
    case 'uint16':
      return 1;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    default:
      return 4;
  }
}

/** Registers or bits a tag of this type spans. */
export function tagWidth(tag: Pick<DeviceTag, 'type' | 'area' | 'length'>): number {
  if (tag.area === 'coil' || tag.area === 'discrete' || tag.type === 'bool') return 1;
  if (tag.type === 'string') return Math.ceil((tag.length ?? 0) / 2);
  return wordsOf(tag.type);
}

/** The 0-based protocol address of a tag, or a problem text when the address cannot be one. */
export function protocolAddress(
  area: Area,
  address: number,
  base: 0 | 1,
  notation: 'offset' | 'modicon',
): { ok: true; start: number } | { ok: false; text: Text } {
  let number = address;
  if (notation === 'modicon') {
    const digit = MODICON_DIGIT[area];
    if (digit === 0) {
      number = address;
    } else if (address >= digit * 100_000 && address < (digit + 1) * 100_000) {
      number = address - digit * 100_000;
    } else if (address >= digit * 10_000 && address < (digit + 1) * 10_000) {
      number = address - digit * 10_000;
    } else {
      const lead = address >= 100_000 ? Math.floor(address / 100_000) : Math.floor(address / 10_000);
      const meant = (Object.keys(MODICON_DIGIT) as Area[]).find((a) => MODICON_DIGIT[a] === lead);
      return {
        ok: false,
        text: meant
          ? { zh: `地址 ${address} 按 ${lead}xxxx 记法属于 ${meant} 区，但该点位的区域是 ${area}（应为 ${digit}xxxx）`, en: `address ${address} is a ${meant} address in ${lead}xxxx notation, but the tag's area is ${area} (${digit}xxxx)` }
          : { zh: `地址 ${address} 不是有效的 ${digit}xxxx 记法地址`, en: `address ${address} is not a ${digit}xxxx address` },
      };
    }
  }
  const start = number - base;
  if (start < 0) {
    return { ok: false, text: { zh: `地址 ${address} 小于起始地址 ${base}（addressBase）`, en: `address ${address} is below the first address ${base} (addressBase)` } };
  }
  return { ok: true, start };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ProfileValidation =
  | { ok: true; profile: DeviceProfile; tags: ResolvedTag[]; problems: Problem[] }
  | { ok: false; problems: Problem[] };

/** Catches a misspelt type with a suggestion instead of zod's list of every allowed value. */
function unknownTypeProblems(raw: unknown, base: JsonPath): Problem[] {
  if (!isRecord(raw) || !Array.isArray(raw.tags)) return [];
  const out: Problem[] = [];
  raw.tags.forEach((t, i) => {
    if (!isRecord(t) || typeof t.type !== 'string' || (TAG_TYPES as readonly string[]).includes(t.type)) return;
    const guess = closest(t.type, TAG_TYPES);
    out.push(problem('unknown-tag-type', [...base, 'tags', i, 'type'], {
      zh: `未知的数据类型 “${t.type}”${guess ? `，是否指 “${guess}”？` : ''}可用：${TAG_TYPES.join('、')}`,
      en: `unknown type "${t.type}"${guess ? `; did you mean "${guess}"?` : ''} Types: ${TAG_TYPES.join(', ')}`,
    }));
  });
  return out;
}

/**
 * Checks a device profile as read from JSON: shape, then what a schema cannot see — a type that
 * does not fit its area, bits and strings without their details, addresses beyond 65535 or
 * below the base, tags that overlap, ranges upside down, simulation hints naming no tag. Every
 * problem has its JSON path under `base` and a zh/en message.
 */
export function validateDeviceProfile(raw: unknown, base: JsonPath = []): ProfileValidation {
  const typeProblems = unknownTypeProblems(raw, base);
  const parsed = DeviceProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const typePaths = new Set(typeProblems.map((p) => p.at));
    const problems = [...typeProblems, ...zodProblems(parsed.error, base, 'profile-shape').filter((p) => !typePaths.has(p.at))];
    // Check what did parse too, so one run shows every problem, not the first kind only.
    const defaults = isRecord(raw) ? ProfileDefaultsSchema.safeParse(raw.defaults) : undefined;
    if (defaults?.success && isRecord(raw) && Array.isArray(raw.tags)) {
      const tags = raw.tags.map((t) => {
        const r = TagSchema.safeParse(t);
        return r.success ? r.data : undefined;
      });
      const seen = new Set(problems.map((p) => p.at));
      problems.push(...checkTags(tags, defaults.data, base).problems.filter((p) => !seen.has(p.at)));
    }
    problems.sort((a, b) => tagOrder(a, base) - tagOrder(b, base));
    return { ok: false, problems };
  }
  const profile = parsed.data;
  const { problems, tags } = checkTags(profile.tags, profile.defaults, base);
  const keys = new Set(profile.tags.map((t) => t.key));

  if (profile.simulation) {
    for (const [key, hint] of Object.entries(profile.simulation.tags)) {
      if (!keys.has(key)) {
        const guess = closest(key, [...keys]);
        problems.push(problem('simulation-unknown-tag', [...base, 'simulation', 'tags', key], {
          zh: `模拟设置中的点位 “${key}” 不存在${guess ? `，是否指 “${guess}”？` : ''}`,
          en: `simulation names tag "${key}", which the profile does not have${guess ? `; did you mean "${guess}"?` : ''}`,
        }));
      }
      if (hint.kind === 'integral' && !keys.has(hint.of)) {
        problems.push(problem('simulation-unknown-tag', [...base, 'simulation', 'tags', key, 'of'], {
          zh: `积分来源点位 “${hint.of}” 不存在`,
          en: `integral of "${hint.of}", which the profile does not have`,
        }));
      }
    }
  }

  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  return { ok: true, profile, tags, problems };
}

/** Problems about tags sort by tag index, the rest keep their place after them. */
function tagOrder(p: Problem, base: JsonPath): number {
  return p.path[base.length] === 'tags' && typeof p.path[base.length + 1] === 'number' ? (p.path[base.length + 1] as number) : -1;
}

type Defaults = z.infer<typeof ProfileDefaultsSchema>;

/** What a schema cannot see about tags; `undefined` entries (tags that failed to parse) are skipped. */
function checkTags(list: readonly (DeviceTag | undefined)[], d: Defaults, base: JsonPath): { problems: Problem[]; tags: ResolvedTag[] } {
  const problems: Problem[] = [];
  const tags: ResolvedTag[] = [];
  const at = (i: number, ...rest: (string | number)[]): JsonPath => [...base, 'tags', i, ...rest];
  const keys = new Map<string, number>();

  list.forEach((tag, i) => {
    if (!tag) return;
    const first = keys.get(tag.key);
    if (first !== undefined) {
      problems.push(problem('duplicate-tag-key', at(i, 'key'), { zh: `点位键 “${tag.key}” 重复（与 tags[${first}] 相同）`, en: `duplicate tag key "${tag.key}" (already used by tags[${first}])` }));
    } else keys.set(tag.key, i);

    const bitArea = tag.area === 'coil' || tag.area === 'discrete';
    let fits = true;
    if (bitArea && tag.type !== 'bool') {
      problems.push(problem('type-area-mismatch', at(i, 'type'), { zh: `${tag.area} 区只能是 bool，不能是 ${tag.type}`, en: `a ${tag.area} holds a bool, not ${tag.type}` }));
      fits = false;
    }
    if (tag.bit !== undefined && (bitArea || tag.type !== 'bool')) {
      problems.push(problem('bit-not-allowed', at(i, 'bit'), bitArea
        ? { zh: `bit 只用于寄存器（input、holding）中的位，${tag.area} 本身就是一位`, en: `bit picks a bit of a register (input, holding); a ${tag.area} is a single bit already` }
        : { zh: `bit 只用于 bool 类型，不能用于 ${tag.type}`, en: `bit applies to bool tags only, not ${tag.type}` }));
      fits = false;
    }
    if (!bitArea && tag.type === 'bool' && tag.bit === undefined) {
      problems.push(problem('bit-required', at(i, 'bit'), { zh: '寄存器中的 bool 必须用 bit 指明是哪一位（0～15）', en: 'a bool in a register needs bit (0–15) to say which bit' }));
      fits = false;
    }
    if (tag.type === 'string' && tag.length === undefined) {
      problems.push(problem('string-length-required', at(i, 'length'), { zh: 'string 类型必须给出 length（字节数，每个寄存器 2 字节）', en: 'a string needs length (bytes, two per register)' }));
      fits = false;
    }
    if (tag.type !== 'string' && tag.length !== undefined) {
      problems.push(problem('length-not-allowed', at(i, 'length'), { zh: `length 只用于 string，不能用于 ${tag.type}`, en: `length applies to strings only, not ${tag.type}` }));
    }
    if (tag.encoding !== undefined && tag.type !== 'string') {
      problems.push(problem('encoding-not-allowed', at(i, 'encoding'), { zh: 'encoding 只用于 string', en: 'encoding applies to strings only' }));
    }
    if (tag.byteOrder !== undefined && (bitArea || tag.type === 'bool')) {
      problems.push(problem('byte-order-not-allowed', at(i, 'byteOrder'), { zh: '位（bool）没有字节序', en: 'a bit (bool) has no byte order' }));
    }
    if ((tag.scale !== undefined || tag.offset !== undefined) && (tag.type === 'bool' || tag.type === 'string')) {
      problems.push(problem('scale-not-allowed', at(i, tag.scale !== undefined ? 'scale' : 'offset'), { zh: `${tag.type} 不能缩放`, en: `a ${tag.type} cannot be scaled` }));
    }
    if (tag.access === 'rw' && (tag.area === 'discrete' || tag.area === 'input')) {
      problems.push(problem('read-only-area', at(i, 'access'), { zh: `${tag.area} 区只读，不能写（access 应为 "r"）`, en: `${tag.area} is read-only; access must be "r"` }));
    }
    if (tag.min !== undefined && tag.max !== undefined && tag.min > tag.max) {
      problems.push(problem('range-inverted', at(i, 'min'), { zh: `min（${tag.min}）大于 max（${tag.max}）`, en: `min (${tag.min}) is above max (${tag.max})` }));
    }
    if ((tag.min !== undefined || tag.max !== undefined) && (tag.type === 'bool' || tag.type === 'string')) {
      problems.push(problem('range-not-allowed', at(i, tag.min !== undefined ? 'min' : 'max'), { zh: `${tag.type} 没有数值范围`, en: `a ${tag.type} has no numeric range` }));
    }

    const addr = protocolAddress(tag.area, tag.address, d.addressBase, d.addressNotation);
    if (!addr.ok) {
      problems.push(problem('address-out-of-range', at(i, 'address'), addr.text));
      return;
    }
    if (!fits) return;
    const width = tagWidth(tag);
    const limit = bitArea ? d.maxBitsPerRequest : d.maxRegistersPerRequest;
    if (width > limit) {
      problems.push(problem('tag-too-wide', at(i, tag.type === 'string' ? 'length' : 'type'), {
        zh: `该点位占 ${width} 个寄存器，超过每次请求的上限 ${limit}（maxRegistersPerRequest）`,
        en: `the tag spans ${width} registers, more than one request may read (${limit}, maxRegistersPerRequest)`,
      }));
      return;
    }
    if (addr.start + width - 1 > LAST_ADDRESS) {
      problems.push(problem('address-out-of-range', at(i, 'address'), {
        zh: `地址超出范围：协议地址 ${addr.start}${width > 1 ? `～${addr.start + width - 1}` : ''} 超过 65535`,
        en: `address out of range: protocol address ${addr.start}${width > 1 ? `–${addr.start + width - 1}` : ''} is beyond 65535`,
      }));
      return;
    }
    tags.push({
      tag,
      index: i,
      start: addr.start,
      width,
      byteOrder: tag.byteOrder ?? d.byteOrder,
      scale: tag.scale ?? 1,
      offset: tag.offset ?? 0,
      intervalMs: tag.intervalMs ?? d.intervalMs,
    });
  });

  problems.push(...overlapProblems(tags, base));
  return { problems, tags };
}

/**
 * Two tags overlap when they share a register (or bit) — except bits of one register picked by
 * different `bit`s, and bit tags over a register also read whole (a status word and its flags).
 */
function overlapProblems(tags: readonly ResolvedTag[], base: JsonPath): Problem[] {
  const out: Problem[] = [];
  for (const area of AREAS) {
    const list = tags.filter((t) => t.tag.area === area).sort((a, b) => a.start - b.start || a.index - b.index);
    const whole = list.filter((t) => t.tag.bit === undefined);
    // Sorted by start, a tag can only overlap the furthest-reaching earlier one.
    let reach: ResolvedTag | undefined;
    for (const t of whole) {
      if (reach && t.start <= reach.start + reach.width - 1) {
        const [first, second] = reach.index < t.index ? [reach, t] : [t, reach];
        out.push(problem('overlapping-tags', [...base, 'tags', second.index, 'address'], {
          zh: `点位 “${second.tag.key}” 与 tags[${first.index}]（“${first.tag.key}”）占用相同的寄存器（协议地址 ${Math.max(first.start, second.start)}）`,
          en: `tag "${second.tag.key}" overlaps tags[${first.index}] ("${first.tag.key}") at protocol address ${Math.max(first.start, second.start)}`,
        }));
      }
      if (!reach || t.start + t.width > reach.start + reach.width) reach = t;
    }
    const bits = new Map<string, ResolvedTag>();
    for (const t of list) {
      if (t.tag.bit === undefined) continue;
      const key = `${t.start}/${t.tag.bit}`;
      const first = bits.get(key);
      if (first) {
        out.push(problem('overlapping-tags', [...base, 'tags', t.index, 'bit'], {
          zh: `点位 “${t.tag.key}” 与 tags[${first.index}]（“${first.tag.key}”）是同一寄存器的同一位（地址 ${t.start}，第 ${t.tag.bit} 位）`,
          en: `tag "${t.tag.key}" is the same bit as tags[${first.index}] ("${first.tag.key}"): register ${t.start}, bit ${t.tag.bit}`,
        }));
      } else bits.set(key, t);
    }
  }
  const tagIndex = (p: Problem) => Number(p.path[base.length + 1]);
  return out.sort((a, b) => tagIndex(a) - tagIndex(b));
}
