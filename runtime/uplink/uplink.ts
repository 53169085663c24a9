import type { Logger } from 'pino';
import type { Clock, UplinkCommand, UplinkService } from '../../nodes/sdk';
import { NodeError } from '../../nodes/sdk';
import { createSystemClock } from '../engine/clock';
import type { Granularity, Message, Text, UplinkEndpoint, UplinkPolicy } from '../model';
import { NO_UPLINK, commandAllowed, compilePolicy } from '../model';
import type { OutboundInput, QueueBound } from '../store/outbound-queue';
import type { Store } from '../store/store';
import { Drainer } from './drainer';
import type { Transport } from './drainer';
import { createHttpTransport } from './http-transport';
import { messageBody, topicFor } from './message-body';
import type { MqttTransport } from './mqtt-transport';
import { createMqttTransport, topicMatches } from './mqtt-transport';

export interface UplinkOptions {
  readonly store: Store;
  /** The site id that names this site to the platform (in topics and message ids). */
  readonly site: () => string;
  readonly logger: Logger;
  /** The site's secrets by name (passwords, tokens); they never travel in bundles. */
  readonly secrets: (name: string) => string | undefined;
  readonly clock?: Clock;
  /** How often backlog and lag are written to history as series. Default 10 s. */
  readonly seriesEveryMs?: number;
}

export interface EndpointStatus {
  readonly id: string;
  readonly kind: 'mqtt' | 'http';
  /** Without any credentials. */
  readonly url: string;
  readonly connected: boolean;
  /** Messages queued, waiting for the link. */
  readonly backlog: number;
  /** Age of the oldest queued message, ms. */
  readonly lagMs: number;
  /** Dropped by the queue bound (size or age), exactly. */
  readonly dropped: number;
  /** Set aside: the receiver kept refusing them. */
  readonly dead: number;
  readonly sent: number;
  /** Messages the policy did not let go, since the start. */
  readonly refusedByPolicy: number;
  readonly lastError?: string;
}

export interface Uplink extends UplinkService {
  /** Applies a deployment's uplink policy: endpoints start, stop or reconnect as it says. */
  configure(policy: UplinkPolicy | undefined): Promise<void>;
  status(): EndpointStatus[];
  stop(): Promise<void>;
}

interface Live {
  readonly def: UplinkEndpoint;
  readonly key: string;
  readonly transport: Transport;
  readonly drainer: Drainer;
  readonly mqtt?: MqttTransport;
}

const MAINTENANCE_MS = 60_000;

function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The site's uplink: what flows send to an endpoint goes into the store's outbound queue only
 * when a stream of the policy names its series at that granularity, and is drained to the
 * endpoint in order, at least once, with ids to drop duplicates by. The queue outlives
 * deployments and restarts; the policy comes with each deployment.
 */
