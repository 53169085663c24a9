import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../../runtime/server/api-error';
import type { StudioDb } from './database';
import type { HealthRecorder } from './health-monitor';

/** How often a paired runtime reports. When reports stop, the background status poll takes the site over (and finds it down if unreachable). */
export const HEARTBEAT_INTERVAL_MS = 30_000;

const Name = z.string().max(200);

/** What a runtime's heartbeat carries (runtime/site/heartbeat.ts makes it). */
export const HeartbeatSchema = z.object({
  site: Name.nullable(),
  version: z.string().max(50).optional(),
  startedAt: z.string().max(40).optional(),
  deployment: z.object({ sequence: z.number().int(), id: Name, hash: z.string().max(100), status: z.string().max(40) }).nullable(),
  lastKnownGood: z.object({ sequence: z.number().int(), id: Name }).nullable(),
  lastSequence: z.number().int().min(0),
  nodes: z.array(z.object({ flowId: Name.optional(), nodeId: Name.optional(), state: z.string().max(40).optional(), errors: z.number().int().min(0).optional() })).max(20_000),
  devices: z.array(z.object({ name: Name, health: z.string().max(40) })).max(20_000).default([]),
  uplink: z.array(z.object({
    id: Name, kind: z.enum(['mqtt', 'http']), connected: z.boolean(),
    backlog: z.number().int().min(0), lagMs: z.number().min(0), dropped: z.number().int().min(0), dead: z.number().int().min(0), sent: z.number().int().min(0),
  })).max(100).default([]),
});
export type HeartbeatBody = z.infer<typeof HeartbeatSchema>;

const digest = (token: string) => createHash('sha256').update(token).digest();

export interface Heartbeats {
  /** A new heartbeat token for a site (the old one stops working); shown once. */
  issue(siteId: string): string;
  /** Records a heartbeat; 401 unless the token is this site's. */
  receive(siteId: string, bearer: string | undefined, body: HeartbeatBody): { intervalMs: number };
}

const refused = () => new ApiError(401, 'heartbeat-token-refused', {
  zh: '心跳令牌不对：请在站点上重新运行 kaiwu pair',
  en: 'the heartbeat token is not this site\'s: run kaiwu pair on the site again',
});

/**
 * A paired runtime's reports: the same record a status poll makes, so the fleet page is live for
 * sites the studio cannot reach (4G routers, NAT), plus the uplink backlog and device counts.
 */
export function createHeartbeats(db: StudioDb, now: () => number, health: HealthRecorder): Heartbeats {
  const tokenOf = db.prepare<[string], { hash: string | null }>('SELECT heartbeat_token_hash AS hash FROM sites WHERE id = ?');
  const setToken = db.prepare('UPDATE sites SET heartbeat_token_hash = ? WHERE id = ?');
  const seen = db.prepare('UPDATE sites SET heartbeat_at = ?, heartbeat_report = ? WHERE id = ?');
  return {
    issue(siteId) {
      const token = `hb_${randomBytes(32).toString('base64url')}`;
      setToken.run(digest(token).toString('hex'), siteId);
      return token;
    },
    receive(siteId, bearer, body) {
      const row = tokenOf.get(siteId);
      // An unknown site and a wrong token answer alike: a heartbeat URL tells nothing about others.
      if (!row?.hash || bearer === undefined || !timingSafeEqual(digest(bearer), Buffer.from(row.hash, 'hex'))) throw refused();
      const online = body.devices.filter((d) => d.health === 'online').length;
      db.transaction(() => {
        health.record(siteId, { ok: true, body });
        seen.run(now(), JSON.stringify({
          ...(body.version ? { version: body.version } : {}),
          uplink: body.uplink.map((u) => ({ id: u.id, connected: u.connected, backlog: u.backlog, lagMs: u.lagMs, dropped: u.dropped, dead: u.dead })),
          devices: { total: body.devices.length, online },
        }), siteId);
      })();
      return { intervalMs: HEARTBEAT_INTERVAL_MS };
    },
  };
}
