import { afterEach, describe, expect, it } from 'vitest';
import { shippedProfilesDir } from '../../../runtime/devices/profile-catalog';
import { shippedTemplatesDir } from '../../../runtime/library/template-library';
import type { Json, RunningStudio } from './helpers';
import { startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A studio with the shipped templates (weaving-waterjet and its profiles). */
async function studio(options: Parameters<typeof startStudio>[0] = {}) {
  const s = await startStudio({ templatesDir: shippedTemplatesDir()!, profileDirs: [shippedProfilesDir()!], ...options });
  running.push(s);
  return s;
}

interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: Json;
}

/**
 * A preview's event stream read with fetch, as a browser's EventSource would: every event is
 * kept, `next` waits for one that matches (a generous deadline only so a broken build fails
 * instead of hanging), `ended` resolves when the server closes the stream.
 */
async function openEvents(url: string, token: string | undefined, path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${url}${path}`, { headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  const offer = (e: SseEvent) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  };
  const ended = (async () => {
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let id: string | undefined;
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) offer({ event, ...(id === undefined ? {} : { id }), data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    ended,
    /** The first event (already seen or still to come) that matches. */
    next(match: (e: SseEvent) => boolean, what: string, timeoutMs = 20_000): Promise<SseEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} event; saw ${events.map((e) => e.event).join(', ')}`)), timeoutMs);
        waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      });
    },
    close: () => controller.abort(),
  };
}

const WEAVING = 'weaving-waterjet@1.3.0';

