// `npm run bench -- dashboard`: the site dashboard in Debian's Chromium against a runtime in its
// own process — a week of 1 Hz history in a line chart, forty live widgets, first paint, bundle size.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { PEER_DIR, ensureNodeRed, startNodeRed, stopProcess, writeUserDir } from './peers/node-red';
import { median } from './stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const RUNS = Number(process.env.RUNS ?? 5);
const CPU_SECONDS = Number(process.env.CPU_SECONDS ?? 20);
const WEEK_POINTS = 7 * 86_400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The processes of the Chromium we started: they name our profile folder on their command line. */
function chromiumPids(profile: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profile)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

// ---------------------------------------------------------------------------------------------
// The runtime side, run in a child process so its CPU is its own: a site with the dashboard,
// a week of history, and the bench flows. Started by the parent with KAIWU_DASH_BENCH_CHILD=1.

function widgetFlow() {
  const devices = Array.from({ length: 10 }, (_, i) => `d${i + 1}`);
  const nodes: { id: string; type: string; config: Record<string, unknown> }[] = [
    { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 1_000 } },
    { id: 'sim', type: 'rule', config: { code: `state.n = (state.n || 0) + 1;
const out = [];
for (let i = 1; i <= 10; i++) {
  const code = Math.floor((state.n + i * 7) / 20) % 4 === 3 ? 2 : Math.floor((state.n + i * 3) / 15) % 3 === 2 ? 0 : 1;
  out.push({ device: 'd' + i, payload: { state: code, temp: 200 + i + 10 * Math.sin(state.n / 30 + i), count: state.n * i, speed: code === 1 ? 600 + i : 0 } });
}
return out;` } },
  ];
  const widgets: { id: string; w: number; h: number }[] = [];
  const add = (id: string, type: string, config: Record<string, unknown>, w = 3, h = 2) => {
    nodes.push({ id, type, config });
    widgets.push({ id, w, h });
  };
  devices.forEach((d, i) => add(`g${i}`, 'gauge', { device: d, property: 'payload.temp', min: 150, max: 250, unit: '°C' }));
  devices.forEach((d, i) => add(`s${i}`, 'stat', { device: d, property: 'payload.count', unit: 'pcs', decimals: 0, target: 1000 }));
  for (let i = 0; i < 8; i++) add(`l${i}`, 'line-chart', { windowMs: 600_000, unit: '°C', series: [0, 1, 2].map((k) => ({ key: `k${k}`, property: 'payload.temp', device: devices[(i + k) % 10] })) });
  for (let i = 0; i < 4; i++) add(`b${i}`, 'bar-chart', { fields: [{ property: i % 2 ? 'payload.speed' : 'payload.count' }], categories: devices });
  for (let i = 0; i < 4; i++) add(`t${i}`, 'table', { columns: [{ property: 'device', label: 'd' }, { property: 'payload.temp', label: 't', decimals: 1 }, { property: 'payload.count', label: 'n' }] });
  for (let i = 0; i < 2; i++) add(`tl${i}`, 'state-timeline', { windowMs: 600_000 });
  add('grid', 'device-grid', { fields: [{ property: 'payload.speed', label: 'rpm' }] });
  add('note', 'text', { markdown: { zh: '计数 {{value}}', en: 'Count {{value}}' }, property: 'payload.count', device: 'd1' });
  const edges = nodes.slice(2).map((n, i) => ({ id: `e${i}`, source: 'sim', sourcePort: 'out', target: n.id, targetPort: 'in' }));
  edges.push({ id: 'e-tick', source: 'tick', sourcePort: 'out', target: 'sim', targetPort: 'in' });
  // Twelve columns, four widgets a row.
  let x = 0;
  let y = 0;
  const placed = widgets.map((w) => {
    if (x + w.w > 12) {
      x = 0;
      y += 2;
    }
    const at = { id: w.id, node: w.id, x, y, w: w.w, h: w.h };
    x += w.w;
    return at;
  });
  return {
    flow: { schemaVersion: 1, id: 'forty', name: { zh: '四十个组件', en: 'Forty widgets' }, nodes: nodes.map((n) => ({ ...n, version: 1 })), edges },
    page: { scenario: 'forty', title: { zh: '四十个组件', en: 'Forty widgets' }, columns: 12, widgets: placed },
  };
}

