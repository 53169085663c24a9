// Our side of the engine benchmark, in its own process: generator -> K x rule(c2f) -> switch
// (payload >= 0) -> counter, K = 1 and 5, runs interleaved after a warm-up; plus an open-loop
// burst. Prints key=value lines (medians) on stdout and each run on stderr.
import { createEngine } from '../../runtime/engine/engine';
import { createNodeRegistry } from '../../nodes/registry';
import { createCollector } from '../helpers/collector-node';
import { benchCounter, benchGenerator } from './bench-nodes';
import { median, report } from './stats';

const N1 = Number(process.env.N ?? 200_000);
const N5 = Number(process.env.N5 ?? 60_000);
const RUNS = Number(process.env.RUNS ?? 5);
const BURST_RUNS = Number(process.env.BURST_RUNS ?? 3);
const BATCH = 100;
const C2F = 'msg.payload = msg.payload * 1.8 + 32;\nreturn msg;';

function chainFlow(id: string, k: number, mode: 'paced' | 'burst', queueCapacity?: number) {
  const rules = Array.from({ length: k }, (_, i) => ({
    id: `f${i}`, type: 'rule', version: 1, config: { code: C2F },
    ...(queueCapacity && i === 0 ? { queue: { capacity: queueCapacity } } : {}),
  }));
  const nodes = [
    { id: 'gen', type: 'bench-generator', version: 1, config: { batch: BATCH, window: 4, mode } },
    ...rules,
    { id: 'sw', type: 'switch', version: 1, config: { rules: [{ port: 'out', property: 'payload', op: 'gte', value: 0 }] } },
    { id: 'cnt', type: 'bench-counter', version: 1, config: { batch: BATCH } },
    { id: 'done', type: 'collect', version: 1, config: {} },
  ];
  const wires: [string, string, string, string, boolean?][] = [['gen', 'out', 'f0', 'in']];
  for (let i = 1; i < k; i++) wires.push([`f${i - 1}`, 'out', `f${i}`, 'in']);
  wires.push([`f${k - 1}`, 'out', 'sw', 'in'], ['sw', 'out', 'cnt', 'in'], ['cnt', 'done', 'done', 'in'], ['cnt', 'ack', 'gen', 'ack', true]);
  return {
    schemaVersion: 1, id, name: { zh: id, en: id }, nodes,
    edges: wires.map(([source, sourcePort, target, targetPort, feedback], i) => ({ id: `e${i}`, source, sourcePort, target, targetPort, ...(feedback ? { feedback } : {}) })),
  };
}

async function measure(k: number, mode: 'paced' | 'burst', n: number, queueCapacity?: number): Promise<number[]> {
  const collector = createCollector();
  const registry = createNodeRegistry([benchGenerator, benchCounter, collector.type]);
  const engine = createEngine({ registry });
  await engine.deploy(chainFlow(`k${k}`, k, mode, queueCapacity));
  const run = async (count: number) => {
    const before = collector.received.length;
    engine.inject(`k${k}`, 'cnt', { topic: 'control', payload: count }, 'control');
    engine.inject(`k${k}`, 'gen', { topic: 'start', payload: count }, 'ack');
    while (collector.received.length === before) await new Promise((r) => setTimeout(r, 2));
    const res = collector.received[collector.received.length - 1]!.msg.payload as { rate: number; ms: number };
    return res.rate;
  };
  const rates: number[] = [];
  // A warm-up, then measured runs, the same for both modes and both sides.
  await run(Math.round(n / 4 / BATCH) * BATCH);
  for (let r = 0; r < (mode === 'paced' ? RUNS : BURST_RUNS); r++) {
    const rate = await run(n);
    rates.push(rate);
    console.error(`  k=${k} ${mode}${queueCapacity ? ' big-queue' : ''} run ${r + 1}: ${Math.round(rate)} msgs/s`);
  }
  const stats = engine.stats();
  const rule = stats.find((s) => s.nodeId === 'f0')!;
  console.error(`  k=${k} ${mode}: rule f0 mean ${(rule.meanMs * 1000).toFixed(2)} us p99 ${(rule.p99Ms * 1000).toFixed(1)} us, dropped ${stats.reduce((a, s) => a + s.dropped, 0)}`);
  await engine.stop();
  return rates;
}

const variants = (process.env.VARIANTS ?? 'paced,burst').split(',');
if (variants.includes('paced')) {
  const r1 = await measure(1, 'paced', N1);
  const r5 = await measure(5, 'paced', N5);
  report('kaiwu_msgs_per_s_1rule', r1);
  report('kaiwu_msgs_per_s_5rule', r5);
  if (variants.includes('burst')) {
    const burst = await measure(1, 'burst', N1);
    const big = await measure(1, 'burst', N1, N1 + 1000);
    report('kaiwu_burst_msgs_per_s', burst);
    report('kaiwu_burst_big_queue_msgs_per_s', big);
    console.log(`kaiwu_burst_ratio=${(median(burst) / median(r1)).toFixed(2)}`);
    console.log(`kaiwu_burst_big_queue_ratio=${(median(big) / median(r1)).toFixed(2)}`);
  }
}
process.exit(0);