export function createUplink(o: UplinkOptions): Uplink {
  const clock = o.clock ?? createSystemClock();
  const live = new Map<string, Live>();
  const refused = new Map<string, number>();
  let policy: UplinkPolicy = NO_UPLINK;
  let match = compilePolicy(policy);
  let stopped = false;
  let lastRefusalLog = 0;

  const secret = (def: UplinkEndpoint): string | undefined => {
    if (!def.passwordSecret) return undefined;
    const value = o.secrets(def.passwordSecret);
    if (value === undefined) o.logger.warn({ endpoint: def.id, secret: def.passwordSecret }, 'uplink: the secret the endpoint names is not set on this site (kaiwu secret set)');
    return value;
  };

  function start(def: UplinkEndpoint): Live {
    const log = o.logger.child({ endpoint: def.id });
    const mqtt = def.kind === 'mqtt' ? createMqttTransport(def, o.site(), secret(def), log) : undefined;
    const transport = mqtt ?? createHttpTransport(def, o.site(), secret(def));
    const drainer = new Drainer(o.store.outbound, transport, { endpoint: def.id, batch: def.kind === 'mqtt' ? 1_000 : def.batch, deadAfterAttempts: def.deadAfterAttempts, logger: log });
    return { def, key: JSON.stringify(def), transport, drainer, ...(mqtt ? { mqtt } : {}) };
  }

  function maintain() {
    if (stopped) return;
    const now = clock.now();
    for (const { def } of live.values()) {
      try {
        const expired = o.store.outbound.expireOlder(def.id, now - def.queue.maxAgeHours * 3_600_000);
        if (expired > 0) o.logger.warn({ endpoint: def.id, expired }, 'uplink: queued messages older than the age bound were dropped');
      } catch (err) {
        o.logger.warn({ endpoint: def.id, err: (err as Error).message }, 'uplink: expiring old messages failed');
      }
    }
    maintenanceTimer = clock.setTimeout(maintain, MAINTENANCE_MS);
  }
  let maintenanceTimer: unknown = clock.setTimeout(maintain, MAINTENANCE_MS);

  function recordSeries() {
    if (stopped) return;
    const now = clock.now();
    const points = status().flatMap((s) => [
      { device: 'uplink', tag: `${s.id}/backlog`, ts: now, value: s.backlog, quality: 'good' as const },
      { device: 'uplink', tag: `${s.id}/lag_s`, ts: now, value: s.lagMs / 1000, quality: 'good' as const },
    ]);
    if (points.length > 0) o.store.write(points);
    seriesTimer = clock.setTimeout(recordSeries, o.seriesEveryMs ?? 10_000);
  }
  let seriesTimer: unknown = clock.setTimeout(recordSeries, o.seriesEveryMs ?? 10_000);

  function status(): EndpointStatus[] {
    const stats = new Map(o.store.outbound.stats().map((s) => [s.endpoint, s]));
    const now = clock.now();
    return [...live.values()].map(({ def, transport, drainer, mqtt }) => {
      const s = stats.get(def.id);
      return {
        id: def.id,
        kind: def.kind,
        url: publicUrl(def.url),
        connected: mqtt ? mqtt.connected : transport.ready(),
        backlog: s?.pending ?? 0,
        lagMs: s?.oldestAt === undefined ? 0 : Math.max(0, now - s.oldestAt),
        dropped: s?.dropped ?? 0,
        dead: s?.dead ?? 0,
        sent: s?.sent ?? 0,
        refusedByPolicy: refused.get(def.id) ?? 0,
        ...(drainer.lastError ? { lastError: drainer.lastError } : {}),
      };
    });
  }

  return {
    async configure(next) {
      policy = next ?? NO_UPLINK;
      match = compilePolicy(policy);
      const wanted = new Map(policy.endpoints.map((e) => [e.id, e]));
      for (const [id, l] of live) {
        const def = wanted.get(id);
        if (!def || JSON.stringify(def) !== l.key) {
          live.delete(id);
          await l.drainer.stop();
        }
      }
      for (const def of policy.endpoints) if (!live.has(def.id)) live.set(def.id, start(def));
      const bounds = new Map<string, QueueBound>(policy.endpoints.map((e) => [e.id, { maxMessages: e.queue.maxMessages, overflow: e.queue.overflow }]));
      o.store.outbound.configure(bounds);
    },

    send(endpoint: string, msgs: readonly Message[], granularity: Granularity) {
      const l = live.get(endpoint);
      const refuse = (n: number, reason: Text) => {
        refused.set(endpoint, (refused.get(endpoint) ?? 0) + n);
        const now = clock.now();
        if (now - lastRefusalLog > 10_000) {
          lastRefusalLog = now;
          o.store.append({ kind: 'uplink-refused', source: 'uplink', at: now, data: { endpoint, count: n, reason: reason.en } });
        }
      };
      if (!l) {
        const reason = { zh: `上传策略中没有端点 “${endpoint}”：数据不会离开站点`, en: `the uplink policy has no endpoint "${endpoint}": nothing leaves the site` };
        refuse(msgs.length, reason);
        return { queued: 0, refused: msgs.length, reason };
      }
      const rows: OutboundInput[] = [];
      let n = 0;
      for (const msg of msgs) {
        const device = msg.device ?? '';
        const stream = match(endpoint, device, msg.topic, granularity);
        if (!stream) {
          n++;
          continue;
        }
        rows.push({
          endpoint,
          stream: stream.id,
          topic: l.def.kind === 'mqtt' ? topicFor(l.def.topic, { site: o.site(), device: device || '_', tag: msg.topic, stream: stream.id }) : '',
          body: messageBody(msg, stream.id, granularity),
        });
      }
      if (rows.length > 0) {
        o.store.outbound.enqueue(rows);
        l.drainer.notify();
      }
      if (n === 0) return { queued: rows.length, refused: 0 };
      const reason = { zh: `${n} 条消息的数据点不在上传策略允许的范围内（端点 ${endpoint}，粒度 ${granularity}），未上传`, en: `${n} message(s) are of series the uplink policy does not let go to ${endpoint} at ${granularity}: not sent` };
      refuse(n, reason);
      return { queued: rows.length, refused: n, reason };
    },

    subscribe(endpoint, topic, listener: (c: UplinkCommand) => void) {
      const l = live.get(endpoint);
      if (!l?.mqtt || !commandAllowed(l.def, topic)) {
        throw new NodeError({
          zh: `上传策略不允许在端点 “${endpoint}” 上接收主题 “${topic}” 的指令`,
          en: `the uplink policy does not let commands in on "${topic}" at endpoint "${endpoint}"`,
        });
      }
      const mqtt = l.mqtt;
      void mqtt.subscribe(topic).catch((err: unknown) => o.logger.warn({ endpoint, topic, err: (err as Error).message }, 'uplink: subscribe failed'));
      return mqtt.onCommand((t, payload) => {
        if (!topicMatches(topic, t)) return;
        const text = payload.toString('utf8');
        let value: unknown = text;
        try {
          value = JSON.parse(text);
        } catch {
          // Not JSON: the text is the payload.
        }
        const at = clock.now();
        o.store.append({ kind: 'uplink-command', source: 'uplink', at, data: { endpoint, topic: t, payload: value } });
        listener({ endpoint, topic: t, payload: value, receivedAt: at });
      });
    },

    endpointKind: (endpoint) => live.get(endpoint)?.def.kind,

    acceptsCommands(endpoint, topic) {
      const l = live.get(endpoint);
      return l?.def.kind === 'mqtt' && commandAllowed(l.def, topic);
    },

    status,

    async stop() {
      stopped = true;
      clock.clearTimeout(maintenanceTimer);
      clock.clearTimeout(seriesTimer);
      await Promise.all([...live.values()].map((l) => l.drainer.stop()));
      live.clear();
    },
  };
}