function weekFlow() {
  return {
    flow: { schemaVersion: 1, id: 'week', name: { zh: '一周趋势', en: 'A week' }, nodes: [
      { id: 'trend', type: 'line-chart', version: 1, config: { windowMs: 600_000, unit: '°C', series: [{ key: 'temp', property: 'payload', device: 'oven-1', history: { tag: 'temp', device: 'oven-1' }, label: { zh: '炉温', en: 'Oven' } }] } },
    ], edges: [] },
    page: { scenario: 'week', title: { zh: '一周趋势', en: 'A week' }, columns: 12, widgets: [{ id: 'trend', node: 'trend', x: 0, y: 0, w: 12, h: 8 }] },
  };
}

async function child(): Promise<void> {
  const { pino } = await import('pino');
  const { createNodeRegistry } = await import('../../nodes/registry');
  const { DASHBOARD_NODE_TYPES } = await import('../../nodes/dashboard/node-types');
  const { createApp } = await import('../../runtime/server/app');
  const { mountDashboard } = await import('../../runtime/server/dashboard-routes');
  const { ensureAdminToken } = await import('../../runtime/site/admin-token');
  const { dataDir, ensureDataDir } = await import('../../runtime/site/data-dir');
  const { createSiteRuntime } = await import('../../runtime/site/site-runtime');
  const { trustKey } = await import('../../runtime/site/trusted-keys');
  const { openViewerAccess, setKiosk } = await import('../../runtime/site/viewers');
  const { createStore } = await import('../../runtime/store/store');
  const { makeSigner } = await import('../helpers/site');

  const root = mkdtempSync(join(tmpdir(), 'kaiwu-dash-bench-'));
  const dir = dataDir(root);
  ensureDataDir(dir);
  const signer = makeSigner();
  trustKey(dir, signer.publicFile);
  // A screen on the shop floor: the open kiosk, so the bench needs no login.
  setKiosk(dir, { open: true, allow: [] });
  const store = createStore({ file: dir.database });
  const t0 = performance.now();
  const end = Date.now();
  const start = end - WEEK_POINTS * 1000;
  for (let from = 0; from < WEEK_POINTS; from += 50_000) {
    const batch = [];
    for (let i = from; i < Math.min(WEEK_POINTS, from + 50_000); i++) {
      const t = start + i * 1000;
      batch.push({ device: 'oven-1', tag: 'temp', ts: t, value: 180 + 20 * Math.sin(i / 3_600) + 5 * Math.sin(i / 97) + (i % 86_400 === 43_200 ? 40 : 0), quality: 'good' as const });
    }
    store.write(batch);
    store.flush();
  }
  console.error(`  loaded ${WEEK_POINTS} points in ${Math.round(performance.now() - t0)} ms`);
  const builtins = createNodeRegistry();
  const registry = createNodeRegistry(DASHBOARD_NODE_TYPES.filter((t) => !builtins.get(t.definition.type)));
  const logger = pino({ level: 'silent' });
  const site = createSiteRuntime({ dir, registry, store, logger, site: 'bench' });
  await site.start();
  const forty = widgetFlow();
  const week = weekFlow();
  await site.deploy(signer.sign([forty.flow, week.flow], 1, { site: 'bench', dashboards: [forty.page, week.page] }));
  const app = createApp({ site, queries: store, token: ensureAdminToken(dir, 'bench-admin-token-0123456789'), logger, version: 'bench' });
  mountDashboard(app, { site, store, viewers: openViewerAccess(dir), logger });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    console.log(`url=http://127.0.0.1:${address.port}`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void site.stop().then(() => {
      store.close();
      process.exit(0);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The peer: Node-RED Dashboard 2.0's chart on the same week, installed at bench time into
// PEER_DIR (never a dependency). It keeps every point and sends them all to the browser.

export const NR_DASHBOARD_VERSION = '1.31.0';

function ensureNodeRedDashboard(): string {
  const red = ensureNodeRed();
  const pkg = join(PEER_DIR, 'node_modules', '@flowfuse', 'node-red-dashboard', 'package.json');
  if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version === NR_DASHBOARD_VERSION) return red;
  console.error(`  installing @flowfuse/node-red-dashboard@${NR_DASHBOARD_VERSION} into ${PEER_DIR} (once) …`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', `@flowfuse/node-red-dashboard@${NR_DASHBOARD_VERSION}`], { cwd: PEER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(pkg)) throw new Error(`could not install @flowfuse/node-red-dashboard@${NR_DASHBOARD_VERSION}`);
  return red;
}

/** One line chart fed the week as one array of { x, y } (config node ids must not equal any string property, or Node-RED sees a cycle). */
function nodeRedWeekFlow(points: number) {
  const base = 'b0c0ffee00000001';
  const theme = 'b0c0ffee00000002';
  const page = 'b0c0ffee00000003';
  const group = 'b0c0ffee00000004';
  return [
    { id: 'tab', type: 'tab', label: 'bench' },
    { id: base, type: 'ui-base', name: 'bench', path: '/dashboard', includeClientData: true, acceptsClientConfig: ['ui-notification', 'ui-control'], showPathInSidebar: false, navigationStyle: 'default' },
    { id: theme, type: 'ui-theme', name: 'default', colors: { surface: '#ffffff', primary: '#0094CE', bgPage: '#eeeeee', groupBg: '#ffffff', groupOutline: '#cccccc' }, sizes: { pagePadding: '12px', groupGap: '12px', groupBorderRadius: '4px', widgetGap: '12px' } },
    { id: page, type: 'ui-page', name: 'week', ui: base, path: '/week', layout: 'grid', theme, order: 1, className: '', visible: 'true', disabled: 'false' },
    { id: group, type: 'ui-group', name: 'oven', page, width: '12', height: '8', order: 1, showTitle: true, className: '', visible: 'true', disabled: 'false' },
    { id: 'chart', type: 'ui-chart', z: 'tab', group, name: '', label: 'oven', order: 1, chartType: 'line', category: 'oven', categoryType: 'str', xAxisProperty: 'x', xAxisPropertyType: 'property', xAxisType: 'time', xAxisFormatType: 'auto', xmin: '', xmax: '', yAxisProperty: 'y', yAxisPropertyType: 'property', ymin: '', ymax: '', action: 'append', stackSeries: false, pointShape: 'false', pointRadius: 0, showLegend: true, removeOlder: 8, removeOlderUnit: '86400', removeOlderPoints: '', colors: ['#0095FF'], textColor: ['#666666'], textColorDefault: true, gridColor: ['#e5e5e5'], gridColorDefault: true, width: 12, height: 8, className: '', interpolation: 'linear', wires: [[]] },
    { id: 'inj', type: 'inject', z: 'tab', props: [], repeat: '', crontab: '', once: true, onceDelay: 0.5, topic: '', wires: [['fn']] },
    { id: 'fn', type: 'function', z: 'tab', name: 'week', outputs: 1, wires: [['chart']], func: `const N = ${points}; const end = Date.now(); const out = new Array(N);
for (let i = 0; i < N; i++) out[i] = { x: end - N * 1000 + i * 1000, y: 180 + 20 * Math.sin(i / 3600) + 5 * Math.sin(i / 97) };
msg.payload = out; node.warn('BENCH_FED'); return msg;` },
  ];
}

/** Node-RED Dashboard 2.0: navigation to the week's line stroked on its canvas; undefined when it cannot be installed. */
async function nodeRedChart(context: BrowserContext, points: number): Promise<number | undefined> {
  let red: string;
  try {
    red = ensureNodeRedDashboard();
  } catch (err) {
    console.error(`  Node-RED Dashboard 2.0 not compared: ${(err as Error).message}`);
    return undefined;
  }
  let port = 0;
  let fed!: () => void;
  const ready = new Promise<void>((r) => { fed = r; });
  const { proc } = await startNodeRed(red, writeUserDir('dashboard-chart', nodeRedWeekFlow(points) as never), (line) => {
    const m = /Server now running at http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
    if (m) port = Number(m[1]);
    if (line.includes('BENCH_FED')) fed();
  });
  try {
    await ready;
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/dashboard/week`);
    await page.waitForFunction(() => (window as unknown as { __kaiwuBigStroke?: number }).__kaiwuBigStroke !== undefined, undefined, { timeout: 300_000, polling: 250 });
    const ms = await page.evaluate(() => (window as unknown as { __kaiwuBigStroke: number }).__kaiwuBigStroke);
    await page.close();
    return ms;
  } finally {
    await stopProcess(proc);
  }
}

/** Marks when a canvas strokes a long path (a chart's line): the same "on screen" for both dashboards. */
function markBigStrokes(): void {
  const proto = CanvasRenderingContext2D.prototype;
  let segments = 0;
  const lineTo = proto.lineTo;
  proto.lineTo = function (x: number, y: number) {
    segments++;
    return lineTo.call(this, x, y);
  };
  const stroke = proto.stroke as (this: CanvasRenderingContext2D, ...a: unknown[]) => void;
  proto.stroke = function (this: CanvasRenderingContext2D, ...a: unknown[]) {
    const w = window as unknown as { __kaiwuBigStroke?: number };
    if (segments > 300 && w.__kaiwuBigStroke === undefined) w.__kaiwuBigStroke = performance.now();
    segments = 0;
    return stroke.apply(this, a);
  } as typeof proto.stroke;
}

// ---------------------------------------------------------------------------------------------

function startChild(): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { cwd: ROOT, env: { ...process.env, KAIWU_DASH_BENCH_CHILD: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /url=(\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.on('exit', (code) => reject(new Error(`bench runtime exited with ${code}`)));
  });
}

async function browser(): Promise<{ context: BrowserContext; profile: string }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'kaiwu-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1920, height: 1080 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.addInitScript(markBigStrokes);
  return { context, profile };
}

async function freshLoad(page: Page, url: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await page.goto('about:blank');
  await page.goto(url);
}

/** Time from navigation to the week of history drawn in the chart (the widget marks it). */
async function chartWeek(page: Page, url: string): Promise<{ total: number; api: number; stroke: number }> {
  await freshLoad(page, `${url}/dashboard/?range=7d&lang=zh#/p/week`);
  await page.waitForFunction(() => performance.getEntriesByName('kaiwu-history-drawn').length > 0, undefined, { timeout: 30_000 });
  return page.evaluate(() => {
    const drawn = performance.getEntriesByName('kaiwu-history-drawn')[0]!.startTime;
    const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/series')).map((e) => (e as PerformanceResourceTiming).duration);
    return { total: drawn, api: Math.max(0, ...api), stroke: (window as unknown as { __kaiwuBigStroke?: number }).__kaiwuBigStroke ?? NaN };
  });
}

/** First contentful paint, and the first live data on screen, of the forty-widget page loaded cold. */
async function firstPaint(page: Page, url: string): Promise<{ paint: number; data: number }> {
  await freshLoad(page, `${url}/dashboard/?lang=zh#/p/forty`);
  await page.locator('.app-conn.is-live').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.w-gauge-value .w-number').length > 0 && Array.from(document.querySelectorAll('.w-gauge-value .w-number')).every((e) => e.textContent !== '—'));
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  const data = await page.evaluate(() => performance.now());
  return { paint, data };
}

/** CPU of the browser (all its processes) and of the runtime while the forty-widget page is open. */
async function cpuForty(page: Page, url: string, profile: string, runtimePid: number): Promise<{ browser: number; renderer: number; runtime: number; idleRuntime: number }> {
  // The runtime alone first (flows running, no page open): what the page adds is the rest.
  await page.goto('about:blank');
  await sleep(3_000);
  let r0 = cpuSeconds(runtimePid);
  let w0 = performance.now();
  await sleep(CPU_SECONDS * 500);
  const idleRuntime = ((cpuSeconds(runtimePid) - r0) / ((performance.now() - w0) / 1000)) * 100;

  await page.goto(`${url}/dashboard/?lang=zh#/p/forty`);
  await page.locator('.app-conn.is-live').waitFor();
  await sleep(5_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0);
  const pids = chromiumPids(profile);
  const b0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
  const t0 = await task();
  r0 = cpuSeconds(runtimePid);
  w0 = performance.now();
  await sleep(CPU_SECONDS * 1000);
  const wall = (performance.now() - w0) / 1000;
  const b1 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
  const t1 = await task();
  const r1 = cpuSeconds(runtimePid);
  await cdp.detach();
  return { browser: ((b1 - b0) / wall) * 100, renderer: ((t1 - t0) / wall) * 100, runtime: ((r1 - r0) / wall) * 100, idleRuntime };
}

function jsGzipKb(): { gzip: number; raw: number } {
  const assets = join(ROOT, 'dist', 'dashboard', 'assets');
  let gzip = 0;
  let raw = 0;
  for (const f of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
    const data = readFileSync(join(assets, f));
    raw += data.length;
    gzip += gzipSync(data, { level: 9 }).length;
  }
  return { gzip: gzip / 1024, raw: raw / 1024 };
}

export async function dashboardBench(): Promise<Record<string, string>> {
  if (!existsSync(join(ROOT, 'dist', 'dashboard', 'index.html'))) {
    const { buildDashboard } = await import(join(ROOT, 'scripts', 'build-dashboard.mjs')) as { buildDashboard: (o: { quiet: boolean }) => Promise<boolean> };
    await buildDashboard({ quiet: true });
  }
  const size = jsGzipKb();
  console.error(`  dashboard JS: ${size.raw.toFixed(0)} kB, ${size.gzip.toFixed(0)} kB gzipped`);
  const { proc, url } = await startChild();
  const { context, profile } = await browser();
  const results: Record<string, string> = {};
  try {
    const page = await context.newPage();
    const charts: { total: number; api: number; stroke: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await chartWeek(page, url);
      charts.push(r);
      console.error(`  chart 7d: ${r.total.toFixed(0)} ms (line stroked at ${r.stroke.toFixed(0)} ms, series API ${r.api.toFixed(0)} ms)`);
    }
    const paints: { paint: number; data: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await firstPaint(page, url);
      paints.push(r);
      console.error(`  first paint ${r.paint.toFixed(0)} ms, live data on screen ${r.data.toFixed(0)} ms`);
    }
    const cpu = await cpuForty(page, url, profile, proc.pid!);
    console.error(`  40 widgets at 1 Hz: browser ${cpu.browser.toFixed(1)} % (renderer main thread ${cpu.renderer.toFixed(1)} %), runtime ${cpu.runtime.toFixed(1)} % (${cpu.idleRuntime.toFixed(1)} % with no page open)`);
    results.chart_7d_ms = median(charts.map((c) => c.total)).toFixed(0);
    results.chart_7d_api_ms = median(charts.map((c) => c.api)).toFixed(0);
    results.chart_7d_points = String(WEEK_POINTS);
    results.browser_cpu_pct_40w = cpu.browser.toFixed(1);
    results.browser_main_thread_pct_40w = cpu.renderer.toFixed(1);
    results.runtime_cpu_pct_40w = cpu.runtime.toFixed(1);
    results.runtime_cpu_pct_no_page = cpu.idleRuntime.toFixed(1);
    results.first_paint_ms = median(paints.map((p) => p.paint)).toFixed(0);
    results.first_data_ms = median(paints.map((p) => p.data)).toFixed(0);
    results.dashboard_js_gzip_kb = size.gzip.toFixed(0);
    results.dashboard_js_kb = size.raw.toFixed(0);
    if (process.env.KAIWU_BENCH_PEERS !== '0') {
      const peer = await nodeRedChart(context, WEEK_POINTS);
      if (peer !== undefined) {
        console.error(`  Node-RED Dashboard 2.0 ${NR_DASHBOARD_VERSION}, same week: ${peer.toFixed(0)} ms`);
        results.nodered_dashboard_chart_7d_ms = peer.toFixed(0);
        // Against our own first stroke of the line: the same yardstick for both.
        results.chart_7d_speedup_vs_nodered = (peer / median(charts.map((c) => c.stroke))).toFixed(0);
      }
    }
  } finally {
    await context.close();
    proc.kill('SIGTERM');
  }
  for (const [k, v] of Object.entries(results)) console.log(`${k}=${v}`);
  return results;
}

if (process.env.KAIWU_DASH_BENCH_CHILD === '1') void child();
