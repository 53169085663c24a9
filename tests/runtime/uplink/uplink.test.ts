import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { flowOf } from '../../helpers/flow';
import type { Broker } from '../../helpers/mosquitto';
import { startMosquitto } from '../../helpers/mosquitto';
import { startTestSite } from '../../helpers/site';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  readonly topic: string;
  readonly id: string;
  readonly stream: string;
  readonly device: string;
  readonly tag: string;
  readonly value: unknown;
}

/** Subscribes to everything; with `persistent`, the broker keeps what arrives while it is away (or down). */
async function subscriber(broker: Broker, filter = '#', persistent = false) {
  const received: Received[] = [];
  const client = mqtt.connect(broker.url, { clientId: `test-${Math.random()}`, clean: !persistent, reconnectPeriod: 100 });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync(filter, { qos: 1 });
  client.on('message', (topic, payload) => {
    const m = JSON.parse(payload.toString()) as Omit<Received, 'topic'>;
    received.push({ topic, ...m });
  });
  cleanups.push(() => client.endAsync(true));
  return received;
}

async function site() {
  const s = await startTestSite({ uplinkSeriesEveryMs: 100 });
  cleanups.push(() => s.close());
  return s;
}

/** A flow that sends the given readings once, through a rule, to an uplink node. */
function sender(node: 'mqtt-out' | 'http-out', readings: { device: string; topic: string; payload: unknown }[], config: Record<string, unknown> = { endpoint: 'cloud' }) {
  return flowOf('send', [
    { id: 'once', type: 'timer', config: { mode: 'interval', intervalMs: 60_000, fireAtStart: true } },
    { id: 'make', type: 'rule', config: { code: `return ${JSON.stringify(readings)};` } },
    { id: 'up', type: node, config },
  ], ['once -> make', 'make -> up']);
}

async function until(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('uplink over MQTT', () => {
  it('sends exactly what the policy names, with ids and topics, and refuses the rest', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const received = await subscriber(broker);
    const s = await site();
    const policy = {
      endpoints: [{ id: 'cloud', kind: 'mqtt', url: broker.url }],
      streams: [{ id: 'looms', endpoint: 'cloud', devices: ['loom-*'], tags: ['output', 'state'], granularity: 'raw' }],
    };
    const readings = [
      { device: 'loom-01', topic: 'output', payload: 12 },
      { device: 'loom-02', topic: 'state', payload: 'running' },
      { device: 'loom-01', topic: 'motor-current', payload: 4.2 },
      { device: 'meter-1', topic: 'output', payload: 99 },
    ];
    expect((await s.api('POST', '/api/deployments', s.signer.sign([sender('mqtt-out', readings)], 1, { uplink: policy }))).status).toBe(201);
    await until(() => received.length >= 2);
    await sleep(300);
    expect(received.map((r) => [r.topic, r.device, r.tag, r.value])).toEqual([
      ['kaiwu/test-site/loom-01/output', 'loom-01', 'output', 12],
      ['kaiwu/test-site/loom-02/state', 'loom-02', 'state', 'running'],
    ]);
    expect(received.every((r) => /^test-site:cloud:\d+$/.test(r.id) && r.stream === 'looms')).toBe(true);
    const status = (await s.api('GET', '/api/status')).body;
    expect(status.uplink).toEqual([expect.objectContaining({ id: 'cloud', kind: 'mqtt', connected: true, backlog: 0, sent: 2, refusedByPolicy: 2 })]);
    const up = status.nodes.find((n: { nodeId: string }) => n.nodeId === 'up');
    expect(up.errors).toBe(1);
    expect(up.lastError.message).toContain('the uplink policy does not let go to cloud at raw');
  });

  it('sends nothing without a policy, and refuses a deploy whose node names an endpoint the policy lacks', async () => {
    const s = await site();
    const r = await s.api('POST', '/api/deployments', s.signer.sign([sender('mqtt-out', [])], 1));
    expect(r.status).toBe(422);
    expect(r.body.error.details[0]).toMatchObject({ code: 'unknown-endpoint', at: 'bundle.flows[0].nodes[2].config.endpoint' });
  });

  it('applies the declared overflow policy exactly while the broker is down', async () => {
    for (const overflow of ['drop-oldest', 'refuse-new'] as const) {
      const broker = await startMosquitto();
      const received = await subscriber(broker, '#', true);
      await broker.stop();
      const s = await site();
      const policy = {
        endpoints: [{ id: 'cloud', kind: 'mqtt', url: broker.url, queue: { maxMessages: 50, overflow } }],
        streams: [{ id: 'all', endpoint: 'cloud', tags: ['n'], granularity: 'raw' }],
      };
      const readings = Array.from({ length: 200 }, (_, i) => ({ device: 'd', topic: 'n', payload: i }));
      await s.api('POST', '/api/deployments', s.signer.sign([sender('mqtt-out', readings)], 1, { uplink: policy }));
      await until(() => (s.site.status().uplink[0]?.dropped ?? 0) + (s.site.status().uplink[0]?.backlog ?? 0) === 200);
      expect(s.site.status().uplink[0]).toMatchObject({ backlog: 50, dropped: 150 });
      // The backlog is history too, for a dashboard to chart.
      // The series exists from its first point on; until then the store says it does not.
      const backlogSeries = () => {
        try {
          return s.store.querySeries({ device: 'uplink', tag: 'cloud/backlog', from: 0, to: Date.now() + 1000 }).points;
        } catch (err) {
          if ((err as { code?: string }).code === 'series-not-found') return [];
          throw err;
        }
      };
      await until(() => backlogSeries().some((p) => p.value === 50));
      await broker.start();
      await until(() => received.length === 50);
      expect(received.map((r) => r.value)).toEqual(overflow === 'drop-oldest' ? Array.from({ length: 50 }, (_, i) => 150 + i) : Array.from({ length: 50 }, (_, i) => i));
      await sleep(200);
      expect(s.site.status().uplink[0]).toMatchObject({ backlog: 0, dropped: 150, sent: 50 });
      await s.close();
      await broker.stop();
    }
  });
});

