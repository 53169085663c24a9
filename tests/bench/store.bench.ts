// `npm run bench -- store`: ingest through the engine into the store (rollups maintained)
// beside the floor of plain better-sqlite3 inserts, and a downsampled query of a week of 1 Hz.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createNodeRegistry } from '../../nodes/registry';
import { defineNode, port, z } from '../../nodes/sdk';
import type { Message, SeriesPoint } from '../../nodes/sdk';
import { createEngine } from '../../runtime/engine/engine';
import { createStore } from '../../runtime/store';
import { createCollector } from '../helpers/collector-node';
import { median } from './stats';

const RUNS = Number(process.env.RUNS ?? 3);
const INGEST_POINTS = Number(process.env.INGEST_POINTS ?? 2_000_000);
const FLOOR_ROWS = Number(process.env.FLOOR_ROWS ?? 1_000_000);
const DEVICES = 100;
const TAGS = 5;
const WEEK_S = 7 * 86_400;

/**
 * A source that emits `n` readings as fast as the engine takes them: DEVICES × TAGS series at
 * 1 Hz of message time, one reading per message, in batches, waiting when the history node's
 * queue is full (the engine's `block` policy) and yielding so the store's flush timer runs.
 */
const pump = defineNode({
  type: 'bench-pump',
  version: 1,
  category: 'input',
  icon: 'P',
  title: { zh: '基准：数据源', en: 'Bench: source' },
  summary: { zh: '基准测试用', en: 'Benchmark harness' },
  inputs: [port('go', '开始', 'go')],
  outputs: [port('out', '输出', 'out'), port('done', '完成', 'done')],
  config: z.object({ t0: z.number() }),
}, (config, ctx) => {
  const devices = Array.from({ length: DEVICES }, (_, i) => `loom-${i}`);
  const topics = Array.from({ length: TAGS }, (_, i) => `tag-${i}`);
  const perRound = DEVICES * TAGS;
  return {
    async onMessage(msg) {
      const n = msg.payload as number;
      let i = 0;
      while (i < n) {
        const batch: Message[] = [];
        for (let k = 0; k < 512 && i < n; k++, i++) {
          const s = i % perRound;
          batch.push(ctx.message({ ts: config.t0 + Math.floor(i / perRound) * 1_000, device: devices[s % DEVICES], topic: topics[(s / DEVICES) | 0], payload: (i % 997) * 0.25 }));
        }
        if (!ctx.send('out', batch)) await ctx.whenReady();
        else if ((i & 16_383) < 512) await new Promise((r) => setImmediate(r));
      }
      ctx.send('done', ctx.message({ payload: n }));
    },
  };
});

function floorRowsPerSecond(dir: string): number {
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE points (device TEXT NOT NULL, tag TEXT NOT NULL, ts INTEGER NOT NULL, value REAL)');
  const insert = db.prepare('INSERT INTO points (device, tag, ts, value) VALUES (?, ?, ?, ?)');
  const tx = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(`loom-${i % DEVICES}`, 'tag-0', i, i * 0.25);
  });
  const t0 = performance.now();
  for (let i = 0; i < FLOOR_ROWS; i += 1_000) tx(i, i + 1_000);
  const rate = (FLOOR_ROWS * 1_000) / (performance.now() - t0);
  db.close();
  return rate;
}

