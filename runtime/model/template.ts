import { z } from 'zod';
import { TextSchema } from './text';

export const TEMPLATE_SCHEMA_VERSION = 1;

/** The problems an SME comes with (the province plan's list); scenarios are tagged with them. */
export const DEMANDS = {
  quality: { zh: '提质', en: 'Quality' },
  output: { zh: '增产', en: 'Output' },
  cost: { zh: '降本', en: 'Cost' },
  energy: { zh: '节能', en: 'Energy saving' },
  carbon: { zh: '减碳', en: 'Carbon' },
  emissions: { zh: '减排', en: 'Emissions' },
  safety: { zh: '安全', en: 'Safety' },
  management: { zh: '精益管理', en: 'Lean management' },
} as const;
export type Demand = keyof typeof DEMANDS;
export const DemandSchema = z.enum(Object.keys(DEMANDS) as [Demand, ...Demand[]]);

export const KeySchema = z.string().refine((s) => /^[a-z][a-zA-Z0-9_-]{0,63}$/.test(s), {
  message: 'a key of letters, digits, "_" or "-", starting with a lower-case letter',
  params: { zh: '键名须由字母、数字、“_”或“-”组成，以小写字母开头' },
});

export const SemverSchema = z.string().refine((s) => /^\d+\.\d+\.\d+$/.test(s), {
  message: 'a version like 1.2.0',
  params: { zh: '版本号应形如 1.2.0' },
});

export const PARAMETER_TYPES = ['number', 'integer', 'string', 'boolean', 'duration', 'enum'] as const;

/** A typed template parameter: what a copy may (or must) set, with its range. */
export const ParameterSchema = z.object({
  key: KeySchema,
  type: z.enum(PARAMETER_TYPES),
  label: TextSchema,
  help: TextSchema.optional(),
  default: z.unknown().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().max(20).optional(),
  /** The allowed values of an `enum`. */
  options: z.array(z.union([z.string(), z.number()])).min(1).optional(),
  required: z.boolean().default(true),
});
export type Parameter = z.infer<typeof ParameterSchema>;

/** Devices of one kind that scenarios read together, e.g. every loom of a workshop. */
export const DeviceGroupDefSchema = z.object({
  key: KeySchema,
  /** A device profile id from `templates/profiles/`. */
  profile: z.string().min(1),
  label: TextSchema,
  min: z.number().int().min(0).default(1),
  max: z.number().int().min(1).max(1000).default(1000),
});
export type DeviceGroupDef = z.infer<typeof DeviceGroupDefSchema>;

/** A scenario's dashboard page: widgets placed on a grid (the dashboard issue fills in the widget kinds). */
export const DashboardSchema = z.object({
  title: TextSchema.optional(),
  columns: z.number().int().min(1).max(48).default(12),
  widgets: z.array(z.object({
    id: z.string().min(1),
    /** The widget node of the scenario's flow that feeds it. */
    node: z.string().min(1).optional(),
    x: z.number().int().min(0).default(0),
    y: z.number().int().min(0).default(0),
    w: z.number().int().min(1).default(4),
    h: z.number().int().min(1).default(3),
  }).passthrough()).default([]),
}).passthrough();

export const ScenarioSchema = z.object({
  key: KeySchema,
  /** N: every copy of the template runs it; X: a firm chooses it. */
  kind: z.enum(['N', 'X']),
  title: TextSchema,
  description: TextSchema.optional(),
  demands: z.array(DemandSchema).default([]),
  /** A flow document; `$param` and `$deviceGroup` references are filled in per copy. */
  flow: z.record(z.string(), z.unknown()),
  dashboard: DashboardSchema.default({ columns: 12, widgets: [] }),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

// ---------------------------------------------------------------------------------------------
// Scenario tests: simulated devices over time in, expected alarms and KPIs out (kaiwu test-template).

const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)/y;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time in a test as ms: a number of ms, or a text of one or more parts such as "90s",
 * "15min", "1h10min", "1d2h". undefined when unreadable.
 */
export function testTimeMs(value: number | string | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    while (text[DURATION_PART.lastIndex] === ' ') DURATION_PART.lastIndex++;
  }
  return total;
}

/** A time in a test, counted from its start: ms, or a text like "90s", "15min", "2h", "1h30min". */
export const TestTimeSchema = z.union([
  z.number().min(0),
  z.string().refine((s) => testTimeMs(s) !== undefined, {
    message: 'a duration: ms, or numbers with ms, s, min, h or d, like "15min" or "1h30min"',
    params: { zh: '应为时长：毫秒数，或数字加 ms、s、min、h、d，如 "15min"、"1h30min"' },
  }),
]);
export type TestTime = z.infer<typeof TestTimeSchema>;

const OFFSET = /(Z|[+-]\d\d:?\d\d)$/i;

/** When a test starts, in ms; a time without a zone is Beijing time (UTC+8). undefined when unreadable. */
export function testStartMs(text: string): number | undefined {
  const t = Date.parse(OFFSET.test(text.trim()) ? text.trim() : `${text.trim()}+08:00`);
  return Number.isFinite(t) ? t : undefined;
}

