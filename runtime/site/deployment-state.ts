import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Text } from '../model';
import type { DataDir } from './data-dir';
import { writeFileAtomic } from './data-dir';

export type DeploymentStatus =
  /** Accepted offline; starts with the runtime. */
  | 'pending'
  /** Running, within its first seconds: a fault now reverts it. */
  | 'probation'
  | 'active'
  | 'superseded'
  | 'failed'
  | 'reverted'
  | 'rolled-back';

export interface DeploymentRecord {
  readonly sequence: number;
  readonly id: string;
  readonly hash: string;
  readonly keyId: string;
  status: DeploymentStatus;
  readonly via: 'api' | 'offline';
  readonly acceptedAt: number;
  activatedAt?: number;
  healthyAt?: number;
  endedAt?: number;
  reason?: Text;
}

export interface DeploymentState {
  readonly schemaVersion: 1;
  /** The site this runtime serves, pinned by the first bundle (or --site). */
  site: string | null;
  /** The highest sequence ever accepted: a bundle must come above it. */
  lastSequence: number;
  /** The sequence that runs (or runs at the next start). */
  active: number | null;
  /** Newest last, at most HISTORY_LIMIT. */
  history: DeploymentRecord[];
}

const HISTORY_LIMIT = 200;

export function emptyState(site: string | null): DeploymentState {
  return { schemaVersion: 1, site, lastSequence: 0, active: null, history: [] };
}

export function loadState(dir: DataDir): DeploymentState | undefined {
  if (!existsSync(dir.state)) return undefined;
  const raw = JSON.parse(readFileSync(dir.state, 'utf8')) as DeploymentState;
  if (raw.schemaVersion !== 1) throw new Error(`${dir.state}: unknown schemaVersion ${String(raw.schemaVersion)}`);
  return raw;
}

export function saveState(dir: DataDir, state: DeploymentState): void {
  if (state.history.length > HISTORY_LIMIT) state.history.splice(0, state.history.length - HISTORY_LIMIT);
  writeFileAtomic(dir.state, `${JSON.stringify(state, null, 1)}\n`);
}

export function envelopeFile(dir: DataDir, sequence: number): string {
  return join(dir.deployments, `${String(sequence).padStart(8, '0')}.json`);
}

export function recordOf(state: DeploymentState, sequence: number | null): DeploymentRecord | undefined {
  if (sequence === null) return undefined;
  for (let i = state.history.length - 1; i >= 0; i--) if (state.history[i]!.sequence === sequence) return state.history[i];
  return undefined;
}

/** The newest deployment other than `except` that ran healthily and is still on disk: what a revert or rollback returns to. */
export function lastKnownGood(dir: DataDir, state: DeploymentState, except: number | null): DeploymentRecord | undefined {
  for (let i = state.history.length - 1; i >= 0; i--) {
    const r = state.history[i]!;
    if (r.sequence === except || r.healthyAt === undefined || r.status === 'failed' || r.status === 'reverted') continue;
    if (existsSync(envelopeFile(dir, r.sequence))) return r;
  }
  return undefined;
}
