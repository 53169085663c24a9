import { z } from 'zod';
import { IdSchema } from './flow';
import type { JsonPath, Problem } from './problem';
import { problem } from './problem';
import type { MigrationTable } from './migrate';
import { migrateDocument } from './migrate';
import { zodProblems } from './zod-problems';

export const BUNDLE_SCHEMA_VERSION = 1;
export const BUNDLE_MIGRATIONS: MigrationTable = { kind: 'bundle', current: BUNDLE_SCHEMA_VERSION, steps: {} };

/** Where a bundle came from: flow files, or a template instance (resolved by the studio). */
export const BundleSourceSchema = z.object({
  kind: z.enum(['flows', 'instance']),
  template: z.string().optional(),
  instanceHash: z.string().optional(),
  files: z.array(z.string()).optional(),
});

/** What a site runtime accepts: everything it runs, signed by the studio. */
export const BundleSchema = z.object({
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  id: z.string().min(1).max(128),
  /** Monotonic per site: a runtime refuses a sequence not above the last it accepted. */
  sequence: z.number().int().min(1),
  site: IdSchema,
  source: BundleSourceSchema,
  /** Flow documents; each is validated with the node registry of the receiving runtime. */
  flows: z.array(z.unknown()).min(1),
  devices: z.array(z.unknown()).default([]),
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
