// `npm run bench -- uplink` (issue 8): the site's uplink to a real local mosquitto.
//
// 1. Drain: a fresh store pre-filled with 1,000,000 outbound rows (JSON bodies of ~134 bytes,
//    ~160 with the id added at send; four streams), then a process that only runs the uplink drains it to the broker; time from
//    configure until the backlog is 0. A subscriber in its own process counts what arrives (ids
//    unique, in order). The floor: bare MQTT.js publishing 1,000,000 QoS 1 messages from memory
//    (no store, nothing to delete), with the same in-flight window. Node-RED has no
//    store-and-forward (its mqtt out holds messages in memory only), so it has no drain figure.
// 2. Steady: 1,000 points/s (10 devices every 10 ms) for STEADY_S after a warm-up: a process
//    that only calls uplink.send (store, queue, MQTT publish); a full engine flow timer → rule
//    (QuickJS) → mqtt-out as the site runs it; Node-RED inject → function → mqtt out (QoS 1);
//    and the floor, bare MQTT.js publishing the same messages from memory.
//
// Every side runs in its own process so its CPU time is its own; the broker's CPU is read from
// /proc. Medians over RUNS runs, sides alternating.
import { execSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { rule } from '../../nodes/core/rule/runtime';
import { timer } from '../../nodes/core/timer/runtime';
import { createRegistry } from '../../nodes/registry';
import { mqttOut } from '../../nodes/uplink/mqtt-out/runtime';
import { createEngine } from '../../runtime/engine/engine';
import type { Message, UplinkPolicy } from '../../runtime/model';
import { checkUplinkPolicy } from '../../runtime/model';
import { createStore } from '../../runtime/store/store';
import { messageBody, topicFor } from '../../runtime/uplink/message-body';
import { createUplink } from '../../runtime/uplink/uplink';
import { flowOf } from '../helpers/flow';
import type { Broker } from '../helpers/mosquitto';
import { startMosquitto } from '../helpers/mosquitto';
import { ensureNodeRed, rssMb, startNodeRed, stopProcess, writeUserDir } from './peers/node-red';
import { mqttUplinkFlow } from './peers/node-red-mqtt';
import { bundleAsShipped } from './bundle-as-shipped';
import { median } from './stats';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const DRAIN_N = Number(process.env.DRAIN_N ?? 1_000_000);
const FLOOR_WINDOW = Number(process.env.FLOOR_WINDOW ?? 1_000);
const DEVICES = 10;
const TICK_MS = 10;
const WARM_S = Number(process.env.WARM_S ?? 5);
const STEADY_S = Number(process.env.STEADY_S ?? 20);
/** How often the drain process looks at the backlog (status(), as the admin API does). */
const POLL_MS = 100;
const SUB_QOS = Number(process.env.SUB_QOS ?? 1) as 0 | 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = pino({ level: 'silent' });

const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** The mosquitto this process started last (startMosquitto does not tell its pid): our child named mosquitto. */
function brokerPid(): number | undefined {
  let found: number | undefined;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'mosquitto' && ppid === process.pid && (found === undefined || Number(name) > found)) found = Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function endpointPolicy(url: string, maxMessages = 10_000_000): UplinkPolicy {
  const checked = checkUplinkPolicy({
    endpoints: [{ id: 'cloud', kind: 'mqtt', url, clientId: `kaiwu-bench-${process.pid}`, queue: { maxMessages, maxAgeHours: 24, overflow: 'drop-oldest' } }],
    streams: [
      { id: 'line-a', endpoint: 'cloud', devices: ['m0', 'm1', 'm2', 'm3', 'm4'], tags: ['kwh'], granularity: 'raw' },
      { id: 'line-b', endpoint: 'cloud', devices: ['m5', 'm6', 'm7', 'm8', 'm9'], tags: ['kwh'], granularity: 'raw' },
    ],
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.policy;
}

// ---------------------------------------------------------------------------------------------
// The backlog: realistic rows, as uplink.send makes them.

const STREAMS = ['line-a', 'line-b', 'line-c', 'line-d'];
const TAGS = ['energy_kwh', 'motor_current_a', 'spindle_speed_rpm', 'machine_state'];

function backlogRow(i: number): { endpoint: string; stream: string; topic: string; body: string } {
  const d = i % 40;
  const device = `loom-${String(d).padStart(3, '0')}`;
  const tag = TAGS[Math.floor(i / 40) % TAGS.length]!;
  const stream = STREAMS[d % STREAMS.length]!;
  const ts = 1_767_225_600_000 + Math.floor(i / 160) * 1000;
  const msg: Message = { ts, topic: tag, device, payload: tag === 'machine_state' ? 'running' : Math.round(((i * 7919) % 100_000) * 1.37) / 100, quality: 'good' };
  return { endpoint: 'cloud', stream, topic: topicFor('kaiwu/{site}/{device}/{tag}', { site: 'bench', device, tag, stream }), body: messageBody(msg, stream, 'raw') };
}

function prefill(file: string, n: number): number {
  const store = createStore({ file });
  let bytes = 0;
  const CHUNK = 100_000;
  for (let i = 0; i < n; i += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, n - i) }, (_, k) => backlogRow(i + k));
    for (const r of rows) bytes += r.body.length;
    store.outbound.enqueue(rows);
  }
  const pending = store.outbound.stats()[0]?.pending ?? 0;
  store.close();
  if (pending !== n) throw new Error(`prefill queued ${pending} rows, not ${n}`);
  return bytes / n;
}

