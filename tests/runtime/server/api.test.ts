import { afterEach, describe, expect, it } from 'vitest';
import { runtimeRoutes } from '../../../runtime/server/app';
import { flowOf } from '../../helpers/flow';
import type { TestSite } from '../../helpers/site';
import { makeSigner, startTestSite } from '../../helpers/site';

const sites: TestSite[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.close()));
});

async function site(options: Parameters<typeof startTestSite>[0] = {}) {
  const s = await startTestSite(options);
  sites.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A flow that keeps sending: a 10 ms timer counted by a rule into a debug node. */
const ticking = (id = 'ticking') => flowOf(id, [
  { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 10 } },
  { id: 'count', type: 'rule', config: { code: 'state.n = (state.n || 0) + 1;\nreturn { payload: state.n };' } },
  { id: 'show', type: 'debug', config: { active: false } },
], ['tick -> count', 'count -> show']);

async function messagesSent(s: TestSite): Promise<number> {
  const status = await s.api('GET', '/api/status');
  return (status.body.nodes as { out: number }[]).reduce((a, n) => a + n.out, 0);
}

/** The running deployment keeps running: its counters advance. */
async function expectStillRunning(s: TestSite, sequence: number) {
  const before = await messagesSent(s);
  await sleep(150);
  const status = await s.api('GET', '/api/status');
  expect(status.body.deployment.sequence).toBe(sequence);
  expect(await messagesSent(s)).toBeGreaterThan(before);
}

