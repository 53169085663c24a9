import type { Granularity, Problem, UplinkPolicy } from '../../../runtime/model';
import { checkUplinkPolicy } from '../../../runtime/model';

/** An endpoint as the form edits it; fields the form does not show ride along in `extra`. */
export interface EndpointRow {
  readonly id: string;
  readonly kind: 'mqtt' | 'http';
  readonly url: string;
  readonly topic: string;
  readonly username: string;
  readonly passwordSecret: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface StreamRow {
  readonly id: string;
  readonly endpoint: string;
  /** Comma-separated device names or patterns. */
  readonly devices: string;
  readonly tags: string;
  readonly granularity: Granularity;
}

export interface UplinkForm {
  readonly endpoints: readonly EndpointRow[];
  readonly streams: readonly StreamRow[];
}

const list = (s: string) => s.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);

/** A stored policy (or none) as the form's rows. */
export function formOf(raw: unknown): UplinkForm {
  const p = (raw ?? {}) as { endpoints?: Record<string, unknown>[]; streams?: Record<string, unknown>[] };
  return {
    endpoints: (p.endpoints ?? []).map((e) => {
      const { id, kind, url, topic, username, passwordSecret, ...extra } = e;
      return { id: String(id ?? ''), kind: kind === 'http' ? 'http' : 'mqtt', url: String(url ?? ''), topic: String(topic ?? ''), username: String(username ?? ''), passwordSecret: String(passwordSecret ?? ''), extra };
    }),
    streams: (p.streams ?? []).map((s) => ({
      id: String(s.id ?? ''), endpoint: String(s.endpoint ?? ''), devices: Array.isArray(s.devices) ? s.devices.join(', ') : '', tags: Array.isArray(s.tags) ? s.tags.join(', ') : '',
      granularity: (s.granularity as Granularity | undefined) ?? 'kpi',
    })),
  };
}

/** The form as the policy the instance stores (what PATCH /api/instances/:id { uplink } sends). */
export function policyOf(f: UplinkForm): Record<string, unknown> {
  return {
    endpoints: f.endpoints.map((e) => ({
      id: e.id.trim(), kind: e.kind, url: e.url.trim(),
      ...(e.topic.trim() ? { topic: e.topic.trim() } : {}),
      ...(e.username.trim() ? { username: e.username.trim() } : {}),
      ...(e.passwordSecret.trim() ? { passwordSecret: e.passwordSecret.trim() } : {}),
      ...e.extra,
    })),
    streams: f.streams.map((s) => ({
      id: s.id.trim(), endpoint: s.endpoint.trim(), ...(list(s.devices).length ? { devices: list(s.devices) } : {}), tags: list(s.tags), granularity: s.granularity,
    })),
  };
}

/** The policy checked as the studio and the runtime check it (runtime/model's checkUplinkPolicy), problems at `uplink.…`. */
export function uplinkProblems(f: UplinkForm): Problem[] {
  const r = checkUplinkPolicy(policyOf(f), ['uplink']);
  return r.ok ? [] : r.problems;
}

export type { UplinkPolicy };
