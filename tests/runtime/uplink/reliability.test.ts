import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../../runtime/store/store';
import { ROOT } from '../../helpers/cli';
import { flowOf } from '../../helpers/flow';
import type { Broker } from '../../helpers/mosquitto';
import { startMosquitto } from '../../helpers/mosquitto';
import { startTestSite } from '../../helpers/site';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const OUTAGE_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not in ${ms} ms`);
    await sleep(50);
  }
}

/** A platform-side receiver with a persistent session: what it missed while away is kept for it. */
async function receiver(broker: Broker) {
  const got: { id: string; stream: string; device: string; value: number }[] = [];
  const client = mqtt.connect(broker.url, { clientId: 'platform-receiver', clean: false, reconnectPeriod: 200 });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync('kaiwu/#', { qos: 1 });
  client.on('message', (_t, payload) => got.push(JSON.parse(payload.toString()) as (typeof got)[number]));
  cleanups.push(() => client.endAsync(true));
  return got;
}

/** What arrived, with duplicates dropped by id: counts and whether each stream is in order. */
function tally(got: readonly { id: string; stream: string }[]) {
  const seen = new Set<string>();
  const lastPerStream = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  for (const m of got) {
    if (seen.has(m.id)) {
      duplicates++;
      continue;
    }
    seen.add(m.id);
    const n = Number(m.id.split(':')[2]);
    if (n < (lastPerStream.get(m.stream) ?? 0)) outOfOrder++;
    lastPerStream.set(m.stream, n);
  }
  return { unique: seen.size, duplicates, outOfOrder };
}

describe('store-and-forward with a real broker', () => {
  it('delivers every point of a 60 s broker outage at 1,000 points/s, in order per stream, duplicates removable by id', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const got = await receiver(broker);
    const site = await startTestSite();
    cleanups.push(() => site.close());
    // Ten devices, one point each every 10 ms: 1,000 points a second, in two streams.
    const flow = flowOf('meters', [
      { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 10 } },
      { id: 'read', type: 'rule', config: { code: 'state.n = (state.n || 0) + 1;\nconst out = [];\nfor (let d = 0; d < 10; d++) out.push({ device: "m" + d, topic: "kwh", payload: state.n });\nreturn out;' } },
      { id: 'up', type: 'mqtt-out', config: { endpoint: 'cloud' } },
    ], ['tick -> read', 'read -> up']);
    const policy = {
      endpoints: [{ id: 'cloud', kind: 'mqtt', url: broker.url }],
      streams: [
        { id: 'line-a', endpoint: 'cloud', devices: ['m0', 'm1', 'm2', 'm3', 'm4'], tags: ['kwh'], granularity: 'raw' },
        { id: 'line-b', endpoint: 'cloud', devices: ['m5', 'm6', 'm7', 'm8', 'm9'], tags: ['kwh'], granularity: 'raw' },
      ],
    };
    expect((await site.api('POST', '/api/deployments', site.signer.sign([flow], 1, { uplink: policy }))).status).toBe(201);
    await sleep(3_000);
    await broker.stop();
    await sleep(OUTAGE_MS);
    const during = site.site.status().uplink[0]!;
    await broker.start();
    await sleep(3_000);
    // Stop producing; the uplink outlives the deployment and drains what is queued.
    await site.site.stop();
    await until(() => (site.site.status().uplink[0]?.backlog ?? 1) === 0, 60_000, 'the backlog drains');
    await sleep(1_000);
    const total = site.site.status().uplink[0]!.sent;
    const t = tally(got);
    console.log(`uplink outage: backlog at its peak ${during.backlog}, sent ${total}, delivered ${t.unique}, missing ${total - t.unique}, duplicates ${t.duplicates}`);
    // At least 80% of 1,000 points/s across the outage were held back, and all of it went up afterwards.
    expect(during.backlog).toBeGreaterThan(OUTAGE_MS * 0.8);
    expect(during.connected).toBe(false);
    expect(total).toBeGreaterThan(during.backlog);
    expect(t.unique).toBe(total);
    expect(t.outOfOrder).toBe(0);
    expect(site.site.status().uplink[0]).toMatchObject({ dropped: 0, dead: 0, refusedByPolicy: 0 });
  }, 180_000);

  it('loses nothing when the runtime is killed with -9 while draining, ten times', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const got = await receiver(broker);
    const file = join(mkdtempSync(join(tmpdir(), 'kaiwu-kill-')), 'site.db');
    const N = 60_000;
    const store = createStore({ file });
    store.outbound.enqueue(Array.from({ length: N }, (_, i) => ({ endpoint: 'cloud', stream: 's', topic: 'kaiwu/kill-test/m/kwh', body: JSON.stringify({ stream: 's', device: 'm', tag: 'kwh', value: i }) })));
    store.close();
    const children: ChildProcess[] = [];
    cleanups.push(() => children.forEach((c) => c.kill('SIGKILL')));
    const drain = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/runtime/uplink/fixtures/drain-child.ts'), file, broker.url], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return child;
    };
    for (let k = 0; k < 10; k++) {
      const before = tally(got).unique;
      const child = drain();
      await until(() => tally(got).unique >= Math.min(N, before + 2_000), 60_000, `kill ${k + 1}: draining resumes`);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const last = drain();
    await until(() => tally(got).unique === N, 120_000, 'everything arrives');
    // The broker's acknowledgements of the last batch reach the runtime a moment after the
    // messages reach the receiver; only then are they off the queue.
    const reader = new Database(file, { readonly: true });
    await until(() => (reader.prepare('SELECT count(*) AS n FROM outbound WHERE dead = 0').get() as { n: number }).n === 0, 30_000, 'the queue empties');
    reader.close();
    last.kill('SIGTERM');
    await new Promise((r) => last.once('exit', r));
    const t = tally(got);
    console.log(`uplink kill -9 x10: ${N} queued, delivered ${t.unique}, missing ${N - t.unique}, duplicates ${t.duplicates}`);
    expect(t.unique).toBe(N);
    expect(t.outOfOrder).toBe(0);
    const after = createStore({ file });
    expect(after.outbound.stats()).toEqual([expect.objectContaining({ endpoint: 'cloud', pending: 0, dropped: 0, dead: 0 })]);
    after.close();
  }, 240_000);
});