describe('uplink over HTTP', () => {
  it('POSTs batches with an idempotency key, retries what fails, and sets aside a message the receiver keeps refusing', async () => {
    const batches: { key: string | undefined; ids: string[]; values: unknown[] }[] = [];
    let failNext = 1;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const b = JSON.parse(body) as { messages: { id: string; value: unknown }[] };
        if (failNext-- > 0) {
          res.writeHead(503).end('busy');
          return;
        }
        if (b.messages.some((m) => m.value === 'poison')) {
          res.writeHead(422).end('value not accepted');
          return;
        }
        batches.push({ key: req.headers['idempotency-key'] as string | undefined, ids: b.messages.map((m) => m.id), values: b.messages.map((m) => m.value) });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const s = await site();
    const policy = {
      endpoints: [{ id: 'cloud', kind: 'http', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`, batch: 4, deadAfterAttempts: 2 }],
      streams: [{ id: 'all', endpoint: 'cloud', tags: ['n'], granularity: 'raw' }],
    };
    const readings = [1, 2, 'poison', 4, 5, 6].map((payload) => ({ device: 'd', topic: 'n', payload }));
    await s.api('POST', '/api/deployments', s.signer.sign([sender('http-out', readings)], 1, { uplink: policy }));
    await until(() => { const u = s.site.status().uplink[0]; return u !== undefined && u.sent + u.dead === 6; }, 20_000);
    const values = batches.flatMap((b) => b.values);
    expect(values).toEqual([1, 2, 4, 5, 6]);
    expect(batches.every((b) => b.key === `${b.ids[0]}..${b.ids.at(-1)!.split(':')[2]}`)).toBe(true);
    expect(s.site.status().uplink[0]).toMatchObject({ dead: 1, sent: 5 });
    expect(s.store.outbound.deadLetters('cloud', 10).map((r) => [JSON.parse(r.body).value, r.lastError])).toEqual([['poison', 'HTTP 422: value not accepted']]);
  });
});