/** A test's device of a group: `looms-01`, two digits at least, more for big groups. */
export function testDeviceName(group: string, position: number, count: number): string {
  return `${group}-${String(position).padStart(Math.max(2, String(count).length), '0')}`;
}

/** The default start of a test: a Monday 08:00, Beijing time, when a day shift begins. */
export const DEFAULT_TEST_START = '2026-11-02T08:00:00+08:00';

const SIMULATED_STATES = ['running', 'idle', 'fault'] as const;

/**
 * Something scripted to happen to simulated devices: a state held (a fault with its code, a long
 * stop), a tag showing a value, or the device not answering — from `at`, for `forMs` (to the end
 * of the test when absent). `device` is a device name or its place in the group (1 = the first);
 * without it, every device of the group.
 */
export const TestDeviceEventSchema = z.strictObject({
  at: TestTimeSchema,
  device: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
  forMs: TestTimeSchema.optional(),
  state: z.enum(SIMULATED_STATES).optional(),
  /** With `state: "fault"`: the code fault-code tags show (the stop cause). */
  faultCode: z.number().int().min(1).optional(),
  tag: z.string().min(1).optional(),
  value: z.union([z.number(), z.boolean(), z.string()]).optional(),
  offline: z.literal(true).optional(),
  note: z.string().max(200).optional(),
}).superRefine((e, ctx) => {
  const kinds = [e.state !== undefined, e.tag !== undefined, e.offline === true].filter(Boolean).length;
  if (kinds !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'an event does one thing: "state", "tag" (with "value") or "offline": true',
      params: { zh: '一个事件只做一件事：state（状态）、tag（点位，配 value）或 offline: true（离线）' },
    });
  }
  if (e.tag !== undefined && e.value === undefined) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'a tag event needs the value the tag shows', params: { zh: '点位事件需要给出 value（点位显示的值）' } });
  }
  if (e.value !== undefined && e.tag === undefined) {
    ctx.addIssue({ code: 'custom', path: ['tag'], message: 'value belongs to a tag event; name the tag', params: { zh: 'value 用于点位事件，请给出 tag' } });
  }
  if (e.faultCode !== undefined && e.state !== 'fault') {
    ctx.addIssue({ code: 'custom', path: ['faultCode'], message: 'faultCode goes with state "fault"', params: { zh: 'faultCode 只用于 state 为 "fault" 的事件' } });
  }
});
export type TestDeviceEvent = z.infer<typeof TestDeviceEventSchema>;

/** The simulated devices of one device group in a test. */
export const TestDeviceGroupSchema = z.strictObject({
  /** How many; default the group's minimum (at least 1). Devices are named `<group>-01`, `<group>-02` … */
  count: z.number().int().min(1).max(1000).optional(),
  /** Default: the test's seed. */
  seed: z.number().int().min(0).optional(),
  /** `random`: run, stop and fault as the profile's simulation says; `steady`: run until an event says otherwise. */
  behaviour: z.enum(['random', 'steady']).default('random'),
  /** Poll every this many ms at the fastest (default: the profile's intervals); coarser polls run long tests faster. */
  pollMs: z.number().int().min(100).max(3_600_000).optional(),
  events: z.array(TestDeviceEventSchema).default([]),
});
export type TestDeviceGroup = z.infer<typeof TestDeviceGroupSchema>;

const windowFields = {
  /** Only what happened from this time on (from the test's start). */
  from: TestTimeSchema.optional(),
  /** …and up to this time (inclusive). */
  to: TestTimeSchema.optional(),
};

const countFields = {
  count: z.number().int().min(0).optional(),
  min: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
};

const valueFields = {
  equals: z.json().optional(),
  between: z.tuple([z.number(), z.number()]).optional(),
  /** Numbers within this of `equals` (or of the counter increase) count as equal. */
  tolerance: z.number().min(0).optional(),
  /** Which values must pass: the last (default), the first, every one, or any one. */
  pick: z.enum(['last', 'first', 'every', 'any']).default('last'),
};

/** Alarm transitions recorded in the site's alarm list. Without count/min/max: at least one. */
export const AlarmExpectationSchema = z.strictObject({
  kind: z.literal('alarm'),
  title: TextSchema.optional(),
  code: z.string().min(1),
  device: z.string().min(1).optional(),
  event: z.enum(['raised', 'cleared']).default('raised'),
  /** Only alarms with this value (e.g. the stop cause a stop alarm carries). */
  value: z.number().optional(),
  ...windowFields,
  ...countFields,
});

/** No alarm (of this code, on this device) raised in the window. */
export const NoAlarmExpectationSchema = z.strictObject({
  kind: z.literal('no-alarm'),
  title: TextSchema.optional(),
  code: z.string().min(1).optional(),
  device: z.string().min(1).optional(),
  ...windowFields,
});