async function engineIngest(dir: string, run: number, points: number): Promise<{ rate: number; rollups: number }> {
  const file = join(dir, `ingest-${run}.db`);
  const store = createStore({ file });
  const done = createCollector();
  const engine = createEngine({ registry: createNodeRegistry([pump, done.type]), services: { history: store } });
  await engine.deploy({
    schemaVersion: 1, id: 'ingest', name: { zh: '写入', en: 'ingest' },
    nodes: [
      { id: 'src', type: 'bench-pump', version: 1, config: { t0: Date.now() - 86_400_000 } },
      { id: 'hist', type: 'history', version: 1, config: {} },
      { id: 'done', type: 'collect', version: 1, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'src', sourcePort: 'out', target: 'hist', targetPort: 'in' },
      { id: 'e2', source: 'src', sourcePort: 'done', target: 'done', targetPort: 'in' },
    ],
  });
  const t0 = performance.now();
  engine.inject('ingest', 'src', { payload: points }, 'go');
  while (done.received.length === 0) await new Promise((r) => setTimeout(r, 2));
  await engine.idle();
  const flushed = store.flush();
  const ms = performance.now() - t0;
  const stats = store.stats();
  if (!flushed.ok || stats.rows.points !== points) throw new Error(`ingest lost points: ${stats.rows.points} of ${points} (${flushed.error?.message ?? 'no error'})`);
  await engine.stop();
  store.close();
  rmSync(file, { force: true });
  return { rate: (points * 1_000) / ms, rollups: stats.rows.rollup1m + stats.rows.rollup1h };
}

function weekQuery(dir: string): { ms: number; points: number; source: string } {
  const store = createStore({ file: join(dir, 'week.db') });
  const to = Math.floor(Date.now() / 60_000) * 60_000;
  const from = to - WEEK_S * 1_000;
  let batch: SeriesPoint[] = [];
  for (let i = 0; i < WEEK_S; i++) {
    // A daily cycle with noise and one short spike, as a kiln temperature might look.
    const value = 800 + 40 * Math.sin((2 * Math.PI * i) / 86_400) + ((i * 7_919) % 13) - 6 + (i === 400_000 ? 300 : 0);
    batch.push({ device: 'kiln-1', tag: 'temp', ts: from + i * 1_000, value, quality: 'good' });
    if (batch.length === 50_000) {
      store.write(batch);
      batch = [];
    }
  }
  store.write(batch);
  store.flush();
  const times: number[] = [];
  let answer = store.querySeries({ device: 'kiln-1', tag: 'temp', from, to, maxPoints: 2_000 });
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    answer = store.querySeries({ device: 'kiln-1', tag: 'temp', from, to, maxPoints: 2_000 });
    times.push(performance.now() - t0);
  }
  if (!answer.points.some((p) => p.value !== null && p.value > 1_000)) throw new Error('the spike did not survive downsampling');
  store.close();
  return { ms: median(times), points: answer.points.length, source: answer.source };
}

export async function storeBench(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-store-bench-'));
  const results: Record<string, string> = {};
  const put = (key: string, value: number | string, digits = 0) => {
    results[key] = typeof value === 'string' ? value : digits === 0 ? String(Math.round(value)) : value.toFixed(digits);
    console.log(`${key}=${results[key]}`);
  };
  try {
    console.error(`# floor: better-sqlite3, WAL, synchronous=NORMAL, 1,000-row transactions, ${FLOOR_ROWS} rows`);
    const floor = floorRowsPerSecond(dir);
    console.error(`# ingest: pump → history node → store, ${DEVICES * TAGS} series, ${INGEST_POINTS} points a run, warm-up + ${RUNS} runs`);
    await engineIngest(dir, -1, Math.round(INGEST_POINTS / 4));
    const rates: number[] = [];
    let rollups = 0;
    for (let r = 0; r < RUNS; r++) {
      const run = await engineIngest(dir, r, INGEST_POINTS);
      rates.push(run.rate);
      rollups = run.rollups;
      console.error(`  run ${r + 1}: ${Math.round(run.rate)} points/s, ${run.rollups} rollup rows`);
    }
    put('store_points_per_s', median(rates));
    put('floor_rows_per_s', floor);
    put('store_vs_floor', median(rates) / floor, 2);
    put('store_rollup_rows', rollups);
    console.error('# query: 604,800 points (7 days of 1 Hz) → maxPoints 2,000, median of 7');
    const q = weekQuery(dir);
    put('query_7d_ms', q.ms, 1);
    put('query_7d_points', q.points);
    put('query_7d_source', q.source);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
