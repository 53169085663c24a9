// The studio API's fleet and site answers (types only: the shapes live with the server).
import type { DeployResult } from '../../server/deployer';
import type { Drift, Health } from '../../server/fleet';
import type { SiteView } from '../../server/sites';

export type { DeployResult } from '../../server/deployer';
export type { Drift, FleetEntry, FleetPage, Health } from '../../server/fleet';
export type { SiteView } from '../../server/sites';

/** The health states, in the order the fleet shows them (the server's HEALTH_STATES). */
export const HEALTH = ['ok', 'degraded', 'down', 'unauthorized', 'unknown'] as const satisfies readonly Health[];
/** The drift states (the server's DRIFT_STATES). */
export const DRIFT = ['in-sync', 'instance-changed', 'site-changed', 'not-deployed', 'no-instance'] as const satisfies readonly Drift[];
/** Both lists name every state of the server's unions: a new state there fails the build here. */
export type EveryStateListed = [Exclude<Health, (typeof HEALTH)[number]>, Exclude<Drift, (typeof DRIFT)[number]>] extends [never, never] ? true : never;
const _listed: EveryStateListed = true;
export { _listed as everyStateListed };

/** GET /api/sites/:id */
export interface SiteAnswer {
  readonly site: SiteView;
}

/** One deployment record (GET /api/sites/:id/deployments). */
export interface DeploymentRecord {
  readonly id: number;
  readonly kind: string;
  readonly status: string;
  readonly sequence: number | null;
  readonly bundleHash: string | null;
  readonly instanceHash: string | null;
  readonly template: string | null;
  readonly by: string | null;
  readonly at: string;
  readonly finishedAt: string | null;
  readonly error: { readonly code?: string; readonly text?: { zh: string; en: string } } | null;
}

export interface DeploymentsPage {
  readonly deployments: readonly DeploymentRecord[];
  readonly total: number;
}

/** POST /api/deployments/batch */
export interface BatchAnswer {
  readonly results: readonly DeployResult[];
  readonly deployed: number;
  readonly failed: number;
}

/** POST /api/pairing-codes */
export interface PairingCode {
  readonly code: string;
  readonly expiresAt: string;
}

/** The runtime's own GET /api/status, as the studio passes it on (GET /api/sites/:id/status). */
export interface LiveStatus {
  readonly site: string | null;
  readonly startedAt?: string | number;
  readonly deployment: { readonly sequence: number; readonly id: string; readonly hash: string; readonly status: string } | null;
  readonly lastKnownGood: { readonly sequence: number; readonly id: string } | null;
  readonly lastSequence: number;
  readonly nodes: readonly { readonly flowId?: string; readonly nodeId?: string; readonly state?: string; readonly type?: string }[];
  readonly devices?: readonly { readonly name?: string; readonly health?: string; readonly state?: string }[];
  readonly uplink?: readonly { readonly id?: string; readonly connected?: boolean; readonly backlog?: number }[];
  readonly studio?: unknown;
}

/** A user as GET /api/users lists them. */
export interface UserEntry {
  readonly id: number;
  readonly username: string;
  readonly displayName: string | null;
  readonly role: string;
  readonly enterprise: string | null;
  readonly disabled: boolean;
}