describe('runtime API: access', () => {
  it('answers health without a token and every other route only with the right token', async () => {
    const s = await site();
    expect(await s.api('GET', '/api/health', undefined, null)).toEqual({ status: 200, body: { ok: true, version: 'test' } });
    const routes = runtimeRoutes({ site: s.site, queries: s.store, token: { matches: () => false }, logger: undefined as never, version: 'x' });
    // Every route the app serves comes from the table: nothing is registered around it.
    const served = (s.app.router.stack as { route?: { path: string; methods: Record<string, boolean> } }[])
      .filter((l) => l.route)
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`));
    expect(served.sort()).toEqual(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
    const guarded = routes.filter((r) => r.access !== 'public');
    expect(routes.filter((r) => r.access === 'public').map((r) => r.path)).toEqual(['/api/health']);
    for (const r of guarded) {
      const path = r.path.replace(':id', '1');
      for (const token of [null, 'wrong-token-wrong-token', '']) {
        const answer = await s.api(r.method.toUpperCase() as 'GET' | 'POST', path, r.method === 'post' ? {} : undefined, token);
        expect(answer.status, `${r.method} ${path} with ${JSON.stringify(token)}`).toBe(401);
        expect(answer.body.error.code).toBe('unauthorized');
      }
    }
    expect((await s.api('GET', '/api/nowhere', undefined, null)).status).toBe(401);
    expect((await s.api('GET', '/api/nowhere')).body.error.code).toBe('not-found');
  });

  it('answers bad JSON, oversized bodies and bad queries with one error shape and no stack', async () => {
    const s = await site({ bodyLimit: '1kb' });
    const bad = await s.api('POST', '/api/deployments', '{"format": "kaiwu-bundle", ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid-json', details: [] });
    expect(JSON.stringify(bad.body)).not.toContain('    at ');
    const big = await s.api('POST', '/api/deployments', { pad: 'x'.repeat(5000) });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'body-too-large' } } });
    const missing = await s.api('GET', '/api/series?device=m1&from=0&to=5');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ at: 'query.tag' })]);
    const backwards = await s.api('GET', '/api/series?device=m1&tag=t&from=10&to=5');
    expect(backwards.body.error.details).toEqual([expect.objectContaining({ at: 'query.to', message: { zh: '“from” 必须早于 “to”', en: '"from" must be before "to"' } })]);
    expect((await s.api('GET', '/api/series?device=m1&tag=t&from=0&to=10')).body.error.code).toBe('series-not-found');
  });
});

describe('runtime API: deployments', () => {
  it('deploys a signed bundle and refuses unsigned, wrongly signed, tampered, replayed and malformed ones while it keeps running', async () => {
    const s = await site();
    const first = await s.api('POST', '/api/deployments', s.signer.sign([ticking()], 1));
    expect(first.status).toBe(201);
    expect(first.body.deployment).toMatchObject({ sequence: 1, status: 'probation' });
    await expectStillRunning(s, 1);

    const unsigned = s.signer.sign([ticking()], 2).bundle;
    expect(await s.api('POST', '/api/deployments', unsigned)).toMatchObject({ status: 422, body: { error: { code: 'invalid-bundle', details: [{ code: 'not-a-bundle' }] } } });

    const stranger = makeSigner();
    const wrong = await s.api('POST', '/api/deployments', stranger.sign([ticking()], 2));
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'untrusted-key', details: [{ at: 'signature.keyId' }] } } });

    const tampered = s.signer.sign([ticking()], 2);
    (tampered.bundle.flows as { nodes: { config: Record<string, unknown> }[] }[])[0]!.nodes[1]!.config.code = 'return msg;';
    expect(await s.api('POST', '/api/deployments', tampered)).toMatchObject({ status: 403, body: { error: { code: 'tampered' } } });

    expect(await s.api('POST', '/api/deployments', s.signer.sign([ticking()], 1))).toMatchObject({ status: 409, body: { error: { code: 'stale-sequence', details: [{ at: 'bundle.sequence' }] } } });

    const invalid = await s.api('POST', '/api/deployments', s.signer.sign([flowOf('bad', [{ id: 'x', type: 'no-such-node' }])], 3));
    expect(invalid).toMatchObject({ status: 422, body: { error: { code: 'invalid-flows', details: [{ at: 'bundle.flows.0.nodes[0].type', code: 'unknown-node-type' }] } } });

    const otherSite = await s.api('POST', '/api/deployments', s.signer.sign([ticking()], 4, { site: 'elsewhere' }));
    expect(otherSite).toMatchObject({ status: 422, body: { error: { code: 'wrong-site' } } });

    await expectStillRunning(s, 1);
    const history = await s.api('GET', '/api/deployments');
    expect(history.body.deployments.map((d: { sequence: number; status: string }) => [d.sequence, d.status])).toEqual([[1, 'probation']]);
  });

  it('keeps the running deployment when a new one fails to start', async () => {
    const s = await site();
    await s.api('POST', '/api/deployments', s.signer.sign([ticking()], 1));
    const broken = await s.api('POST', '/api/deployments', s.signer.sign([flowOf('broken', [{ id: 'r', type: 'rule', config: { code: 'return msg +;' } }])], 2));
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe('start-failed');
    expect(broken.body.error.details[0]).toMatchObject({ code: 'rule-compile', at: 'bundle.flows[0].nodes[0].config.code' });
    await expectStillRunning(s, 1);
    expect((await s.api('GET', '/api/deployments')).body.deployments.map((d: { status: string }) => d.status)).toEqual(['failed', 'probation']);
  });

  it('reverts by itself to the last good deployment when a new one faults during its probation', async () => {
    const s = await site({ probationMs: 300 });
    await s.api('POST', '/api/deployments', s.signer.sign([ticking('good')], 1));
    await sleep(400);
    expect((await s.api('GET', '/api/status')).body.deployment).toMatchObject({ sequence: 1, status: 'active' });
    const faulty = flowOf('faulty', [
      { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 20 } },
      { id: 'boom', type: 'rule', config: { code: "throw new Error('sensor map is wrong');" } },
    ], ['tick -> boom']);
    expect((await s.api('POST', '/api/deployments', s.signer.sign([faulty], 2))).status).toBe(201);
    for (let i = 0; i < 50 && (await s.api('GET', '/api/status')).body.deployment.sequence !== 1; i++) await sleep(20);
    const status = await s.api('GET', '/api/status');
    expect(status.body.deployment).toMatchObject({ sequence: 1, status: 'active' });
    const history = (await s.api('GET', '/api/deployments')).body.deployments as { sequence: number; status: string; reason?: { en: string } }[];
    expect(history[0]).toMatchObject({ sequence: 2, status: 'reverted', reason: { en: expect.stringContaining('sensor map is wrong') } });
    await expectStillRunning(s, 1);
  });

  it('rolls back to the previous healthy deployment on request, and refuses when there is none', async () => {
    const s = await site({ probationMs: 100 });
    expect(await s.api('POST', '/api/deployments/rollback')).toMatchObject({ status: 409, body: { error: { code: 'nothing-to-roll-back-to' } } });
    await s.api('POST', '/api/deployments', s.signer.sign([ticking('one')], 1));
    await sleep(200);
    await s.api('POST', '/api/deployments', s.signer.sign([ticking('two')], 2));
    await sleep(200);
    const back = await s.api('POST', '/api/deployments/rollback');
    expect(back).toMatchObject({ status: 200, body: { deployment: { sequence: 1, status: 'active' } } });
    const status = await s.api('GET', '/api/status');
    expect(status.body.nodes.every((n: { flowId: string }) => n.flowId === 'one')).toBe(true);
    expect((await s.api('GET', '/api/deployments')).body.deployments.map((d: { sequence: number; status: string }) => [d.sequence, d.status])).toEqual([[2, 'rolled-back'], [1, 'active']]);
    // The sequence stays where it was: sequence 2 cannot come back.
    expect((await s.api('POST', '/api/deployments', s.signer.sign([ticking('two')], 2))).status).toBe(409);
  });

  it('streams node, deployment and debug events over SSE', async () => {
    const s = await site();
    const res = await fetch(`${s.url}/api/events`, { headers: { Authorization: `Bearer ${s.token}` } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const seen: string[] = [];
    const decoder = new TextDecoder();
    const deadline = Date.now() + 5000;
    const reading = (async () => {
      let buffer = '';
      while (Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value);
        for (const m of buffer.matchAll(/event: ([\w-]+)\ndata: (.*)\n/g)) seen.push(`${m[1]} ${m[2]}`);
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
        if (seen.some((e) => e.startsWith('debug')) && seen.some((e) => e.startsWith('deployment'))) break;
      }
    })();
    await s.api('POST', '/api/deployments', s.signer.sign([flowOf('live', [
      { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 20 } },
      { id: 'show', type: 'debug' },
    ], ['tick -> show'])], 1));
    await reading;
    await reader.cancel();
    expect(seen.find((e) => e.startsWith('deployment'))).toContain('"event":"activated"');
    expect(seen.find((e) => e.startsWith('debug'))).toContain('"nodeId":"show"');
  });
});

describe('runtime API: data', () => {
  it('writes history, alarms and acknowledgements to the store, and keeps a rule state across a redeploy', async () => {
    const s = await site();
    // A rule plays readings 90, 120, 95 from its state, one per timer tick, then stays quiet.
    const flow = flowOf('line', [
      { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 20 } },
      { id: 'play', type: 'rule', config: { code: 'const readings = [90, 120, 95];\nstate.i = (state.i || 0) + 1;\nif (state.i > readings.length) return;\nreturn { payload: readings[state.i - 1], topic: "temp", device: "oven-1" };' } },
      { id: 'hot', type: 'threshold-alarm', config: { high: 100, code: 'oven-hot', severity: 'critical' } },
      { id: 'history', type: 'history' },
    ], ['tick -> play', 'play -> hot', 'play -> history']);
    expect((await s.api('POST', '/api/deployments', s.signer.sign([flow], 1))).status).toBe(201);
    let alarms: { id: number; code: string; device: string; severity: string; clearedAt?: number }[] = [];
    for (let i = 0; i < 100 && !(alarms.length === 1 && alarms[0]!.clearedAt); i++) {
      await sleep(20);
      alarms = (await s.api('GET', '/api/alarms')).body.alarms;
    }
    expect(alarms).toEqual([expect.objectContaining({ code: 'oven-hot', device: 'oven-1', severity: 'critical', clearedAt: expect.any(Number) })]);
    const id = alarms[0]!.id;
    expect((await s.api('GET', '/api/alarms?active=1')).body.alarms).toEqual([]);
    const ack = await s.api('POST', `/api/alarms/${id}/ack`, { by: '王工', comment: '已更换热电偶' });
    expect(ack.status).toBe(200);
    expect(JSON.stringify(ack.body.alarm)).toContain('王工');
    expect((await s.api('POST', `/api/alarms/${id}/ack`, { by: 'someone' })).body.error.code).toBe('alarm-already-acked');
    expect((await s.api('POST', '/api/alarms/999/ack', {})).status).toBe(404);
    const series = await s.api('GET', `/api/series?device=oven-1&tag=temp&from=0&to=${Date.now() + 1000}`);
    expect(series.body.points.map((p: { value: number }) => p.value)).toEqual([90, 120, 95]);

    // The same rule in the next deployment carries on from its saved state: no reading is replayed.
    await sleep(1100);
    expect((await s.api('POST', '/api/deployments', s.signer.sign([flow], 2))).status).toBe(201);
    await sleep(200);
    const again = await s.api('GET', `/api/series?device=oven-1&tag=temp&from=0&to=${Date.now() + 1000}`);
    expect(again.body.points).toHaveLength(3);
    await s.site.stop();
    expect((s.store.kvGet('node-state/line', 'play') as { i: number }).i).toBeGreaterThan(13);
  });
});

describe('runtime API: purge', () => {
  it('destroys a device\'s data on request and says how much', async () => {
    const s = await site();
    const flow = flowOf('meter', [
      { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 10 } },
      { id: 'read', type: 'rule', config: { code: 'return [{ payload: 1, topic: "kwh", device: "meter-1" }, { payload: 2, topic: "kwh", device: "meter-2" }];' } },
      { id: 'history', type: 'history' },
    ], ['tick -> read', 'read -> history']);
    await s.api('POST', '/api/deployments', s.signer.sign([flow], 1));
    await sleep(300);
    expect((await s.api('POST', '/api/purge', {})).body.error.details[0].message.en).toBe('name a range (from, to) or a device');
    const asked = Date.now();
    const purged = await s.api('POST', '/api/purge', { device: 'meter-1' });
    expect(purged.status).toBe(200);
    expect(purged.body.purged.points, JSON.stringify(purged.body)).toBeGreaterThan(5);
    expect(purged.body.purged.series).toBe(1);
    const now = Date.now();
    // Points written after the purge start the series again; nothing from well before it is left.
    const after = await s.api('GET', `/api/series?device=meter-1&tag=kwh&from=0&to=${asked - 100}`);
    expect(after.status === 404 ? [] : after.body.points.map((p: { ts: number }) => p.ts - asked)).toEqual([]);
    expect((await s.api('GET', `/api/series?device=meter-2&tag=kwh&from=${asked - 10_000}&to=${now}`)).body.points.length).toBeGreaterThan(5);
  });
});

describe('runtime API: a full disk', () => {
  it('keeps running and answering when the store cannot write, says why in the status, and still deploys', async () => {
    const s = await site({ maxDbBytes: 256 * 1024 });
    const flood = flowOf('flood', [
      { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 10 } },
      { id: 'many', type: 'rule', config: { code: 'const out = [];\nfor (let i = 0; i < 200; i++) out.push({ payload: Math.random(), topic: "t" + i, device: "d" + (i % 7) });\nreturn out;' } },
      { id: 'history', type: 'history' },
    ], ['tick -> many', 'many -> history']);
    expect((await s.api('POST', '/api/deployments', s.signer.sign([flood], 1))).status).toBe(201);
    let store: { writeErrors: number; lastError?: { code: string; text: { en: string } } } = { writeErrors: 0 };
    for (let i = 0; i < 100 && store.writeErrors === 0; i++) {
      await sleep(50);
      store = (await s.api('GET', '/api/status')).body.store;
    }
    expect(store.writeErrors).toBeGreaterThan(0);
    expect(store.lastError?.code).toBe('disk-full');
    expect((await s.api('GET', '/api/health', undefined, null)).status).toBe(200);
    await expectStillRunning(s, 1);
    expect((await s.api('POST', '/api/deployments', s.signer.sign([ticking()], 2))).status).toBe(201);
  });
});
