import type { Logger } from 'pino';
import type { StudioDb } from './database';
import type { Health } from './fleet';
import { mapLimit } from './map-limit';
import type { RuntimeAnswer, RuntimeClient, RuntimeStatus, RuntimeTarget } from './runtime-client';

/** Keeps what a runtime said about itself in the sites table, where the fleet page reads it. */
export interface HealthRecorder {
  record(siteId: string, answer: RuntimeAnswer<RuntimeStatus>): void;
}

interface DeploymentRow {
  id: number;
  bundle_hash: string;
  instance_hash: string;
  template: string;
  sequence: number;
  at: number;
  finished_at: number | null;
}

export function createHealthRecorder(db: StudioDb, now: () => number): HealthRecorder {
  const down = db.prepare('UPDATE sites SET health = ?, health_checked_at = ?, health_error = ? WHERE id = ?');
  const up = db.prepare(`UPDATE sites SET health = ?, health_checked_at = ?, health_error = NULL, runtime_site = coalesce(?, runtime_site),
    runtime_hash = ?, runtime_sequence = ?, runtime_last_sequence = ?, runtime_status = ? WHERE id = ?`);
  const deployedHash = db.prepare('SELECT deployed_bundle_hash FROM sites WHERE id = ?').pluck();
  const known = db.prepare<[string, string], DeploymentRow>("SELECT * FROM deployments WHERE site_id = ? AND bundle_hash = ? AND kind IN ('online', 'offline') ORDER BY id DESC LIMIT 1");
  const runs = db.prepare('UPDATE sites SET deployed_id = ?, deployed_bundle_hash = ?, deployed_instance_hash = ?, deployed_template = ?, deployed_sequence = ?, deployed_at = ? WHERE id = ?');
  return {
    record: db.transaction((siteId: string, answer: RuntimeAnswer<RuntimeStatus>) => {
      const t = now();
      if (!answer.ok) {
        const f = answer.failure;
        const health: Health = f.kind === 'unauthorized' ? 'unauthorized' : 'down';
        down.run(health, t, JSON.stringify({ code: f.code, text: f.text }), siteId);
        return;
      }
      const s = answer.body;
      const hash = s.deployment?.hash ?? '';
      const degraded = s.nodes.some((n) => n.state === 'error') || s.deployment?.status === 'failed';
      up.run(degraded ? 'degraded' : 'ok', t, s.site, hash, s.deployment?.sequence ?? null, s.lastSequence, s.deployment?.status ?? null, siteId);
      // A site that went back to an older bundle of ours (probation revert, rollback from the
      // site, a USB bundle applied) runs that one now: the fleet shows what really runs.
      if (hash !== '' && hash !== deployedHash.get(siteId)) {
        const d = known.get(siteId, hash);
        if (d) runs.run(d.id, d.bundle_hash, d.instance_hash, d.template, d.sequence, d.finished_at ?? d.at, siteId);
      }
    }),
  };
}

export interface HealthMonitorOptions {
  readonly db: StudioDb;
  readonly now: () => number;
  readonly client: RuntimeClient;
  readonly recorder: HealthRecorder;
  readonly target: (siteId: string) => RuntimeTarget | undefined;
  readonly logger: Logger;
  /** How often a batch starts; 0 turns the background refresh off. Default 2 s. */
  readonly intervalMs?: number;
  /** Sites per batch. Default 50: with 10,000 sites each is checked about every 7 minutes. */
  readonly batchSize?: number;
  /** Status calls in flight at once. Default 16. */
  readonly concurrency?: number;
  /** A site checked more recently than this is not due. Default 60 s. */
  readonly maxAgeMs?: number;
}

export interface HealthMonitor {
  start(): void;
  /** Checks these sites now (or the due ones) and records what they say. */
  refresh(siteIds?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Refreshes site health in the background, a small batch at a time, oldest first: the fleet
 * page reads the result and never waits on a runtime.
 */
export function createHealthMonitor(o: HealthMonitorOptions): HealthMonitor {
  const intervalMs = o.intervalMs ?? 2_000;
  const batchSize = o.batchSize ?? 50;
  const concurrency = o.concurrency ?? 16;
  const maxAgeMs = o.maxAgeMs ?? 60_000;
  const due = o.db.prepare('SELECT id FROM sites WHERE health_checked_at IS NULL OR health_checked_at < ? ORDER BY health_checked_at LIMIT ?').pluck();
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function check(ids: readonly string[]): Promise<void> {
    await mapLimit(ids, concurrency, async (id) => {
      // One site that cannot be checked or recorded must not stop the rest of the batch.
      try {
        const target = o.target(id);
        if (!target) return;
        const answer = await o.client.status(target);
        if (!o.db.open) return;
        o.recorder.record(id, answer);
      } catch (err) {
        o.logger.warn({ err: (err as Error).message, site: id }, 'could not check site health');
        // Recorded as a failed check, so the site moves to the back of the queue instead of blocking its head.
        if (o.db.open) {
          o.recorder.record(id, { ok: false, failure: { kind: 'unreachable', code: 'check-failed', details: [], text: {
            zh: `工作室无法检查此站点：${(err as Error).message}`, en: `the studio cannot check this site: ${(err as Error).message}`,
          } } });
        }
      }
    });
  }

  const tick = () => {
    if (running || stopped) return;
    const ids = due.all(o.now() - maxAgeMs, batchSize) as string[];
    if (ids.length === 0) return;
    running = check(ids).catch((err) => o.logger.warn({ err: (err as Error).message }, 'health refresh failed')).finally(() => {
      running = undefined;
    });
  };

  return {
    start() {
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    refresh: (ids) => check(ids ?? (due.all(o.now() - maxAgeMs, batchSize) as string[])),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
