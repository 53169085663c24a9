import { z } from 'zod';
import { IdSchema } from './flow';
import type { JsonPath, Problem } from './problem';
import { problem } from './problem';
import type { MigrationTable } from './migrate';
import { migrateDocument } from './migrate';
import { zodProblems } from './zod-problems';
import type { DeviceProfile } from './device-profile';
import { DeviceProfileSchema } from './device-profile';
import { findReferences, substitute } from './resolve-instance';

export const BUNDLE_SCHEMA_VERSION = 1;
export const BUNDLE_MIGRATIONS: MigrationTable = { kind: 'bundle', current: BUNDLE_SCHEMA_VERSION, steps: {} };

/** Where a bundle came from: flow files, or a template instance (resolved by the studio). */
export const BundleSourceSchema = z.object({
  kind: z.enum(['flows', 'instance']),
  template: z.string().optional(),
  instanceHash: z.string().optional(),
  files: z.array(z.string()).optional(),
});

export const DeviceGroupInBundleSchema = z.object({
  group: z.string().min(1),
  profile: z.string().min(1),
  entries: z.array(z.record(z.string(), z.unknown())),
});

/** What a site runtime accepts: everything it runs, signed by the studio. */
export const BundleSchema = z.object({
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  id: z.string().min(1).max(128),
  /** Monotonic per site: a runtime refuses a sequence not above the last it accepted. */
  sequence: z.number().int().min(1),
  site: IdSchema,
  source: BundleSourceSchema,
  /**
   * Flow documents; each is validated with the node registry of the receiving runtime. A
   * `{ "$deviceGroup": "looms" }` in a node's config stands for that group of `devices`.
   */
  flows: z.array(z.unknown()).min(1),
  /** Device groups: `{ group, profile, entries }`, each entry naming its profile by id. */
  devices: z.array(DeviceGroupInBundleSchema).default([]),
  /** The device profiles the groups use, each once. */
  profiles: z.array(z.unknown()).default([]),
  dashboards: z.array(z.unknown()).default([]),
  /** What may leave the site; absent means nothing does. */
  uplink: z.unknown().optional(),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'an ISO 8601 time', params: { zh: '应为 ISO 8601 时间' } }),
});
export type Bundle = z.infer<typeof BundleSchema>;

export const SignatureSchema = z.object({
  alg: z.literal('Ed25519'),
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Base64 signature over the canonical JSON (RFC 8785) of `bundle`. */
  value: z.string().min(1),
});

/** The file a studio writes and a runtime accepts: the bundle, its hash, and a detached signature. */
export const SignedBundleSchema = z.object({
  format: z.literal('kaiwu-bundle'),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  signature: SignatureSchema,
  bundle: z.record(z.string(), z.unknown()),
});
export type SignedBundle = z.infer<typeof SignedBundleSchema>;

/**
 * The flows of a bundle ready to run: every `$deviceGroup` reference replaced by its devices,
 * each with its whole profile from the bundle. Problems name the flow and node that refer to a
 * group or profile the bundle does not have.
 */
export function materializeFlows(bundle: Bundle): { ok: true; flows: unknown[] } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const profiles = new Map<string, DeviceProfile>();
  bundle.profiles.forEach((raw, i) => {
    const parsed = DeviceProfileSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) problems.push(...zodProblems(parsed.error, ['bundle', 'profiles', i], 'invalid-profile'));
    else profiles.set(parsed.data.id, parsed.data);
  });
  const groups = new Map(bundle.devices.map((g) => [g.group, g]));
  const flows = bundle.flows.map((flow, i) => {
    for (const { ref, path } of findReferences(flow)) {
      if (ref.kind !== 'deviceGroup') {
        problems.push(problem('unresolved-parameter', ['bundle', 'flows', i, ...path], { zh: `部署包中仍有未填的参数 “${ref.key}”`, en: `the bundle still refers to parameter "${ref.key}"` }));
        continue;
      }
      const g = groups.get(ref.key);
      if (!g) problems.push(problem('unknown-device-group', ['bundle', 'flows', i, ...path], { zh: `部署包没有设备组 “${ref.key}”`, en: `the bundle has no device group "${ref.key}"` }));
      else if (!profiles.has(g.profile)) problems.push(problem('unknown-profile', ['bundle', 'devices'], { zh: `部署包缺少设备模型 “${g.profile}”`, en: `the bundle lacks device profile "${g.profile}"` }));
    }
    return substitute(flow, (ref) => {
      const g = groups.get(ref.key);
      const profile = g ? profiles.get(g.profile) : undefined;
      return g && profile ? g.entries.map((e) => ({ ...e, profile })) : { [`$${ref.kind}`]: ref.key };
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, flows };
}

/** Checks a bundle's own shape (not its flows: those need a node registry). */
export function checkBundleShape(raw: unknown, base: JsonPath = ['bundle']): { ok: true; bundle: Bundle } | { ok: false; problems: Problem[] } {
  const migrated = migrateDocument(raw, BUNDLE_MIGRATIONS, base);
  if (!migrated.ok) return migrated;
  const parsed = BundleSchema.safeParse(migrated.doc, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, base, 'invalid-bundle') };
  return { ok: true, bundle: parsed.data };
}

export function checkSignedBundleShape(raw: unknown): { ok: true; signed: SignedBundle } | { ok: false; problems: Problem[] } {
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== 'kaiwu-bundle') {
    return { ok: false, problems: [problem('not-a-bundle', [], {
      zh: '这不是开物部署包（缺少 "format": "kaiwu-bundle"）；请用 kaiwu bundle 生成并签名',
      en: 'not a Kaiwu bundle (no "format": "kaiwu-bundle"); make one with kaiwu bundle, which signs it',
    })] };
  }
  const parsed = SignedBundleSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, [], 'invalid-envelope') };
  return { ok: true, signed: parsed.data };
}
