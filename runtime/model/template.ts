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

/** A scenario test: simulated devices over time in, expected alarms and KPIs out (run by kaiwu test-template). */
export const ScenarioTestSchema = z.object({
  key: KeySchema,
  title: TextSchema,
  scenarios: z.array(KeySchema).default([]),
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** How long to run, simulated. */
  durationMs: z.number().int().min(1).max(31 * 86_400_000),
  startAt: z.string().optional(),
  /** Simulation settings per device group (count, seed, scripted events). */
  devices: z.record(z.string(), z.unknown()).default({}),
  expect: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type ScenarioTest = z.infer<typeof ScenarioTestSchema>;

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
