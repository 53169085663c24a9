import type { Drift, Health } from './fleet-types';
import { DRIFT, HEALTH } from './fleet-types';

/** The fleet list's filters, as the page's address keeps them (`/fleet?health=down&page=2`). */
export interface FleetFilters {
  readonly page: number;
  readonly health?: Health;
  readonly drift?: Drift;
  readonly enterprise?: string;
  readonly q?: string;
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => (v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined);

/** Reads the filters from the address; unknown values are dropped, the page is at least 1. */
export function filtersFrom(params: URLSearchParams): FleetFilters {
  const page = Math.max(1, Math.floor(Number(params.get('page') ?? 1)) || 1);
  const health = oneOf(HEALTH, params.get('health'));
  const drift = oneOf(DRIFT, params.get('drift'));
  const enterprise = params.get('enterprise')?.trim() || undefined;
  const q = params.get('q')?.trim() || undefined;
  return { page, ...(health ? { health } : {}), ...(drift ? { drift } : {}), ...(enterprise ? { enterprise } : {}), ...(q ? { q } : {}) };
}

/** The filters back into an address; a changed filter starts again at page 1. */
export function paramsFrom(f: FleetFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of ['health', 'drift', 'enterprise', 'q'] as const) if (f[k]) p.set(k, f[k]!);
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/** One filter changed: the others kept, back to the first page. */
export function withFilter(f: FleetFilters, change: Partial<Omit<FleetFilters, 'page'>>): FleetFilters {
  const next: Record<string, unknown> = { ...f, ...change, page: 1 };
  for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
  return next as unknown as FleetFilters;
}

/** The query of GET /api/fleet for these filters. */
export function fleetQuery(f: FleetFilters, pageSize: number): Record<string, string | number | undefined> {
  return { page: f.page, pageSize, health: f.health, drift: f.drift, enterprise: f.enterprise, q: f.q };
}

/** Sum of the uplink backlogs a heartbeat reported, or undefined when it reported none. */
export function backlogOf(heartbeat: { readonly uplink?: readonly { readonly backlog: number }[] } | null): number | undefined {
  if (!heartbeat?.uplink || heartbeat.uplink.length === 0) return undefined;
  return heartbeat.uplink.reduce((n, u) => n + u.backlog, 0);
}
