import { z } from 'zod';
import { IdSchema } from './flow';
import { KeySchema } from './template';

export const INSTANCE_SCHEMA_VERSION = 1;

/** A site's change to its template, addressed by ids (see json-changes.ts). */
export const OverrideSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), path: z.string().startsWith('/'), value: z.unknown(), note: z.string().optional() }),
  z.object({ op: z.literal('add'), path: z.string().startsWith('/'), value: z.unknown(), note: z.string().optional() }),
  z.object({ op: z.literal('remove'), path: z.string().startsWith('/'), note: z.string().optional() }),
]);
export type Override = z.infer<typeof OverrideSchema>;

/**
 * An enterprise's copy of a template: which X scenarios it runs, its parameter values, its
 * devices per device group (the group's profile applies), and its own changes.
 */
export const InstanceSchema = z.object({
  schemaVersion: z.literal(INSTANCE_SCHEMA_VERSION),
  /** `template-id@1.2.0` */
  template: z.string().refine((s) => /^[a-z][a-zA-Z0-9_-]{0,63}@\d+\.\d+\.\d+$/.test(s), {
    message: 'a template reference like weaving-waterjet@1.2.0',
    params: { zh: '模板引用应形如 weaving-waterjet@1.2.0' },
  }),
  enterprise: z.string().min(1).max(200),
  site: IdSchema,
  /** Chosen X scenarios; N scenarios always run. */
  scenarios: z.array(KeySchema).default([]),
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** Device entries per device group; each entry is a device without its profile. */
  devices: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).default({}),
  overrides: z.array(OverrideSchema).default([]),
  /** What the enterprise agrees may leave its site (see uplink-policy); none: nothing leaves. */
  uplink: z.unknown().optional(),
});
export type Instance = z.infer<typeof InstanceSchema>;
export type InstanceInput = z.input<typeof InstanceSchema>;
