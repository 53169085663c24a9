import { createHash } from 'node:crypto';
import type { Bundle, NodeCatalog, Problem, ProfileLookup, Template } from '../model';
import { BUNDLE_SCHEMA_VERSION, resolveInstance } from '../model';
import { canonicalJson } from './canonical-json';

/** The SHA-256 of an instance's canonical JSON: what a bundle says it was made from. */
export function instanceHash(instance: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(instance)).digest('hex')}`;
}

export interface InstanceBundleOptions {
  readonly sequence: number;
  readonly createdAt: string;
  readonly id?: string;
}

/**
 * Resolves an enterprise's copy of a template into a bundle for its site. The same template
 * version, instance and options give the same bytes (and so the same hash).
 */
export function buildInstanceBundle(template: Template, instance: unknown, profiles: ProfileLookup, catalog: NodeCatalog, o: InstanceBundleOptions): { ok: true; bundle: Bundle; problems: Problem[] } | { ok: false; problems: Problem[] } {
  const resolved = resolveInstance(template, instance, profiles, catalog);
  if (!resolved.ok) return resolved;
  const site = (instance as { site: string }).site;
  const c = resolved.content;
  const bundle: Bundle = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    id: o.id ?? `${site}-${o.sequence}`,
    sequence: o.sequence,
    site,
    source: { kind: 'instance', template: c.template, instanceHash: instanceHash(instance) },
    flows: [...c.portableFlows],
    devices: c.devices.map((g) => ({ group: g.group, profile: g.profile, entries: g.entries.map((e) => ({ ...e })) })),
    profiles: [...c.profiles],
    dashboards: [...c.dashboards],
    // Only when the enterprise agreed to something: a bundle without one sends nothing.
    ...(c.uplink.endpoints.length > 0 ? { uplink: c.uplink } : {}),
    createdAt: o.createdAt,
  };
  return { ok: true, bundle, problems: resolved.problems };
}
