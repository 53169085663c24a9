import { z } from 'zod';
import { TextSchema } from './text';

export const FLOW_SCHEMA_VERSION = 1;

export const IdSchema = z.string().refine((s) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s), {
  message: 'expected an id of letters, digits, "_", "." or "-" (at most 64, starting with a letter or digit)',
  params: { zh: 'id 只能由字母、数字、“_”、“.”、“-” 组成（最多 64 个字符，以字母或数字开头）' },
});

export const PortNameSchema = z.string().refine((s) => /^[a-z][a-z0-9_-]{0,31}$/.test(s), {
  message: 'expected a port name of lower-case letters, digits, "_" or "-", starting with a letter',
  params: { zh: '端口名只能由小写字母、数字、“_”、“-” 组成，并以字母开头' },
});

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

/** Overrides the node type's input queue for one node. */
export const QueueSettingsSchema = z.object({
  capacity: z.number().int().min(1).max(1_000_000).optional(),
  overflow: z.enum(['block', 'drop-oldest']).optional(),
});

export const FlowNodeSchema = z.object({
  id: IdSchema,
  type: z.string().min(1),
  version: z.number().int().min(1),
  name: z.union([z.string(), TextSchema]).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  position: PositionSchema.optional(),
  disabled: z.boolean().optional(),
  queue: QueueSettingsSchema.optional(),
});
export type FlowNode = z.infer<typeof FlowNodeSchema>;

export const EdgeSchema = z.object({
  id: IdSchema,
  source: IdSchema,
  sourcePort: PortNameSchema,
  target: IdSchema,
  targetPort: PortNameSchema,
  /** A declared feedback edge may close a cycle; any other cycle is an error. */
  feedback: z.boolean().optional(),
});
export type Edge = z.infer<typeof EdgeSchema>;

export const SandboxLimitsSchema = z.object({
  deadlineMs: z.number().int().min(1).max(10_000).default(50),
  hardLimitMs: z.number().int().min(10).max(60_000).default(1_000),
  memoryMb: z.number().int().min(4).max(512).default(32),
});
export type SandboxLimits = z.infer<typeof SandboxLimitsSchema>;

export const FlowSettingsSchema = z.object({
  sandbox: SandboxLimitsSchema.partial().optional(),
});

/** The top level of a flow; nodes and edges are checked one by one so every bad item is reported. */
export const FlowShapeSchema = z.object({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  id: IdSchema,
  name: TextSchema,
  description: TextSchema.optional(),
  nodes: z.array(z.unknown()),
  edges: z.array(z.unknown()).default([]),
  settings: FlowSettingsSchema.optional(),
});

export const FlowSchema = FlowShapeSchema.extend({
  nodes: z.array(FlowNodeSchema),
  edges: z.array(EdgeSchema).default([]),
});
export type Flow = z.infer<typeof FlowSchema>;