// ---------------------------------------------------------------------------------------------
// Child roles.

/** The id number at the end of `{"id":"site:endpoint:123",…`, without parsing the JSON; 0 when absent. */
function idOf(p: Buffer): number {
  if (p[0] !== 0x7b || p[2] !== 0x69 || p[6] !== 0x22) return 0;
  let colon = -1;
  let i = 7;
  for (; i < p.length && p[i] !== 0x22; i++) if (p[i] === 0x3a) colon = i;
  if (colon < 0) return 0;
  let v = 0;
  for (let j = colon + 1; j < i; j++) v = v * 10 + (p[j]! - 48);
  return v;
}

/** The platform side: subscribes to kaiwu/#, counts messages, unique ids and ids out of order. */
async function runSubscriber(url: string, qos: 0 | 1): Promise<void> {
  const { default: mqtt } = await import('mqtt');
  const client = mqtt.connect(url, { clientId: `bench-sub-${process.pid}`, clean: true, reconnectPeriod: 200 });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  let n = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let last = 0;
  let seen = new Uint8Array(1 << 20);
  client.on('message', (_topic, payload) => {
    n++;
    const id = idOf(payload);
    if (id === 0) return;
    if (id >= seen.length) {
      const bigger = new Uint8Array(Math.max(id + 1, seen.length * 2));
      bigger.set(seen);
      seen = bigger;
    }
    if (seen[id]) {
      duplicates++;
      return;
    }
    seen[id] = 1;
    if (id < last) outOfOrder++;
    last = id;
  });
  await client.subscribeAsync('kaiwu/#', { qos });
  console.log('ready');
  setInterval(() => console.log(`n=${n}`), 100);
  process.on('SIGTERM', () => {
    console.log(`messages=${n}`);
    console.log(`delivered=${n - duplicates}`);
    console.log(`duplicates=${duplicates}`);
    console.log(`out_of_order=${outOfOrder}`);
    void client.endAsync(true).finally(() => process.exit(0));
  });
}

/** Our side of the drain: a store with a backlog and the uplink, nothing else. */
async function runDrain(file: string, url: string): Promise<void> {
  const store = createStore({ file });
  const backlog = store.outbound.stats()[0]?.pending ?? 0;
  const uplink = createUplink({ store, site: () => 'bench', logger: silent, secrets: () => undefined });
  let rssMax = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await uplink.configure(endpointPolicy(url));
  let polls = 0;
  for (;;) {
    await sleep(POLL_MS);
    polls++;
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    const s = uplink.status()[0]!;
    if (s.backlog === 0) break;
    if (polls % 50 === 0) console.error(`    drain: ${s.backlog} left, ${s.sent} sent, ${s.connected ? 'connected' : 'not connected'}${s.lastError ? `, ${s.lastError}` : ''}`);
  }
  const dt = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const s = uplink.status()[0]!;
  console.log(`backlog=${backlog}`);
  console.log(`sent=${s.sent}`);
  console.log(`dead=${s.dead}`);
  console.log(`drain_s=${dt.toFixed(2)}`);
  console.log(`drain_msgs_per_s=${(backlog / dt).toFixed(0)}`);
  console.log(`cpu_pct=${(((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(1)}`);
  console.log(`rss_max_mb=${(rssMax / 1048576).toFixed(1)}`);
  await uplink.stop();
  store.close();
  process.exit(0);
}

