/**
 * The simulator settings file (`simulator.json` of an example firm): which profiles, how many
 * of each, on which ports. `kaiwu simulate <folder>` reads it; flags override it.
 */
import { z } from 'zod';

export const SimulationSettingsSchema = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  seed: z.number().int().min(0).optional(),
  portBase: z.number().int().min(0).max(65_535).optional(),
  framing: z.enum(['tcp', 'rtu']).optional(),
  gateway: z.boolean().optional(),
  speed: z.number().positive().max(10_000).optional(),
  devices: z.array(z.strictObject({
    profile: z.string().min(1),
    count: z.number().int().min(1).max(1000).default(1),
    name: z.string().min(1).optional(),
    strict: z.boolean().optional(),
  })).min(1),
});
export type SimulationSettings = z.infer<typeof SimulationSettingsSchema>;
