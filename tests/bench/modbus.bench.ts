// `npm run bench -- modbus`: polling 20 devices × 100 holding registers, our device manager and
// modbus-read node against Node-RED with node-red-contrib-modbus, side by side in one run, both
// reading the same simulator (our immediate responder, in its own process). Each side runs in
// its own process so its CPU time is its own. Also: the planner's request count for the shipped
// profiles against one read per tag.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modbusRead } from '../../nodes/devices/modbus-read/runtime';
import { createRegistry } from '../../nodes/registry';
import { defineNode, port, z } from '../../nodes/sdk';
import { compileDevice } from '../../runtime/devices/compile';
import { createDeviceManager } from '../../runtime/devices/manager';
import { catalogOf, loadProfileCatalog } from '../../runtime/devices/profile-catalog';
import { startSimulator } from '../../runtime/devices/simulator/simulator';
import { createEngine } from '../../runtime/engine/engine';
import type { DeviceProfileInput } from '../../runtime/model/device-profile';
import { rssMb, startNodeRed, stopProcess, writeUserDir } from './peers/node-red';
import { ensureNodeRedModbus, modbusPollFlow } from './peers/node-red-modbus';
import { bundleAsShipped } from './bundle-as-shipped';
import { median } from './stats';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const DEVICES = Number(process.env.DEVICES ?? 20);
const QTY = 100;
const WARM_S = Number(process.env.WARM_S ?? 4);
const MEASURE_S = Number(process.env.MEASURE_S ?? 8);
const PORT_BASE = Number(process.env.MODBUS_PORT_BASE ?? 25_020);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 100 holding registers read as 100 uint16 tags: what the peer reads as one array. */
function benchProfile(intervalMs: number): DeviceProfileInput {
  const tags = Array.from({ length: QTY }, (_, i) => ({ key: `r${i}`, label: { zh: `寄存器 ${i}`, en: `register ${i}` }, area: 'holding' as const, address: i, type: 'uint16' as const }));
  return {
    schemaVersion: 1,
    id: 'bench-100',
    title: { zh: '基准', en: 'bench' },
    defaults: { byteOrder: 'ABCD', addressBase: 0, intervalMs },
    tags,
    simulation: { tags: Object.fromEntries(tags.map((t, i) => [t.key, { kind: 'constant' as const, value: (i * 7) & 0xffff }])) },
  };
}

const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

// ---------------------------------------------------------------------------------------------
// Child roles.

async function runSimulator(): Promise<void> {
  const sim = await startSimulator({ devices: [{ profile: benchProfile(1000) as never, count: DEVICES }], catalog: catalogOf([benchProfile(1000)]), portBase: PORT_BASE, realtime: false });
  console.log('ready');
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  setTimeout(() => void stop(), 600_000).unref();
}

/** Our side: device manager → modbus-read (snapshot every poll) → a counting node, for WARM_S + MEASURE_S. */
async function runOurs(intervalMs: number): Promise<void> {
  let n = 0;
  let bad = 0;
  const count = defineNode({
    type: 'bench-count', version: 1, category: 'debug', icon: '#', title: { zh: '计数', en: 'count' }, summary: { zh: '计数', en: 'count' },
    inputs: [port('in', '入', 'in')], outputs: [], config: z.object({}),
  }, () => ({
    onBatch(msgs) {
      for (const m of msgs) {
        n++;
        if (m.quality !== 'good' || Object.keys(m.payload as object).length !== QTY) bad++;
      }
    },
  }));
  const profile = benchProfile(intervalMs);
  const manager = createDeviceManager({ profiles: catalogOf([profile]) });
  manager.start();
  const engine = createEngine({ registry: createRegistry([modbusRead, count]), services: { devices: manager } });
  const devices = Array.from({ length: DEVICES }, (_, d) => ({ name: `dev${d}`, host: '127.0.0.1', port: PORT_BASE + d, unitId: 1, profile: 'bench-100', timeoutMs: 1000 }));
  await engine.deploy({
    schemaVersion: 1,
    id: 'bench',
    name: { zh: '基准', en: 'bench' },
    nodes: [
      { id: 'read', type: 'modbus-read', version: 1, config: { devices, report: 'every-poll', output: 'snapshot' } },
      { id: 'count', type: 'bench-count', version: 1, config: {} },
    ],
    edges: [{ id: 'e', source: 'read', sourcePort: 'out', target: 'count', targetPort: 'in' }],
  });
  let rssMax = 0;
  let queuedMax = 0;
  const sample = setInterval(() => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    for (const s of manager.status()) queuedMax = Math.max(queuedMax, s.queued);
  }, 200);
  await sleep(WARM_S * 1000);
  const a = { n, bad, cpu: process.cpuUsage(), t: performance.now(), rss: process.memoryUsage().rss };
  rssMax = 0;
  await sleep(MEASURE_S * 1000);
  const cpu = process.cpuUsage(a.cpu);
  const dt = (performance.now() - a.t) / 1000;
  const rss = process.memoryUsage().rss;
  clearInterval(sample);
  const skipped = manager.status().reduce((s, d) => s + d.stats.skipped, 0);
  console.log(`reads_per_s=${((n - a.n) / dt).toFixed(0)}`);
  console.log(`cpu_pct=${(((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(1)}`);
  console.log(`cpu_user_pct=${((cpu.user / 1e6 / dt) * 100).toFixed(1)}`);
  console.log(`cpu_system_pct=${((cpu.system / 1e6 / dt) * 100).toFixed(1)}`);
  console.log(`bad=${bad - a.bad}`);
  console.log(`rss_start_mb=${(a.rss / 1048576).toFixed(1)}`);
  console.log(`rss_end_mb=${(rss / 1048576).toFixed(1)}`);
  console.log(`rss_max_mb=${(Math.max(rssMax, rss) / 1048576).toFixed(1)}`);
  console.log(`queued_max=${queuedMax}`);
  console.log(`skipped=${skipped}`);
  await engine.stop();
  await manager.stop();
  process.exit(0);
}

