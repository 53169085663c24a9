// `npm run bench -- engine`: our engine against Node-RED on the same workloads, in one run.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeRed, rssMb, startNodeRed, stopProcess, writeUserDir } from './peers/node-red';
import { fiftyNodeFlow, throughputFlows } from './peers/node-red-flows';
import { median } from './stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 5);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 3000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runChild(args: string[], env: Record<string, string> = {}): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      const values: Record<string, number> = {};
      for (const line of out.split('\n')) {
        const m = /^(\w+)=([\d.]+)$/.exec(line.trim());
        if (m) values[m[1]!] = Number(m[2]);
      }
      resolve(values);
    });
  });
}

async function nodeRedThroughput(red: string, burst: boolean): Promise<Record<number, number[]>> {
  const flows = burst
    ? throughputFlows({ n1: 200_000, n5: 200_000, runs: 3, burst: true, variants: [1] })
    : throughputFlows({ n1: 200_000, n5: 60_000, runs: RUNS, burst: false, variants: [1, 5] });
  const dir = writeUserDir(burst ? 'throughput-burst' : 'throughput', flows);
  const rates: Record<number, number[]> = { 1: [], 5: [] };
  let done!: () => void;
  const finished = new Promise<void>((r) => { done = r; });
  const { proc } = await startNodeRed(red, dir, (line) => {
    const run = /BENCH_RUN m(\d) (\d+)/.exec(line);
    if (run) {
      rates[Number(run[1])]!.push(Number(run[2]));
      console.error(`  node-red k=${run[1]}${burst ? ' burst' : ''}: ${run[2]} msgs/s`);
    }
    if (line.includes('BENCH_DONE')) done();
  });
  await Promise.race([finished, sleep(300_000)]);
  await stopProcess(proc);
  return rates;
}

/** Spawn → "flows running" for our CLI, and RSS after settling, for a 50-node flow. */
async function kaiwuStartup(flowFile: string): Promise<{ ms: number; rss: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [join(ROOT, 'bin/kaiwu.mjs'), '--lang', 'en', 'run', flowFile, '--quiet', '--stats', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ms = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('flows running')) resolve(performance.now() - t0);
    });
    proc.on('exit', (code) => reject(new Error(`kaiwu run exited with ${code}: ${out}`)));
  });
  await sleep(SETTLE_MS);
  const rss = rssMb(proc.pid!);
  await stopProcess(proc);
  return { ms, rss };
}

function kaiwuFiftyNodeFlow(): string {
  const nodes: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  for (let c = 0; c < 10; c++) {
    const id = (s: string) => `${s}${c}`;
    nodes.push(
      { id: id('timer'), type: 'timer', version: 1, config: { mode: 'interval', intervalMs: 3_600_000, payload: 20 } },
      { id: id('c2f'), type: 'rule', version: 1, config: { code: 'msg.payload = msg.payload * 1.8 + 32;\nreturn msg;' } },
      { id: id('sw'), type: 'switch', version: 1, config: { rules: [{ port: 'out', op: 'gt', value: 50 }] } },
      { id: id('ch'), type: 'change', version: 1, config: { rules: [{ action: 'set', path: 'topic', value: 'alarm' }] } },
      { id: id('dbg'), type: 'debug', version: 1, config: { active: false } },
    );
    edges.push(
      { id: id('e1-'), source: id('timer'), sourcePort: 'out', target: id('c2f'), targetPort: 'in' },
      { id: id('e2-'), source: id('c2f'), sourcePort: 'out', target: id('sw'), targetPort: 'in' },
      { id: id('e3-'), source: id('sw'), sourcePort: 'out', target: id('ch'), targetPort: 'in' },
      { id: id('e4-'), source: id('ch'), sourcePort: 'out', target: id('dbg'), targetPort: 'in' },
    );
  }
  const file = join(mkdtempSync(join(tmpdir(), 'kaiwu-bench-')), 'fifty.json');
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, id: 'fifty', name: { zh: '五十节点', en: 'Fifty nodes' }, nodes, edges }));
  return file;
}

export async function engineBench(): Promise<Record<string, string>> {
  const red = ensureNodeRed();
  const results: Record<string, string> = {};
  const put = (key: string, value: number, digits = 0) => {
    results[key] = digits === 0 ? String(Math.round(value)) : value.toFixed(digits);
    console.log(`${key}=${results[key]}`);
  };

  console.error('# throughput: generator → K × c2f → switch → counter (closed loop, 4 × 100 in flight)');
  const ours = await runChild(['--import', 'tsx', join(ROOT, 'tests/bench/engine-throughput.ts')], { RUNS: String(RUNS) });
  const peer = await nodeRedThroughput(red, false);
  const peerBurst = await nodeRedThroughput(red, true);
  const nr1 = median(peer[1]!);
  const nr5 = median(peer[5]!);
  put('kaiwu_msgs_per_s_1rule', ours.kaiwu_msgs_per_s_1rule!);
  put('nodered_msgs_per_s_1rule', nr1);
  put('ratio_1rule', ours.kaiwu_msgs_per_s_1rule! / nr1, 2);
  put('kaiwu_msgs_per_s_5rule', ours.kaiwu_msgs_per_s_5rule!);
  put('nodered_msgs_per_s_5rule', nr5);
  put('ratio_5rule', ours.kaiwu_msgs_per_s_5rule! / nr5, 2);
  put('kaiwu_burst_msgs_per_s', ours.kaiwu_burst_msgs_per_s!);
  put('kaiwu_burst_ratio', ours.kaiwu_burst_ratio!, 2);
  put('kaiwu_burst_big_queue_ratio', ours.kaiwu_burst_big_queue_ratio!, 2);
  put('nodered_burst_msgs_per_s', median(peerBurst[1]!));
  put('nodered_burst_ratio', median(peerBurst[1]!) / nr1, 2);

  console.error('# startup to flows running and idle RSS, 50-node flow (runs alternate)');
  const flow50 = kaiwuFiftyNodeFlow();
  const peerDir = writeUserDir('startup-50', fiftyNodeFlow());
  const k = { ms: [] as number[], rss: [] as number[] };
  const n = { ms: [] as number[], rss: [] as number[] };
  for (let r = 0; r < RUNS; r++) {
    const a = await kaiwuStartup(flow50);
    k.ms.push(a.ms);
    k.rss.push(a.rss);
    const { proc, startedMs } = await startNodeRed(red, peerDir);
    await sleep(SETTLE_MS);
    n.ms.push(startedMs);
    n.rss.push(rssMb(proc.pid!));
    await stopProcess(proc);
    console.error(`  run ${r + 1}: kaiwu ${Math.round(a.ms)} ms ${a.rss.toFixed(1)} MB, node-red ${Math.round(startedMs)} ms ${n.rss.at(-1)!.toFixed(1)} MB`);
  }
  put('kaiwu_startup_ms', median(k.ms));
  put('nodered_startup_ms', median(n.ms));
  put('kaiwu_rss_mb_50nodes', median(k.rss), 1);
  put('nodered_rss_mb_50nodes', median(n.rss), 1);
  return results;
}