/** The floor: bare MQTT.js, QoS 1, `n` messages built in memory with ids, FLOOR_WINDOW in flight. */
async function runFloor(url: string, n: number): Promise<void> {
  const { default: mqtt } = await import('mqtt');
  const client = mqtt.connect(url, { clientId: `bench-floor-${process.pid}`, clean: true, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const pool = Array.from({ length: 4_000 }, (_, i) => backlogRow(i));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let done = 0;
    const pump = () => {
      while (inFlight < FLOOR_WINDOW && next < n) {
        const i = next++;
        const row = pool[i % pool.length]!;
        inFlight++;
        client.publish(row.topic, `{"id":"floor:cloud:${i + 1}",${row.body.slice(1)}`, { qos: 1 }, (err) => {
          if (err) return reject(err);
          inFlight--;
          if (++done === n) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const dt = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`msgs_per_s=${(n / dt).toFixed(0)}`);
  console.log(`cpu_pct=${(((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(1)}`);
  await client.endAsync(true);
  process.exit(0);
}

/** Warm-up, then STEADY_S measured: CPU of this whole process (worker threads included) and what the uplink sent. */
async function measureSteady(uplink: ReturnType<typeof createUplink>, stop: () => Promise<void>): Promise<void> {
  await sleep(WARM_S * 1000);
  const a = { cpu: process.cpuUsage(), t: performance.now(), sent: uplink.status()[0]!.sent, rss: process.memoryUsage().rss };
  await sleep(STEADY_S * 1000);
  const cpu = process.cpuUsage(a.cpu);
  const dt = (performance.now() - a.t) / 1000;
  const s = uplink.status()[0]!;
  console.log(`cpu_pct=${(((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(2)}`);
  console.log(`cpu_user_pct=${((cpu.user / 1e6 / dt) * 100).toFixed(2)}`);
  console.log(`cpu_system_pct=${((cpu.system / 1e6 / dt) * 100).toFixed(2)}`);
  console.log(`sent_per_s=${((s.sent - a.sent) / dt).toFixed(0)}`);
  console.log(`backlog_end=${s.backlog}`);
  console.log(`rss_mb=${(process.memoryUsage().rss / 1048576).toFixed(1)}`);
  await stop();
  process.exit(0);
}

/** Only the uplink: 10 points every 10 ms handed to uplink.send (kept to 1,000 a second however timers drift). */
async function runSteadyUplink(url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-uplink-bench-'));
  const store = createStore({ file: join(dir, 'site.db') });
  const uplink = createUplink({ store, site: () => 'bench', logger: silent, secrets: () => undefined });
  await uplink.configure(endpointPolicy(url, 1_000_000));
  const start = performance.now();
  let ticks = 0;
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - start) / TICK_MS);
    while (ticks < due) {
      ticks++;
      const ts = Date.now();
      const msgs: Message[] = [];
      for (let d = 0; d < DEVICES; d++) msgs.push({ ts, topic: 'kwh', device: `m${d}`, payload: ticks, quality: 'good' });
      uplink.send('cloud', msgs, 'raw');
    }
  }, TICK_MS);
  await measureSteady(uplink, async () => {
    clearInterval(timer);
    await uplink.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

/** The floor of the steady case: bare MQTT.js, the same 10 messages every 10 ms built in memory, QoS 1, nothing stored. */
async function runSteadyFloor(url: string): Promise<void> {
  const { default: mqtt } = await import('mqtt');
  const client = mqtt.connect(url, { clientId: `bench-floor-${process.pid}`, clean: false, reconnectPeriod: 1_000, keepalive: 30 });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  const start = performance.now();
  let ticks = 0;
  let n = 0;
  let acked = 0;
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - start) / TICK_MS);
    while (ticks < due) {
      ticks++;
      const ts = Date.now();
      for (let d = 0; d < DEVICES; d++) {
        const device = `m${d}`;
        const body = `{"id":"floor:cloud:${++n}",${messageBody({ ts, topic: 'kwh', device, payload: ticks, quality: 'good' }, d < 5 ? 'line-a' : 'line-b', 'raw').slice(1)}`;
        client.publish(`kaiwu/bench/${device}/kwh`, body, { qos: 1 }, (err) => {
          if (!err) acked++;
        });
      }
    }
  }, TICK_MS);
  await sleep(WARM_S * 1000);
  const a = { cpu: process.cpuUsage(), t: performance.now(), acked };
  await sleep(STEADY_S * 1000);
  const cpu = process.cpuUsage(a.cpu);
  const dt = (performance.now() - a.t) / 1000;
  console.log(`cpu_pct=${(((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(2)}`);
  console.log(`sent_per_s=${((acked - a.acked) / dt).toFixed(0)}`);
  console.log(`rss_mb=${(process.memoryUsage().rss / 1048576).toFixed(1)}`);
  clearInterval(timer);
  await client.endAsync(true);
  process.exit(0);
}

