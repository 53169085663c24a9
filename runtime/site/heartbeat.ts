import type { Logger } from 'pino';
import type { DataDir } from './data-dir';
import type { SiteStatus } from './site-runtime';
import type { StudioLink } from './studio-link';
import { StudioLinkError, readStudioLink } from './studio-link';

/** What a heartbeat tells the studio: enough for the fleet page, never flow data or secrets. */
export function heartbeatReport(status: SiteStatus, version: string) {
  return {
    site: status.site,
    version,
    startedAt: new Date(status.startedAt).toISOString(),
    deployment: status.deployment && { sequence: status.deployment.sequence, id: status.deployment.id, hash: status.deployment.hash, status: status.deployment.status },
    lastKnownGood: status.lastKnownGood,
    lastSequence: status.lastSequence,
    nodes: status.nodes.map((n) => ({ flowId: n.flowId, nodeId: n.nodeId, state: n.state, errors: n.errors })),
    devices: status.devices.map((d) => ({ name: d.name, health: d.health })),
    uplink: status.uplink.map((u) => ({ id: u.id, kind: u.kind, connected: u.connected, backlog: u.backlog, lagMs: u.lagMs, dropped: u.dropped, dead: u.dead, sent: u.sent })),
  };
}
export type HeartbeatReport = ReturnType<typeof heartbeatReport>;

export interface HeartbeatState {
  readonly paired: boolean;
  readonly studio?: string;
  readonly siteId?: string;
  readonly lastOkAt?: string;
  readonly lastError?: string;
  readonly sent: number;
  readonly failed: number;
}

export interface Heartbeat {
  state(): HeartbeatState;
  /** Sends one now (also what the timer does); resolves when the studio answered or failed. */
  beat(): Promise<void>;
  stop(): void;
}

export interface HeartbeatOptions {
  readonly dir: DataDir;
  readonly status: () => SiteStatus;
  readonly version: string;
  readonly logger: Logger;
  /** Overrides the interval the studio gave at pairing. */
  readonly intervalMs?: number;
  /** While unpaired, how often to look for a link. Default 2 s (one stat of a file). */
  readonly unpairedCheckMs?: number;
  readonly timeoutMs?: number;
}

/**
 * Reports to the paired studio every interval over HTTP, so its fleet view is live even when the
 * studio cannot reach the site (a 4G router, NAT). The link is read from the data folder at each
 * beat, and looked for every 2 s while there is none: pairing a running runtime takes effect
 * without a restart. A failing studio is retried
 * at the next beat; failures are logged when the state changes, not at every beat.
 */
export function startHeartbeat(o: HeartbeatOptions): Heartbeat {
  let sent = 0;
  let failed = 0;
  let lastOkAt: string | undefined;
  let lastError: string | undefined;
  let link: StudioLink | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;

  function fail(message: string) {
    failed++;
    if (lastError !== message) o.logger.warn({ studio: link?.studio, err: message }, 'heartbeat: the studio did not take it');
    lastError = message;
  }

  async function send(): Promise<void> {
    try {
      link = readStudioLink(o.dir);
    } catch (err) {
      if (err instanceof StudioLinkError) return fail(err.message);
      throw err;
    }
    if (!link) return;
    const url = `${link.studio.replace(/\/+$/, '')}${link.heartbeatPath}`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${link.heartbeatToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(heartbeatReport(o.status(), o.version)),
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      const text = await res.text();
      if (!res.ok) return fail(`HTTP ${res.status} ${text.slice(0, 200)}`);
      sent++;
      if (lastError !== undefined) o.logger.info({ studio: link.studio }, 'heartbeat: the studio takes heartbeats again');
      lastError = undefined;
      lastOkAt = new Date().toISOString();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      fail(`${(err as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  }

  function beat(): Promise<void> {
    inFlight ??= send().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void beat().finally(schedule);
    }, link ? o.intervalMs ?? link.intervalMs : Math.min(o.unpairedCheckMs ?? 2_000, o.intervalMs ?? Infinity));
    timer.unref();
  }

  void beat().finally(schedule);

  return {
    state: () => ({
      paired: link !== undefined,
      ...(link ? { studio: link.studio, siteId: link.siteId } : {}),
      ...(lastOkAt ? { lastOkAt } : {}),
      ...(lastError ? { lastError } : {}),
      sent,
      failed,
    }),
    beat,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