/**
 * Messages a node of a scenario sent. `where` keeps only messages whose paths hold these values
 * (e.g. `{ "payload.final": true }`); `matchesCounter` compares the value with how much a device
 * counter rose over the message's window (`payload.start` … `payload.end`, else since the
 * device's previous message), times `scale`. Without any check: at least one message.
 */
export const OutputExpectationSchema = z.strictObject({
  kind: z.literal('output'),
  title: TextSchema.optional(),
  scenario: KeySchema,
  node: z.string().min(1),
  /** Default: `out` when the node has it, else every output port but `error`. */
  port: z.string().min(1).optional(),
  device: z.string().min(1).optional(),
  path: z.string().min(1).default('payload'),
  where: z.record(z.string(), z.json()).optional(),
  matchesCounter: z.strictObject({ tag: z.string().min(1), scale: z.number().default(1) }).optional(),
  ...windowFields,
  ...countFields,
  ...valueFields,
});

/** Points written to the site history (what a dashboard charts). Without a check: at least one point. */
export const HistoryExpectationSchema = z.strictObject({
  kind: z.literal('history'),
  title: TextSchema.optional(),
  device: z.string().min(1),
  tag: z.string().min(1),
  ...windowFields,
  ...countFields,
  ...valueFields,
});

export const ExpectationSchema = z.discriminatedUnion('kind', [AlarmExpectationSchema, NoAlarmExpectationSchema, OutputExpectationSchema, HistoryExpectationSchema]);
export type Expectation = z.infer<typeof ExpectationSchema>;
export type AlarmExpectation = z.infer<typeof AlarmExpectationSchema>;
export type NoAlarmExpectation = z.infer<typeof NoAlarmExpectationSchema>;
export type OutputExpectation = z.infer<typeof OutputExpectationSchema>;
export type HistoryExpectation = z.infer<typeof HistoryExpectationSchema>;

/** A scenario test: simulated devices over time in, expected alarms and KPIs out (run by kaiwu test-template). */
export const ScenarioTestSchema = z.object({
  key: KeySchema,
  title: TextSchema,
  description: TextSchema.optional(),
  /** X scenarios to run besides the N ones. */
  scenarios: z.array(KeySchema).default([]),
  /** Parameter values over the template's defaults. */
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** How long to run, simulated: ms or a text like "12h". */
  durationMs: z.union([z.number().int().min(1).max(31 * 86_400_000), z.string().refine((s) => {
    const ms = testTimeMs(s) ?? 0;
    return ms >= 1 && ms <= 31 * 86_400_000;
  }, { message: 'a duration from 1 ms to 31 days, like "12h"', params: { zh: '应为 1 毫秒到 31 天的时长，如 "12h"' } })]),
  /** ISO 8601 date and time; without a zone, Beijing time. Default DEFAULT_TEST_START. */
  startAt: z.string().refine((s) => testStartMs(s) !== undefined, {
    message: 'a date and time like 2026-11-02T08:00:00+08:00',
    params: { zh: '应为日期时间，如 2026-11-02T08:00:00+08:00' },
  }).optional(),
  /** Seeds every device group without its own. Default 1. */
  seed: z.number().int().min(0).optional(),
  /** Simulated devices per device group. */
  devices: z.record(z.string(), TestDeviceGroupSchema).default({}),
  expect: z.array(ExpectationSchema).default([]),
  /** A node failing (a rule throwing …) fails the test unless this is true. */
  allowNodeErrors: z.boolean().default(false),
});
export type ScenarioTest = z.infer<typeof ScenarioTestSchema>;
export type ScenarioTestInput = z.input<typeof ScenarioTestSchema>;

/** How many devices a test gives a group: its own count, else the group's minimum, at least one. */
export function testDeviceCount(group: Pick<DeviceGroupDef, 'key' | 'min'>, test: Pick<ScenarioTest, 'devices'>): number {
  return test.devices[group.key]?.count ?? Math.max(1, group.min);
}

export const TemplateSchema = z.object({
  schemaVersion: z.literal(TEMPLATE_SCHEMA_VERSION),
  id: KeySchema,
  version: SemverSchema,
  /** A GB/T 4754-2017 code from templates/catalog.json. */
  industry: z.string().min(1),
  title: TextSchema,
  description: TextSchema,
  demands: z.array(DemandSchema).default([]),
  author: z.string().min(1),
  parameters: z.array(ParameterSchema).default([]),
  deviceGroups: z.array(DeviceGroupDefSchema).default([]),
  scenarios: z.array(ScenarioSchema).min(1),
  tests: z.array(ScenarioTestSchema).default([]),
});
export type Template = z.infer<typeof TemplateSchema>;

/** `id@version`, the way an instance names its template. */
export function templateRef(t: Pick<Template, 'id' | 'version'>): string {
  return `${t.id}@${t.version}`;
}

export function parseTemplateRef(ref: string): { id: string; version: string } | undefined {
  const m = /^([a-z][a-zA-Z0-9_-]{0,63})@(\d+\.\d+\.\d+)$/.exec(ref);
  return m ? { id: m[1]!, version: m[2]! } : undefined;
}

/** Compares semver strings (major.minor.patch). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