/** The whole site path: an engine running timer (10 ms) → rule (QuickJS, 10 messages) → mqtt-out. */
async function runSteadyFlow(url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-uplink-bench-'));
  const store = createStore({ file: join(dir, 'site.db') });
  const uplink = createUplink({ store, site: () => 'bench', logger: silent, secrets: () => undefined });
  await uplink.configure(endpointPolicy(url, 1_000_000));
  const engine = createEngine({
    registry: createRegistry([timer, rule, mqttOut]),
    logger: silent,
    services: { history: store, alarms: store, events: store, uplink },
    stateStore: store,
  });
  await engine.deploy(flowOf('meters', [
    { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: TICK_MS } },
    { id: 'read', type: 'rule', config: { code: `state.n = (state.n || 0) + 1;\nconst out = [];\nfor (let d = 0; d < ${DEVICES}; d++) out.push({ device: "m" + d, topic: "kwh", payload: state.n });\nreturn out;` } },
    { id: 'up', type: 'mqtt-out', config: { endpoint: 'cloud' } },
  ], ['tick -> read', 'read -> up']));
  await measureSteady(uplink, async () => {
    await engine.stop({ timeoutMs: 5_000 });
    await uplink.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Parent.

const bundle = () => bundleAsShipped(SELF, 'uplink-bench.mjs', { sandboxWorker: true });

async function child(args: string[]): Promise<ChildProcess> {
  const file = await bundle();
  return spawn(process.execPath, [file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

function parseValues(out: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const m = /^(\w+)=([\d.]+)$/.exec(line.trim());
    if (m) values[m[1]!] = Number(m[2]);
  }
  return values;
}

async function childValues(args: string[]): Promise<Record<string, number>> {
  const proc = await child(args);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`)))));
  return parseValues(out);
}

interface Subscriber {
  /** Messages received so far (as last reported). */
  count(): number;
  /** Stops it: messages, delivered (unique ids), duplicates, out_of_order. */
  finish(): Promise<Record<string, number>>;
}

async function subscriber(broker: Broker): Promise<Subscriber> {
  const proc = await child(['--role', 'sub', broker.url, String(SUB_QOS)]);
  let out = '';
  let n = 0;
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /n=(\d+)\n(?![^]*n=\d+\n)/.exec(out.slice(-80));
    if (m) n = Number(m[1]);
  });
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('ready')) {
        clearInterval(t);
        resolve();
      }
    }, 20);
    proc.once('exit', (code) => reject(new Error(`subscriber exited with ${code}`)));
  });
  return {
    count: () => n,
    async finish() {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await exited;
      return parseValues(out.split('\n').filter((l) => !l.startsWith('n=')).join('\n'));
    },
  };
}

/** Waits until the subscriber has `n` messages, or nothing arrived for `quietMs`. */
async function settle(sub: Subscriber, n: number, quietMs = 3_000): Promise<void> {
  let last = -1;
  let since = performance.now();
  while (sub.count() < n) {
    await sleep(100);
    if (sub.count() !== last) {
      last = sub.count();
      since = performance.now();
    } else if (performance.now() - since > quietMs) return;
  }
}

/** Runs `work` against a fresh broker with a subscriber, and reads the broker's CPU over it. */
async function withBroker<T extends Record<string, number>>(work: (broker: Broker, sub: Subscriber) => Promise<T>, expected?: number): Promise<T & Record<string, number>> {
  const broker = await startMosquitto();
  const pid = brokerPid();
  try {
    const sub = await subscriber(broker);
    const c0 = pid === undefined ? NaN : cpuSeconds(pid);
    const t0 = performance.now();
    const values = await work(broker, sub);
    const wall = (performance.now() - t0) / 1000;
    const brokerCpu = pid === undefined ? NaN : ((cpuSeconds(pid) - c0) / wall) * 100;
    if (expected !== undefined) await settle(sub, expected);
    const got = await sub.finish();
    return { ...values, broker_cpu_pct: brokerCpu, ...Object.fromEntries(Object.entries(got).map(([k, v]) => [`sub_${k}`, v])) };
  } finally {
    await broker.stop();
  }
}

async function drainRun(template: string): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-drain-'));
  try {
    const file = join(dir, 'site.db');
    copyFileSync(template, file);
    const v = await withBroker((broker) => childValues(['--role', 'drain', file, broker.url]), DRAIN_N);
    console.error(`  kaiwu drain: ${v.backlog} rows in ${v.drain_s} s = ${v.drain_msgs_per_s} msgs/s at ${v.cpu_pct}% of a core (broker ${v.broker_cpu_pct!.toFixed(0)}%), RSS ≤ ${v.rss_max_mb} MB; subscriber got ${v.sub_delivered} unique, ${v.sub_duplicates} duplicates, ${v.sub_out_of_order} out of order`);
    return v;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function floorRun(): Promise<Record<string, number>> {
  const v = await withBroker((broker) => childValues(['--role', 'floor', broker.url, String(DRAIN_N)]), DRAIN_N);
  console.error(`  floor  bare MQTT.js: ${v.msgs_per_s} msgs/s at ${v.cpu_pct}% of a core (broker ${v.broker_cpu_pct!.toFixed(0)}%); subscriber got ${v.sub_delivered}`);
  return v;
}

type SteadyRole = 'steady-uplink' | 'steady-flow' | 'steady-floor';
const STEADY_LABEL: Record<SteadyRole, string> = { 'steady-uplink': 'kaiwu uplink.send', 'steady-flow': 'kaiwu flow       ', 'steady-floor': 'floor bare MQTT.js' };

async function steadyRun(role: SteadyRole): Promise<Record<string, number>> {
  const v = await withBroker(async (broker, sub) => {
    const proc = await child(['--role', role, broker.url]);
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    // The subscriber's rate over the measured window, seen from outside.
    await sleep(WARM_S * 1000);
    const a = { n: sub.count(), t: performance.now() };
    await sleep(STEADY_S * 1000);
    const b = { n: sub.count(), t: performance.now() };
    await new Promise<void>((resolve, reject) => proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${role} exited with ${code}`)))));
    return { ...parseValues(out), delivered_per_s: (b.n - a.n) / ((b.t - a.t) / 1000) };
  });
  console.error(`  ${STEADY_LABEL[role]}: ${v.cpu_pct}% of a core, sent ${v.sent_per_s}/s, delivered ${v.delivered_per_s!.toFixed(0)}/s${v.backlog_end === undefined ? '' : `, backlog at the end ${v.backlog_end}`}, RSS ${v.rss_mb} MB (broker ${v.broker_cpu_pct!.toFixed(1)}%)`);
  return v;
}