describe('preview and debug', () => {
  it('runs a shipped template against simulated looms: counters move, messages stream per node, an injected message comes out, a forced fault raises the alarm, and it stops', async () => {
    const s = await studio();
    const author = await s.user('zhangwei', 'contractor');
    const started = await author.api('POST', '/api/previews', {
      template: WEAVING, devices: { looms: 2, meters: 1 }, scenarios: [], parameters: { stopAlarmDelay: '1min' }, speed: 60, behaviour: 'steady',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id as string;
    expect(id).toMatch(/^pv_/);
    expect(started.body).toMatchObject({ source: { kind: 'template', template: WEAVING }, speed: 60, behaviour: 'steady', replaced: null, events: `/api/previews/${id}/events` });
    expect(started.body.nodes).toContainEqual(expect.objectContaining({ flowId: 'stop-alarms', nodeId: 'classify', type: 'switch', scenario: 'stop-alarms', inputs: ['in'] }));
    expect(started.body.nodes.some((n: Json) => n.flowId === 'energy-per-metre')).toBe(false);
    expect(started.body.devices.map((d: Json) => d.name)).toEqual(['looms-01', 'looms-02', 'meters-01']);
    expect(started.body.devices[0].tags).toContainEqual(expect.objectContaining({ key: 'stop_reason', type: 'uint16' }));

    const stream = await openEvents(s.url, author.token, `/api/previews/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const hello = await stream.next((e) => e.event === 'preview', 'preview');
    expect(hello.data).toMatchObject({ id, nodes: expect.any(Array), clock: { speed: 60 } });

    // Node counters move: the loom reader of loom-status (counters change every poll) has sent more in a later stats event than in an earlier one.
    const outOf = (e: SseEvent) => (e.data.nodes as Json[]).find((n) => n.flowId === 'loom-status' && n.nodeId === 'read')?.out as number;
    const first = await stream.next((e) => e.event === 'stats' && outOf(e) > 0, 'stats with messages out of loom-status/read');
    await stream.next((e) => e.event === 'stats' && outOf(e) > outOf(first), 'stats with more messages out of loom-status/read');
    expect((first.data.nodes as Json[]).find((n) => n.nodeId === 'read' && n.flowId === 'loom-status')).toMatchObject({ type: 'modbus-read', state: 'running', errors: 0 });

    // Debug messages per node, with flow, node and port.
    const read = await stream.next((e) => e.event === 'message' && e.data.flowId === 'stop-alarms' && e.data.nodeId === 'read' && e.data.port === 'out', 'message out of stop-alarms/read');
    expect(read.id).toMatch(/^\d+$/);
    expect(read.data).toMatchObject({ port: 'out', at: expect.any(Number), msg: { device: expect.stringMatching(/^looms-0[12]$/), quality: 'good', payload: { state: 1 } } });

    // A reconnecting client gets the snapshot again and only the kept events after the last one it saw.
    const again = await openEvents(s.url, author.token, `/api/previews/${id}/events`, { 'Last-Event-ID': read.id! });
    await again.next((e) => e.event === 'preview', 'preview on reconnect');
    const replayed = await again.next((e) => e.id !== undefined, 'a kept event after the reconnect');
    expect(Number(replayed.id)).toBeGreaterThan(Number(read.id));
    again.close();

    // An injected message goes in and comes out of the node's port.
    const injected = await author.api('POST', `/api/previews/${id}/inject`, { flowId: 'stop-alarms', nodeId: 'classify', message: { topic: 'inject-test', device: 'probe-loom', payload: { state: 1, stop_reason: 0 } } });
    expect(injected.status, JSON.stringify(injected.body)).toBe(202);
    expect(injected.body.injected).toMatchObject({ flowId: 'stop-alarms', nodeId: 'classify', port: 'in', message: { topic: 'inject-test', device: 'probe-loom', quality: 'good' } });
    const out = await stream.next((e) => e.event === 'message' && e.data.nodeId === 'classify' && e.data.msg.device === 'probe-loom', 'the injected message coming out of classify');
    expect(out.data).toMatchObject({ flowId: 'stop-alarms', port: 'running', msg: { topic: 'inject-test', payload: { state: 1, stop_reason: 0 } } });

    // A forced fault (warp break) on looms-01: the device shows it, and the stop alarm is raised with the cause.
    const forced = await author.api('POST', `/api/previews/${id}/devices/looms-01`, { state: 'fault', faultCode: 1 });
    expect(forced.status, JSON.stringify(forced.body)).toBe(200);
    expect(forced.body.device).toMatchObject({ name: 'looms-01', group: 'looms', state: 'fault', scripted: { state: { state: 'fault', faultCode: 1 }, offline: false }, values: { stop_reason: 1 } });
    await stream.next((e) => e.event === 'devices' && e.data.devices.some((d: Json) => d.name === 'looms-01' && d.state === 'fault'), 'devices with looms-01 in fault');
    const alarm = await stream.next((e) => e.event === 'alarm' && e.data.code === 'loom-stop' && e.data.device === 'looms-01', 'the loom-stop alarm of looms-01');
    expect(alarm.data).toMatchObject({ event: 'raised', value: 1, severity: 'warning' });
    const now = await author.api('GET', `/api/previews/${id}`);
    expect(now.body.alarms.active).toContainEqual(expect.objectContaining({ code: 'loom-stop', device: 'looms-01' }));
    expect(now.body.deviceStates.find((d: Json) => d.name === 'looms-01')).toMatchObject({ state: 'fault', health: 'online' });

    // A held tag and an offline device are scripted the same way; letting go works too.
    expect((await author.api('POST', `/api/previews/${id}/devices/looms-02`, { tag: 'speed', value: 0 })).body.device).toMatchObject({ scripted: { tags: { speed: 0 } }, values: { speed: 0 } });
    expect((await author.api('POST', `/api/previews/${id}/devices/looms-02`, { tag: 'speed', value: null })).body.device.scripted.tags).toEqual({});
    expect((await author.api('POST', `/api/previews/${id}/devices/looms-02`, { offline: true })).body.device.scripted.offline).toBe(true);
    expect((await author.api('POST', `/api/previews/${id}/devices/looms-01`, { state: 'auto' })).body.device.scripted.state).toBeNull();

    // Stopping ends the stream with `stopped`; the preview is gone.
    expect((await author.api('DELETE', `/api/previews/${id}`)).status).toBe(204);
    const stopped = await stream.next((e) => e.event === 'stopped', 'stopped');
    expect(stopped.data.reason).toBe('deleted');
    await stream.ended;
    expect((await author.api('GET', `/api/previews/${id}`)).status).toBe(404);
    expect((await author.api('GET', '/api/previews')).body).toEqual({ preview: null });
  });

  it('says where a bad inject, device script or start request is wrong', async () => {
    const s = await studio();
    const author = await s.user('zhangwei', 'contractor');
    const started = await author.api('POST', '/api/previews', { template: WEAVING, devices: { looms: 1 }, scenarios: [] });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const inject = (body: unknown) => author.api('POST', `/api/previews/${id}/inject`, body);

    const typo = await inject({ flowId: 'stop-alarms', nodeId: 'clasify', message: { payload: 1 } });
    expect(typo.status).toBe(422);
    expect(typo.body.error).toMatchObject({ code: 'unknown-node', details: [expect.objectContaining({ at: 'body.nodeId' })] });
    expect(typo.body.error.details[0].message.en).toContain('did you mean "classify"');
    expect((await inject({ flowId: 'stop-alarm', nodeId: 'classify', message: {} })).body.error.details[0]).toMatchObject({ code: 'unknown-flow', at: 'body.flowId' });
    expect((await inject({ flowId: 'stop-alarms', nodeId: 'read', message: {} })).body.error).toMatchObject({ code: 'no-input', details: [expect.objectContaining({ at: 'body.nodeId' })] });
    expect((await inject({ flowId: 'stop-alarms', nodeId: 'classify', port: 'input', message: {} })).body.error.details[0]).toMatchObject({ code: 'unknown-port', at: 'body.port' });
    const shape = await inject({ flowId: 'stop-alarms', nodeId: 'classify', message: { payload: 1, quality: 'great', ts: 'now' } });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe('invalid-request');
    expect(shape.body.error.details.map((d: Json) => d.at).sort()).toEqual(['body.message.quality', 'body.message.ts']);
    const extra = await inject({ flowId: 'stop-alarms', nodeId: 'classify', message: { payload: 1, qualty: 'good' } });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.error.details)).toContain('qualty');

    const device = (name: string, body: unknown) => author.api('POST', `/api/previews/${id}/devices/${name}`, body);
    expect((await device('looms-09', { state: 'fault' })).status).toBe(404);
    expect((await device('looms-01', { tag: 'sped', value: 0 })).body.error.details[0]).toMatchObject({ code: 'unknown-tag', at: 'body.tag' });
    expect((await device('looms-01', { tag: 'speed', value: 'fast' })).body.error.details[0]).toMatchObject({ code: 'wrong-value', at: 'body.value' });
    expect((await device('looms-01', { state: 'idle', offline: true })).status).toBe(400);
    expect((await device('looms-01', { state: 'idle', faultCode: 3 })).body.error.details[0].at).toBe('body.faultCode');

    const bad = await author.api('POST', '/api/previews', { template: WEAVING, devices: { loom: 2 }, speed: 1e6 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Json) => d.at)).toContain('body.speed');
    const group = await author.api('POST', '/api/previews', { template: WEAVING, devices: { loom: 2 } });
    expect(group.body.error).toMatchObject({ code: 'invalid-preview', details: [expect.objectContaining({ at: 'body.devices.loom' })] });
    expect(group.body.error.details[0].message.en).toContain('did you mean "looms"');
    const param = await author.api('POST', '/api/previews', { template: WEAVING, parameters: { ratedSpeed: 5 } });
    expect(param.body.error).toMatchObject({ code: 'invalid-preview', details: [expect.objectContaining({ at: 'body.parameters.ratedSpeed' })] });
    expect((await author.api('POST', '/api/previews', { template: 'weaving-waterjet@9.9.9' })).status).toBe(404);
    expect((await author.api('POST', '/api/previews', { template: 'weaving' })).body.error.details[0].at).toBe('body.template');
    expect((await author.api('POST', '/api/previews', {})).body.error.details[0].at).toBe('body.template');
    // None of these stopped the running preview.
    expect((await author.api('GET', '/api/previews')).body.preview.id).toBe(id);
  });

  it('keeps one preview per user: a new one replaces the old, whose stream says so', async () => {
    const s = await studio();
    const author = await s.user('zhangwei', 'contractor');
    const a = await author.api('POST', '/api/previews', { template: WEAVING, devices: { looms: 1 }, scenarios: [] });
    const stream = await openEvents(s.url, author.token, `/api/previews/${a.body.id}/events`);
    await stream.next((e) => e.event === 'preview', 'preview');
    const b = await author.api('POST', '/api/previews', { template: WEAVING, devices: { looms: 1 }, scenarios: ['shift-report'], speed: 10 });
    expect(b.status).toBe(201);
    expect(b.body.replaced).toBe(a.body.id);
    expect(b.body.scenarios).toEqual(['loom-status', 'shift-output', 'stop-alarms', 'shift-report']);
    expect((await stream.next((e) => e.event === 'stopped', 'stopped')).data.reason).toBe('replaced');
    await stream.ended;
    expect((await author.api('GET', `/api/previews/${a.body.id}`)).status).toBe(404);
    expect((await author.api('GET', '/api/previews')).body.preview).toMatchObject({ id: b.body.id, speed: 10 });

    // Another user's preview runs beside it.
    const admin = await s.admin.api('POST', '/api/previews', { template: WEAVING, devices: { looms: 1 }, scenarios: [] });
    expect(admin.body.replaced).toBeNull();
    expect((await author.api('GET', `/api/previews/${b.body.id}`)).status).toBe(200);
  });

  it('lets an enterprise preview only its own instances, and nobody else see or stop its preview', async () => {
    const s = await studio();
    const lihua = await s.user('lihua', 'enterprise', '湖州某织造厂');
    const other = await s.user('chenjing', 'enterprise', '绍兴某织造厂');
    const author = await s.user('zhangwei', 'contractor');
    const made = await lihua.api('POST', '/api/instances', {
      template: WEAVING, site: 'huzhou-weaving',
      devices: { looms: [{ name: 'L01', host: '192.168.1.31', unitId: 1 }, { name: 'L02', host: '192.168.1.31', unitId: 2 }], meters: [{ name: 'M1', host: '192.168.1.40', unitId: 1 }] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const instanceId = made.body.instance.id as string;

    expect((await lihua.api('POST', '/api/previews', { template: WEAVING })).body.error.code).toBe('preview-own-instances');
    const started = await lihua.api('POST', '/api/previews', { instance: instanceId, speed: 5 });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ source: { kind: 'instance', template: WEAVING, instance: instanceId } });
    expect(started.body.devices.map((d: Json) => d.name)).toEqual(['L01', 'L02', 'M1']);
    const id = started.body.id as string;

    for (const c of [other, author, s.admin]) {
      expect((await c.api('GET', `/api/previews/${id}`)).status).toBe(404);
      expect((await c.api('GET', `/api/previews/${id}/events`)).status).toBe(404);
      expect((await c.api('POST', `/api/previews/${id}/inject`, { flowId: 'stop-alarms', nodeId: 'classify', message: {} })).status).toBe(404);
      expect((await c.api('POST', `/api/previews/${id}/devices/L01`, { state: 'fault' })).status).toBe(404);
      expect((await c.api('DELETE', `/api/previews/${id}`)).status).toBe(404);
    }
    // The other enterprise cannot run lihua's instance either.
    expect((await other.api('POST', '/api/previews', { instance: instanceId })).status).toBe(404);
    expect((await lihua.api('GET', `/api/previews/${id}`)).status).toBe(200);
    expect((await lihua.api('DELETE', `/api/previews/${id}`)).status).toBe(204);
  });

  it('stops a preview nobody uses, and every preview when the studio closes', async () => {
    const s = await studio({ previews: { idleMs: 300 } });
    const author = await s.user('zhangwei', 'contractor');
    const idle = await author.api('POST', '/api/previews', { template: WEAVING, devices: { looms: 1 }, scenarios: [] });
    expect(idle.status).toBe(201);
    // A stream that was open and went away leaves the preview unwatched again.
    const watcher = await openEvents(s.url, author.token, `/api/previews/${idle.body.id}/events`);
    await watcher.next((e) => e.event === 'preview', 'preview');
    watcher.close();
    // Not timed: it goes within the test's time, whenever that is.
    for (let i = 0; i < 200 && (await author.api('GET', '/api/previews')).body.preview !== null; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await author.api('GET', `/api/previews/${idle.body.id}`)).status).toBe(404);

    const t = await studio();
    const admin = t.admin;
    const live = await admin.api('POST', '/api/previews', { template: WEAVING, devices: { looms: 1 }, scenarios: [] });
    const stream = await openEvents(t.url, admin.token, `/api/previews/${live.body.id}/events`);
    await stream.next((e) => e.event === 'preview', 'preview');
    const closing = stream.next((e) => e.event === 'stopped', 'stopped');
    await t.studio.close();
    expect((await closing).data.reason).toBe('closed');
    running.splice(running.indexOf(t), 1);
    stream.close();
  });
});
