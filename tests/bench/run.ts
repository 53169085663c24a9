// `npm run bench -- <name>`: runs one benchmark, prints key=value lines, and records them in
// tests/bench/RESULTS.md under the benchmark's own heading.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dashboardBench } from './dashboard.bench';
import { deployBench } from './deploy.bench';
import { designerBench } from './designer.bench';
import { engineBench } from './engine.bench';
import { modbusBench } from './modbus.bench';
import { replicateBench } from './replicate.bench';
import { storeBench } from './store.bench';
import { uplinkBench } from './uplink.bench';

const benches: Record<string, () => Promise<Record<string, string>>> = {
  dashboard: dashboardBench,
  designer: designerBench,
  engine: engineBench,
  modbus: modbusBench,
  replicate: replicateBench,
  store: async () => ({ ...(await storeBench()), ...(await deployBench()) }),
  uplink: uplinkBench,
};

const name = process.argv[2];
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}

const results = await bench();
const file = new URL('./RESULTS.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const start = `<!-- bench:${name}:start -->`;
const end = `<!-- bench:${name}:end -->`;
const block = [
  start,
  `Last run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}:`,
  '',
  '```',
  ...Object.entries(results).map(([k, v]) => `${k}=${v}`),
  '```',
  end,
].join('\n');
const i = text.indexOf(start);
const j = text.indexOf(end);
const next = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
writeFileSync(file, next);
console.error(`recorded in tests/bench/RESULTS.md (${name})`);
process.exit(0);