async function nodeRedRun(red: string): Promise<Record<string, number>> {
  const v = await withBroker(async (broker, sub) => {
    const dir = writeUserDir('uplink', mqttUplinkFlow({ port: broker.port, devices: DEVICES, repeatS: TICK_MS / 1000, clientId: 'nodered-bench' }));
    const { proc } = await startNodeRed(red, dir);
    try {
      await sleep(WARM_S * 1000);
      const a = { n: sub.count(), cpu: cpuSeconds(proc.pid!), t: performance.now() };
      await sleep(STEADY_S * 1000);
      const b = { n: sub.count(), cpu: cpuSeconds(proc.pid!), t: performance.now() };
      const wall = (b.t - a.t) / 1000;
      return { cpu_pct: ((b.cpu - a.cpu) / wall) * 100, delivered_per_s: (b.n - a.n) / wall, rss_mb: rssMb(proc.pid!) };
    } finally {
      await stopProcess(proc);
    }
  });
  console.error(`  node-red flow    : ${v.cpu_pct!.toFixed(2)}% of a core, delivered ${v.delivered_per_s!.toFixed(0)}/s, RSS ${v.rss_mb!.toFixed(0)} MB (broker ${v.broker_cpu_pct!.toFixed(1)}%)`);
  return v;
}