/**
 * The floor: a bare modbus-serial client (the library itself, not our wrapper), one per device,
 * reading 100 registers every interval and nothing else.
 */
async function runFloor(intervalMs: number): Promise<void> {
  const { default: ModbusRTU } = await import('modbus-serial');
  const clients: InstanceType<typeof ModbusRTU>[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const c = new ModbusRTU();
    await c.connectTCP('127.0.0.1', { port: PORT_BASE + d });
    c.setID(1);
    c.setTimeout(1000);
    clients.push(c);
  }
  let n = 0;
  const timer = setInterval(() => {
    for (const c of clients) void c.readHoldingRegisters(0, QTY).then(() => n++, () => {});
  }, intervalMs);
  await sleep(WARM_S * 1000);
  const a = { n, cpu: process.cpuUsage(), t: performance.now() };
  await sleep(MEASURE_S * 1000);
  const cpu = process.cpuUsage(a.cpu);
  const dt = (performance.now() - a.t) / 1000;
  clearInterval(timer);
  console.log(`reads_per_s=${((n - a.n) / dt).toFixed(0)}`);
  console.log(`cpu_pct=${(((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(1)}`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent.

const bundle = () => bundleAsShipped(SELF, 'modbus-bench.mjs');

async function child(args: string[]): Promise<ChildProcess> {
  const file = await bundle();
  return spawn(process.execPath, [file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function childValues(args: string[]): Promise<Record<string, number>> {
  const proc = await child(args);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`)))));
  const values: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const m = /^(\w+)=([\d.]+)$/.exec(line.trim());
    if (m) values[m[1]!] = Number(m[2]);
  }
  return values;
}

async function startSim(): Promise<ChildProcess> {
  const proc = await child(['--role', 'sim']);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return proc;
}

async function ours(intervalMs: number, sim: ChildProcess): Promise<Record<string, number>> {
  const s0 = cpuSeconds(sim.pid!);
  const t0 = performance.now();
  const values = await childValues(['--role', 'ours', String(intervalMs)]);
  values.sim_cpu_pct = ((cpuSeconds(sim.pid!) - s0) / ((performance.now() - t0) / 1000)) * 100;
  console.error(`  kaiwu   interval ${intervalMs} ms: ${values.reads_per_s} reads/s at ${values.cpu_pct}% of a core, RSS ${values.rss_start_mb} → ${values.rss_end_mb} MB (max ${values.rss_max_mb}), queued ≤ ${values.queued_max}, bad ${values.bad}`);
  return values;
}

async function nodeRed(red: string, rateMs: number, sim: ChildProcess): Promise<Record<string, number>> {
  const dir = writeUserDir(`modbus-${rateMs}`, modbusPollFlow({ devices: DEVICES, quantity: QTY, rateMs, portBase: PORT_BASE }));
  let last = { t: 0, n: 0, bad: 0 };
  const { proc } = await startNodeRed(red, dir, (line) => {
    const m = /BENCH_COUNT (\d+) (\d+)/.exec(line);
    if (m) last = { t: performance.now(), n: Number(m[1]), bad: Number(m[2]) };
  });
  await sleep(WARM_S * 1000);
  const a = { ...last, cpu: cpuSeconds(proc.pid!), sim: cpuSeconds(sim.pid!), wall: performance.now(), rss: rssMb(proc.pid!) };
  await sleep(MEASURE_S * 1000);
  const b = { ...last, cpu: cpuSeconds(proc.pid!), sim: cpuSeconds(sim.pid!), wall: performance.now(), rss: rssMb(proc.pid!) };
  await stopProcess(proc);
  const wall = (b.wall - a.wall) / 1000;
  const values = {
    reads_per_s: Math.round((b.n - a.n) / ((b.t - a.t) / 1000)),
    cpu_pct: ((b.cpu - a.cpu) / wall) * 100,
    sim_cpu_pct: ((b.sim - a.sim) / wall) * 100,
    rss_start_mb: a.rss,
    rss_end_mb: b.rss,
    bad: b.bad - a.bad,
  };
  console.error(`  node-red rate ${rateMs} ms: ${values.reads_per_s} reads/s at ${values.cpu_pct.toFixed(0)}% of a core, RSS ${values.rss_start_mb.toFixed(0)} → ${values.rss_end_mb.toFixed(0)} MB, bad ${values.bad}`);
  return values;
}

/** Requests per poll of every shipped profile, planned and one per tag. */
export function plannerFigures(): { planned: number; naive: number; perProfile: Record<string, string> } {
  const catalog = loadProfileCatalog();
  let planned = 0;
  let naive = 0;
  const perProfile: Record<string, string> = {};
  for (const id of catalog.ids()) {
    const d = compileDevice({ name: 'x', host: '127.0.0.1', unitId: 1, profile: id }, catalog);
    const p = d.groups.reduce((n, g) => n + g.blocks.length, 0);
    planned += p;
    naive += d.tags.length;
    perProfile[`planner_requests_${id.replace(/-/g, '_')}`] = `${p}/${d.tags.length}`;
  }
  return { planned, naive, perProfile };
}

async function floor(intervalMs: number): Promise<Record<string, number>> {
  const values = await childValues(['--role', 'floor', String(intervalMs)]);
  console.error(`  floor   interval ${intervalMs} ms: bare modbus-serial ${values.reads_per_s} reads/s at ${values.cpu_pct}% of a core`);
  return values;
}

export async function modbusBench(): Promise<Record<string, string>> {
  const plan = plannerFigures();
  console.error(`  planner: ${plan.planned} requests for the shipped profiles, against ${plan.naive} reading one tag at a time`);
  const red = ensureNodeRedModbus();
  const sim = await startSim();
  try {
    // The machine is shared: ours and the bare-client floor alternate, and medians are kept.
    const k10s: Record<string, number>[] = [];
    const floors: Record<string, number>[] = [];
    for (let r = 0; r < RUNS; r++) {
      k10s.push(await ours(10, sim));
      floors.push(await floor(10));
    }
    const n10 = await nodeRed(red, 10, sim);
    const kMax = await ours(0, sim);
    const nMax = await nodeRed(red, 1, sim);
    const k1 = await ours(1, sim);
    const k10 = { cpu_pct: median(k10s.map((x) => x.cpu_pct!)), reads_per_s: median(k10s.map((x) => x.reads_per_s!)) };
    const f0 = (v: number | undefined) => (v ?? 0).toFixed(0);
    const f1 = (v: number | undefined) => (v ?? 0).toFixed(1);
    return {
      kaiwu_cpu_pct_10ms: f1(k10.cpu_pct),
      nodered_cpu_pct_10ms: f1(n10.cpu_pct),
      modbus_serial_floor_cpu_pct_10ms: f1(median(floors.map((x) => x.cpu_pct!))),
      kaiwu_cpu_pct_10ms_runs: k10s.map((x) => f1(x.cpu_pct)).join(' '),
      kaiwu_reads_per_s_10ms: f0(k10.reads_per_s),
      nodered_reads_per_s_10ms: f0(n10.reads_per_s),
      kaiwu_max_reads_per_s: f0(kMax.reads_per_s),
      kaiwu_cpu_pct_max: f1(kMax.cpu_pct),
      nodered_max_reads_per_s: f0(nMax.reads_per_s),
      nodered_cpu_pct_max: f1(nMax.cpu_pct),
      kaiwu_rss_mb_1ms: `${f1(k1.rss_start_mb)}->${f1(k1.rss_end_mb)} (max ${f1(k1.rss_max_mb)}, queued<=${f0(k1.queued_max)}, ${f0(k1.reads_per_s)} reads/s)`,
      kaiwu_rss_mb_max: `${f1(kMax.rss_start_mb)}->${f1(kMax.rss_end_mb)} (max ${f1(kMax.rss_max_mb)})`,
      nodered_rss_mb_1ms: `${f1(nMax.rss_start_mb)}->${f1(nMax.rss_end_mb)}`,
      simulator_cpu_pct_kaiwu_max: f1(kMax.sim_cpu_pct),
      planner_requests: String(plan.planned),
      naive_requests: String(plan.naive),
      ...plan.perProfile,
    };
  } finally {
    sim.kill('SIGTERM');
  }
}

if (process.argv[2] === '--role') {
  const role = process.argv[3];
  if (role === 'sim') await runSimulator();
  else if (role === 'ours') await runOurs(Number(process.argv[4]));
  else if (role === 'floor') await runFloor(Number(process.argv[4]));
}
