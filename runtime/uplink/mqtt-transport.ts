import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { IClientOptions, MqttClient } from 'mqtt';
import mqtt from 'mqtt';
import type { UplinkEndpoint } from '../model';
import type { OutboundRow } from '../store/outbound-queue';
import type { BatchResult, Transport } from './drainer';
import { withId } from './message-body';

export interface MqttTransport extends Transport {
  readonly connected: boolean;
  /** MQTT topic filter match, for commands. */
  onCommand(listener: (topic: string, payload: Buffer) => void): () => void;
  subscribe(filter: string): Promise<void>;
}

/** Batches on the wire at once (see Transport.pipeline). */
const PIPELINE = 4;

function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/**
 * An MQTT connection to one endpoint: QoS 1, a persistent session (clean off) under a stable
 * client id, TLS with the site's certificate files, username and a password from the site's
 * secrets. A batch is published in order and is done when every PUBACK is in; a publish the
 * broker cuts off is resent by the client when it reconnects. Closing ends the batches still
 * waiting, with what was acked so far (the rest stays queued and goes again).
 */
export function createMqttTransport(endpoint: UplinkEndpoint, site: string, password: string | undefined, logger: Logger): MqttTransport {
  const options: IClientOptions = {
    clientId: endpoint.clientId ?? `kaiwu-${site}-${endpoint.id}`,
    clean: false,
    protocolVersion: endpoint.protocolVersion,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    keepalive: 30,
    queueQoSZero: false,
    resubscribe: true,
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(endpoint.tls ? {
      rejectUnauthorized: endpoint.tls.rejectUnauthorized,
      ...(endpoint.tls.ca ? { ca: readFileSync(endpoint.tls.ca) } : {}),
      ...(endpoint.tls.cert ? { cert: readFileSync(endpoint.tls.cert) } : {}),
      ...(endpoint.tls.key ? { key: readFileSync(endpoint.tls.key) } : {}),
    } : {}),
  };
  const client: MqttClient = mqtt.connect(endpoint.url, options);
  const readyWaiters = new Set<() => void>();
  const commandListeners = new Set<(topic: string, payload: Buffer) => void>();
  let lastLogged = 0;
  client.on('connect', () => {
    logger.info({ endpoint: endpoint.id }, 'uplink: connected');
    for (const w of readyWaiters) w();
    readyWaiters.clear();
  });
  client.on('error', (err) => {
    const now = Date.now();
    if (now - lastLogged > 10_000) {
      lastLogged = now;
      logger.warn({ endpoint: endpoint.id, err: err.message }, 'uplink: connection error');
    }
  });
  client.on('message', (topic, payload) => {
    for (const l of commandListeners) l(topic, payload);
  });
  /** Batches awaiting PUBACKs: closing the client ends them (it calls no callbacks of its own). */
  const open = new Set<(reason: string) => void>();

  return {
    get connected() {
      return client.connected;
    },
    // One connection delivers in the order sent: batches may follow one another without waiting.
    // PIPELINE × the drainer's batch stays far below the 65,535 packet ids of a session.
    pipeline: PIPELINE,
    ready: () => client.connected,
    waitReady(ms) {
      if (client.connected) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          readyWaiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, ms);
        readyWaiters.add(done);
      });
    },
    send(rows: readonly OutboundRow[]): Promise<BatchResult> {
      return new Promise((resolve) => {
        const acked: OutboundRow[] = [];
        const refused: OutboundRow[] = [];
        let retry = false;
        let reason: string | undefined;
        let left = rows.length;
        const end = (why?: string) => {
          open.delete(end);
          // Copies: a callback coming late must not change what the drainer was told.
          const because = why ?? reason;
          resolve({ acked: [...acked], refused: [...refused], retry: retry || why !== undefined, ...(because === undefined ? {} : { reason: because }) });
        };
        const finish = () => {
          if (--left === 0) end();
        };
        if (rows.length === 0) return end();
        open.add(end);
        for (const row of rows) {
          client.publish(row.topic, withId(row, site), { qos: 1 }, (err) => {
            if (!err) acked.push(row);
            else {
              const code = (err as { code?: number }).code;
              // MQTT 5 reason codes of 0x80 and up: the broker will not take this message.
              if (typeof code === 'number' && code >= 0x80) {
                refused.push(row);
                reason = `broker refused (reason code 0x${code.toString(16)}): ${err.message}`;
              } else {
                retry = true;
                reason = err.message;
              }
            }
            finish();
          });
        }
      });
    },
    onCommand(listener) {
      commandListeners.add(listener);
      return () => commandListeners.delete(listener);
    },
    async subscribe(filter) {
      await client.subscribeAsync(filter, { qos: 1 });
    },
    async close() {
      await client.endAsync(true);
      for (const end of [...open]) end('the link was closed');
    },
  };
}

export { matches as topicMatches };