export async function uplinkBench(): Promise<Record<string, string>> {
  const red = ensureNodeRed();
  await bundle();
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-backlog-'));
  const template = join(dir, 'backlog.db');
  try {
    const t0 = performance.now();
    const bodyBytes = prefill(template, DRAIN_N);
    console.error(`  backlog: ${DRAIN_N} rows, bodies ${bodyBytes.toFixed(0)} bytes on average (+ the id at send), written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const drains: Record<string, number>[] = [];
    const floors: Record<string, number>[] = [];
    const ups: Record<string, number>[] = [];
    const flows: Record<string, number>[] = [];
    const reds: Record<string, number>[] = [];
    const steadyFloors: Record<string, number>[] = [];
    // The machine is shared: the sides alternate, and medians are kept.
    for (let r = 0; r < RUNS; r++) {
      drains.push(await drainRun(template));
      floors.push(await floorRun());
    }
    for (let r = 0; r < RUNS; r++) {
      ups.push(await steadyRun('steady-uplink'));
      flows.push(await steadyRun('steady-flow'));
      reds.push(await nodeRedRun(red));
      steadyFloors.push(await steadyRun('steady-floor'));
    }
    const med = (xs: Record<string, number>[], k: string) => median(xs.map((x) => x[k]!));
    const f0 = (v: number) => v.toFixed(0);
    const f1 = (v: number) => v.toFixed(1);
    const f2 = (v: number) => v.toFixed(2);
    const sum = (xs: Record<string, number>[], k: string) => xs.reduce((s, x) => s + (x[k] ?? 0), 0);
    const results: Record<string, string> = {
      drain_msgs_per_s: f0(med(drains, 'drain_msgs_per_s')),
      mqttjs_floor_msgs_per_s: f0(med(floors, 'msgs_per_s')),
      drain_cpu_pct: f1(med(drains, 'cpu_pct')),
      mqttjs_floor_cpu_pct: f1(med(floors, 'cpu_pct')),
      drain_broker_cpu_pct: f1(med(drains, 'broker_cpu_pct')),
      floor_broker_cpu_pct: f1(med(floors, 'broker_cpu_pct')),
      drain_msgs_per_s_runs: drains.map((x) => f0(x.drain_msgs_per_s!)).join(' '),
      drain_delivered: drains.map((x) => f0(x.sub_delivered!)).join(' '),
      drain_duplicates: f0(sum(drains, 'sub_duplicates')),
      drain_out_of_order: f0(sum(drains, 'sub_out_of_order')),
      drain_rss_max_mb: f1(med(drains, 'rss_max_mb')),
      drain_backlog_body_bytes: f0(bodyBytes),
      uplink_cpu_pct_1k: f2(med(ups, 'cpu_pct')),
      flow_cpu_pct_1k: f2(med(flows, 'cpu_pct')),
      nodered_cpu_pct_1k: f2(med(reds, 'cpu_pct')),
      mqttjs_floor_cpu_pct_1k: f2(med(steadyFloors, 'cpu_pct')),
      uplink_cpu_pct_1k_runs: ups.map((x) => f2(x.cpu_pct!)).join(' '),
      flow_cpu_pct_1k_runs: flows.map((x) => f2(x.cpu_pct!)).join(' '),
      nodered_cpu_pct_1k_runs: reds.map((x) => f2(x.cpu_pct!)).join(' '),
      uplink_delivered_per_s_1k: f0(med(ups, 'delivered_per_s')),
      flow_delivered_per_s_1k: f0(med(flows, 'delivered_per_s')),
      nodered_delivered_per_s_1k: f0(med(reds, 'delivered_per_s')),
      mqttjs_floor_delivered_per_s_1k: f0(med(steadyFloors, 'delivered_per_s')),
      broker_cpu_pct_1k: `${f1(med(ups, 'broker_cpu_pct'))} (uplink) ${f1(med(flows, 'broker_cpu_pct'))} (flow) ${f1(med(reds, 'broker_cpu_pct'))} (node-red) ${f1(med(steadyFloors, 'broker_cpu_pct'))} (floor)`,
      rss_mb_1k: `${f1(med(ups, 'rss_mb'))} (uplink) ${f1(med(flows, 'rss_mb'))} (flow) ${f1(med(reds, 'rss_mb'))} (node-red) ${f1(med(steadyFloors, 'rss_mb'))} (floor)`,
    };
    for (const [k, v] of Object.entries(results)) console.log(`${k}=${v}`);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--role') {
  const [role, a, b] = process.argv.slice(3);
  if (role === 'sub') await runSubscriber(a!, Number(b) as 0 | 1);
  else if (role === 'drain') await runDrain(a!, b!);
  else if (role === 'floor') await runFloor(a!, Number(b));
  else if (role === 'steady-uplink') await runSteadyUplink(a!);
  else if (role === 'steady-flow') await runSteadyFlow(a!);
  else if (role === 'steady-floor') await runSteadyFloor(a!);
}
