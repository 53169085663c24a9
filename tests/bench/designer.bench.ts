// `npm run bench -- designer`: the designer's flow editor in Debian's Chromium (playwright-core),
// against Node-RED's editor opening the same 300-node flow in the same browser in the same run.
// Figures: the JavaScript the login and editor pages load before any rule is opened (gzipped),
// opening a 300-node flow until it is drawn and answers a click, frames per second while a node
// of it is dragged, and the time from a keystroke in an inspector field to the node's problem
// badge and the field's error showing. The machine is shared and noisy: medians of several runs,
// ours and the peer's alternating.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, DESIGNER_DIR, E2E_PASSWORD, launchChromium, requireBuiltDesigner, signIn, startE2eStudio } from '../e2e/helpers';
import { NODE_RED_VERSION, ensureNodeRed, startNodeRed, stopProcess } from './peers/node-red';
import { toNodeRed, writeEditorUserDir } from './peers/node-red-editor';
import { median } from './stats';

const RUNS = Number(process.env.RUNS ?? 5);
const DRAG_RUNS = Number(process.env.DRAG_RUNS ?? 5);
const DRAG_MS = Number(process.env.DRAG_MS ?? 2000);
const DRAG_STEPS = Number(process.env.DRAG_STEPS ?? 120);
const KEYSTROKES = Number(process.env.KEYSTROKES ?? 20);
const CHAINS = 60;
const NODES = CHAINS * 5;
const EDGES = CHAINS * 4;
const USER = 'bench';
const DRAFTS_KEY = 'kaiwu.designer.drafts';
/** Chunks that belong to the rule editor (Monaco and its workers): never before a rule is opened. */
const MONACO_CHUNK = /editor\.api|\.worker|rule-editor|monaco|tsMode|jsonMode|cssMode|htmlMode|lspLanguageFeatures/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type W = Window & Record<string, unknown>;

/**
 * The benchmark flow: 60 chains timer → rule → switch → change → debug (the engine benchmark's
 * chain), two chains a row, in the project's flow format.
 */
export function benchFlow300() {
  const nodes: { id: string; type: string; version: number; config: Record<string, unknown>; position: { x: number; y: number } }[] = [];
  const edges: { id: string; source: string; sourcePort: string; target: string; targetPort: string }[] = [];
  for (let c = 0; c < CHAINS; c++) {
    const x = 40 + (c % 2) * 1300;
    const y = 40 + Math.floor(c / 2) * 110;
    const chain = [
      { id: `timer${c}`, type: 'timer', config: { mode: 'interval', intervalMs: 3_600_000, payload: 20 } },
      { id: `c2f${c}`, type: 'rule', config: { code: 'msg.payload = msg.payload * 1.8 + 32;\nreturn msg;' } },
      { id: `sw${c}`, type: 'switch', config: { rules: [{ port: 'out', op: 'gt', value: 50 }] } },
      { id: `ch${c}`, type: 'change', config: { rules: [{ action: 'set', path: 'topic', value: 'alarm' }] } },
      { id: `dbg${c}`, type: 'debug', config: { active: false } },
    ];
    chain.forEach((n, k) => {
      nodes.push({ ...n, version: 1, position: { x: x + k * 250, y } });
      if (k > 0) edges.push({ id: `e${k}-${c}`, source: chain[k - 1]!.id, sourcePort: 'out', target: n.id, targetPort: 'in' });
    });
  }
  return { schemaVersion: 1, id: 'bench-300', name: { zh: '三百节点', en: 'Three hundred nodes' }, nodes, edges };
}

// ---------------------------------------------------------------------------------------------
// What each editor looks like in the DOM.

interface Side {
  readonly name: string;
  /** Whether the flow is drawn: every node and wire in the DOM, measured and shown. */
  drawn(args: { nodes: number; edges: number }): boolean;
  /** A node's element (its centre is clicked and dragged). */
  nodeSelector(id: string): string;
  /** Whether node `id` shows as selected. */
  selected(id: string): boolean;
  /** Where node `id` is, in flow coordinates (to check a drag moved it). */
  position(id: string): { x: number; y: number };
  /** The element and attribute that place node `id` (a changed value: the node moved on screen). */
  readonly placed: (id: string) => { selector: string; attribute: string };
}

const OURS: Side = {
  name: 'kaiwu',
  drawn({ nodes, edges }) {
    const els = document.querySelectorAll<HTMLElement>('.react-flow__node');
    if (els.length < nodes || document.querySelectorAll('.react-flow__edge path').length < edges) return false;
    // React Flow keeps a node hidden until it has measured it.
    for (const el of Array.from(els)) if (el.style.visibility === 'hidden') return false;
    return true;
  },
  nodeSelector: (id) => `.react-flow__node[data-id="${id}"]`,
  selected: (id) => document.querySelector(`.react-flow__node[data-id="${id}"]`)?.classList.contains('selected') === true,
  position(id) {
    const m = /translate\(([-\d.]+)px,\s*([-\d.]+)px\)/.exec((document.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement).style.transform);
    return { x: Number(m?.[1]), y: Number(m?.[2]) };
  },
  placed: (id) => ({ selector: `.react-flow__node[data-id="${id}"]`, attribute: 'style' }),
};

const NODE_RED: Side = {
  name: 'node-red',
  drawn({ nodes, edges }) {
    return document.querySelectorAll('#red-ui-workspace-chart g.red-ui-flow-node-group').length >= nodes
      && document.querySelectorAll('#red-ui-workspace-chart path.red-ui-flow-link-line').length >= edges;
  },
  nodeSelector: (id) => `#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"] rect.red-ui-flow-node`,
  selected: (id) => document.querySelector(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`)?.classList.contains('red-ui-flow-node-selected') === true,
  position(id) {
    const m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(document.querySelector(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`)!.getAttribute('transform') ?? '');
    return { x: Number(m?.[1]), y: Number(m?.[2]) };
  },
  placed: (id) => ({ selector: `#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`, attribute: 'transform' }),
};

/** A function's source as an expression the page can call (object methods become functions). */
function inPage(fn: (...a: never[]) => unknown): string {
  return `(${fn.toString().replace(/^(?:async\s+)?(\w+)\(/, 'function $1(')})`;
}

async function sideCall<R>(page: Page, side: Side, method: 'drawn' | 'selected' | 'position', arg: unknown): Promise<R> {
  return page.evaluate(`${inPage(side[method])}(${JSON.stringify(arg)})`) as Promise<R>;
}

/**
 * Calls `fn(arg)` in the page at every animation frame until it answers truthy; resolves with
 * `performance.now()` of that frame. (Evaluated through the DevTools protocol: the designer's
 * CSP forbids the eval Playwright's waitForFunction uses.)
 */
async function untilFrame(page: Page, fn: (...a: never[]) => unknown, arg: unknown, timeoutMs = 120_000): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const fn = ${inPage(fn)};
    const t0 = performance.now();
    const next = () => {
      try {
        if (fn(${JSON.stringify(arg ?? null)})) return resolve(performance.now());
        if (performance.now() - t0 > ${timeoutMs}) return reject(new Error('timed out after ${timeoutMs} ms: ' + ${JSON.stringify(fn.name)}));
        requestAnimationFrame(next);
      } catch (err) {
        reject(err);
      }
    };
    next();
  })`) as Promise<number>;
}

/** The centre of node `id` on screen, one frame after now (so a pending fit-to-view has been applied). */
async function nodeCentre(page: Page, side: Side, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate(async (selector) => {
    await new Promise((r) => requestAnimationFrame(r));
    const el = document.querySelector(selector);
    if (!el) throw new Error(`no ${selector}`);
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, side.nodeSelector(id));
}

/**
 * From the navigation (or action) that opens the flow, in the page's clock: `drawn`, the first
 * frame with every node and wire drawn; `interactive`, when a click on a node (one frame after
 * drawn) has selected it on screen.
 */
async function drawnAndInteractive(page: Page, side: Side, clickId: string): Promise<{ drawn: number; interactive: number }> {
  const drawn = await untilFrame(page, side.drawn, { nodes: NODES, edges: EDGES });
  for (let attempt = 0; ; attempt++) {
    const at = await nodeCentre(page, side, clickId);
    await page.mouse.click(at.x, at.y);
    try {
      const interactive = await untilFrame(page, side.selected, clickId, 5_000);
      return { drawn, interactive };
    } catch (err) {
      // The view moved under the click (a late fit): click again, the time keeps running.
      if (attempt >= 3) throw err;
      console.error(`  ${side.name}: click on ${clickId} did not select it, again`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Our side.

/** Puts the flow in the browser's drafts from a page that does not hold the editor, so nothing overwrites it. */
async function setDrafts(page: Page, url: string, flows: unknown[]): Promise<void> {
  await page.bringToFront();
  await page.goto(`${url}/`);
  await page.locator('header.topbar').waitFor();
  await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [DRAFTS_KEY, JSON.stringify({ flows })]);
}

/** Navigation to /editor with the 300-node flow in the drafts (the editor's open path) until drawn and answering. */
async function openOurs(page: Page, url: string, flow: unknown): Promise<{ drawn: number; interactive: number }> {
  await setDrafts(page, url, [flow]);
  await page.goto(`${url}/editor`, { waitUntil: 'commit' });
  return drawnAndInteractive(page, OURS, 'sw2');
}

/** The toolbar's "import" (a file chosen) in an open editor, until drawn and answering; from the input's change event. */
async function importOurs(page: Page, url: string, flow: unknown): Promise<{ drawn: number; interactive: number }> {
  await setDrafts(page, url, []);
  await page.goto(`${url}/editor`);
  await page.locator('.react-flow__pane').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as W;
    document.addEventListener('change', (e) => {
      if ((e.target as HTMLInputElement).type === 'file') w.__benchImport = performance.now();
    }, { capture: true, once: true });
  });
  await page.locator('.toolbar input[type="file"]').setInputFiles({ name: 'bench-300.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(flow)) });
  const r = await drawnAndInteractive(page, OURS, 'sw2');
  const t0 = await page.evaluate(() => (window as unknown as W).__benchImport as number);
  return { drawn: r.drawn - t0, interactive: r.interactive - t0 };
}

/** Navigation to Node-RED's editor (its flows file holds the 300 nodes) until drawn and answering. */
async function openNodeRed(page: Page, url: string): Promise<{ drawn: number; interactive: number }> {
  await page.bringToFront();
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  return drawnAndInteractive(page, NODE_RED, 'sw2');
}

interface Drag {
  readonly fps: number;
  readonly worstFrameMs: number;
  readonly p95FrameMs: number;
  /** Frames a second in which the dragged node had moved. */
  readonly movedFps: number;
  readonly moves: number;
  readonly ms: number;
}

/** Presses on node `id` and moves the mouse in small steps for DRAG_MS; frames counted with requestAnimationFrame in the page. */
async function drag(page: Page, side: Side, id: string, dx: number, dy: number): Promise<Drag> {
  await page.bringToFront();
  const before = await sideCall<{ x: number; y: number }>(page, side, 'position', id);
  const at = await nodeCentre(page, side, id);
  await page.mouse.move(at.x, at.y);
  await page.evaluate(({ selector, attribute }) => {
    const w = window as unknown as W;
    const frames: number[] = [];
    const placedNow = () => document.querySelector(selector)?.getAttribute(attribute) ?? null;
    let placed = placedNow();
    w.__benchFrames = frames;
    w.__benchMoved = 0;
    w.__benchCounting = true;
    const loop = (t: number) => {
      if (!w.__benchCounting) return;
      frames.push(t);
      // Frames in which the node is somewhere new: what the eye sees move.
      const now = placedNow();
      if (now !== placed) (w.__benchMoved as number)++;
      placed = now;
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }, side.placed(id));
  await page.mouse.down();
  const t0 = performance.now();
  for (let i = 1; i <= DRAG_STEPS; i++) {
    await page.mouse.move(at.x + (dx * i) / DRAG_STEPS, at.y + (dy * i) / DRAG_STEPS);
    const wait = t0 + (i * DRAG_MS) / DRAG_STEPS - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await page.mouse.up();
  const ms = performance.now() - t0;
  const { frames, moved } = await page.evaluate(() => {
    const w = window as unknown as W;
    w.__benchCounting = false;
    return { frames: w.__benchFrames as number[], moved: w.__benchMoved as number };
  });
  const after = await sideCall<{ x: number; y: number }>(page, side, 'position', id);
  if (Math.abs(after.x - before.x) + Math.abs(after.y - before.y) < 5) throw new Error(`${side.name}: node ${id} did not move (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  return {
    fps: ((frames.length - 1) * 1000) / (frames.at(-1)! - frames[0]!),
    worstFrameMs: gaps.at(-1) ?? NaN,
    p95FrameMs: gaps[Math.floor(gaps.length * 0.95)] ?? NaN,
    movedFps: (moved * 1000) / (frames.at(-1)! - frames[0]!),
    moves: DRAG_STEPS,
    ms,
  };
}

/** Frames per second of the page doing nothing (the ceiling a drag can reach here). */
async function idleFps(page: Page): Promise<number> {
  await page.bringToFront();
  return page.evaluate(() => new Promise<number>((resolve) => {
    const frames: number[] = [];
    const loop = (t: number) => {
      frames.push(t);
      if (t - frames[0]! < 1000) requestAnimationFrame(loop);
      else resolve(((frames.length - 1) * 1000) / (t - frames[0]!));
    };
    requestAnimationFrame(loop);
  }));
}

/**
 * Keystrokes in a timer's interval field (shown as "1" hour): "-" at the front makes it −1 h,
 * below the schema's minimum of 10 ms; Backspace makes it valid again. Each is timed from the
 * keydown event to the frame after the node's problem badge on the canvas and the field's error
 * in the inspector have both appeared (or both gone).
 */
async function revalidate(page: Page): Promise<{ frame: number[]; dom: number[]; validate: number[] }> {
  const id = 'timer3';
  await page.bringToFront();
  const at = await nodeCentre(page, OURS, id);
  await page.mouse.click(at.x, at.y);
  const input = page.locator(`.inspector[data-node="${id}"] #f-${id}-intervalMs`);
  await input.waitFor();
  await input.click();
  await page.keyboard.press('Home');
  await page.evaluate(() => {
    const w = window as unknown as W;
    document.addEventListener('keydown', (e) => { w.__benchKey = e.timeStamp; }, { capture: true });
  });
  const frame: number[] = [];
  const dom: number[] = [];
  const validate: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const invalid = i % 2 === 0;
    await page.evaluate(({ id, invalid }) => {
      const w = window as unknown as W;
      w.__benchDone = undefined;
      performance.clearMeasures('kaiwu-validate');
      const shown = () => {
        const badge = document.querySelector(`.react-flow__node[data-id="${id}"] .problem-badge`);
        const error = document.querySelector('.inspector [data-field="intervalMs"] .field-error');
        return invalid ? !!badge && !!error : !badge && !error;
      };
      const observer = new MutationObserver(() => {
        if (!shown()) return;
        observer.disconnect();
        const at = performance.now();
        requestAnimationFrame(() => {
          w.__benchDone = { key: w.__benchKey, dom: at, frame: performance.now(), validate: performance.getEntriesByName('kaiwu-validate').map((m) => m.duration) };
        });
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    }, { id, invalid });
    await page.keyboard.press(invalid ? 'Minus' : 'Backspace');
    await untilFrame(page, () => (window as unknown as W).__benchDone, null, 10_000);
    const done = await page.evaluate(() => (window as unknown as W).__benchDone as { key: number; dom: number; frame: number; validate: number[] });
    frame.push(done.frame - done.key);
    dom.push(done.dom - done.key);
    validate.push(done.validate.reduce((a, b) => a + b, 0));
    // A person types a few keys a second.
    await sleep(150);
  }
  return { frame, dom, validate };
}

// ---------------------------------------------------------------------------------------------
// Initial JavaScript.

interface Loaded {
  readonly gzipKb: number;
  readonly wireKb: number;
  readonly rawKb: number;
  readonly chunks: number;
  readonly encodings: string;
  readonly monaco: string[];
}

/** The scripts a page has loaded so far (resource timing), with their content encodings from the responses. */
async function loadedScripts(page: Page, encodings: Map<string, string>): Promise<{ path: string; url: string; wire: number; raw: number; encoding: string }[]> {
  const entries = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .filter((e) => /\.js(\?|$)/.test(e.name) || e.initiatorType === 'script')
    .map((e) => ({ url: e.name, wire: e.encodedBodySize, raw: e.decodedBodySize })));
  return entries.map((e) => ({ ...e, path: new URL(e.url).pathname, encoding: encodings.get(e.url) ?? 'identity' }));
}

/** A cold load (empty cache, signed out) of /editor: the login page, sign in, the editor with its palette. */
async function initialJs(context: BrowserContext, url: string, appDir: string): Promise<Loaded> {
  await context.clearCookies();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  const encodings = new Map<string, string>();
  page.on('response', (r) => encodings.set(r.url(), r.headers()['content-encoding'] ?? 'identity'));
  await signIn(page, url, USER, E2E_PASSWORD, '/editor');
  await page.locator('.palette-item[data-type="timer"]').waitFor();
  await page.locator('.react-flow__pane').waitFor();
  await page.waitForLoadState('networkidle');
  const scripts = await loadedScripts(page, encodings);
  await page.close();
  let gzip = 0;
  for (const s of scripts) {
    // What the studio sends a browser taking gzip: the precompressed .gz beside each asset.
    const file = join(appDir, s.path);
    gzip += existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : gzipSync(readFileSync(file), { level: 9 }).length;
  }
  return {
    gzipKb: gzip / 1024,
    wireKb: scripts.reduce((a, s) => a + s.wire, 0) / 1024,
    rawKb: scripts.reduce((a, s) => a + s.raw, 0) / 1024,
    chunks: scripts.length,
    encodings: [...new Set(scripts.map((s) => s.encoding))].join('+'),
    monaco: scripts.map((s) => s.path).filter((p) => MONACO_CHUNK.test(p)),
  };
}

/** The same for Node-RED's editor: its scripts gzipped here (Node-RED sends them uncompressed). */
async function nodeRedInitialJs(context: BrowserContext, url: string): Promise<{ gzipKb: number; rawKb: number; chunks: number }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  const bodies = new Map<string, Promise<Buffer>>();
  page.on('response', (r) => {
    // Page scripts only: Monaco's web workers, which it may start a moment later, are left out.
    if (r.request().resourceType() === 'script') bodies.set(r.url(), r.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url);
  await untilFrame(page, NODE_RED.drawn, { nodes: NODES, edges: EDGES });
  await page.waitForLoadState('networkidle');
  await page.close();
  let gzip = 0;
  let raw = 0;
  for (const body of bodies.values()) {
    const b = await body;
    raw += b.length;
    gzip += gzipSync(b, { level: 9 }).length;
  }
  return { gzipKb: gzip / 1024, rawKb: raw / 1024, chunks: bodies.size };
}

// ---------------------------------------------------------------------------------------------

function chromiumVersion(): string {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return r.stdout?.trim().replace(/^Chromium\s+/, '').split(/\s+/)[0] ?? 'unknown';
}

export async function designerBench(): Promise<Record<string, string>> {
  const flow = benchFlow300();
  const results: Record<string, string> = {};
  const put = (key: string, xs: readonly number[], digits = 0) => {
    const m = median(xs);
    results[key] = m.toFixed(digits);
    console.error(`  ${key}: median ${m.toFixed(digits)} [${xs.map((x) => x.toFixed(digits)).join(', ')}]`);
    return m;
  };
  console.error(`  Chromium ${chromiumVersion()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);

  // A copy of the built designer: other work may rebuild dist/designer while this runs.
  requireBuiltDesigner();
  const appDir = mkdtempSync(join(tmpdir(), 'kaiwu-bench-designer-'));
  cpSync(process.env.KAIWU_BENCH_DESIGNER_DIR ?? DESIGNER_DIR, appDir, { recursive: true });
  const entry = /src="\/(assets\/[^"]+\.js)"/.exec(readFileSync(join(appDir, 'index.html'), 'utf8'))?.[1];
  if (!entry || !existsSync(join(appDir, entry))) throw new Error('dist/designer is half built (another build running?): run npm run build and try again');
  const studio = await startE2eStudio({ designerDir: appDir });
  await studio.user(USER, 'contractor');
  const peers = process.env.KAIWU_BENCH_PEERS !== '0';
  let red: Awaited<ReturnType<typeof startNodeRed>> | undefined;
  let redUrl = '';
  if (peers) {
    const dir = writeEditorUserDir('designer-editor', toNodeRed(flow));
    red = await startNodeRed(ensureNodeRed(), dir, (line) => {
      const m = /Server now running at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) redUrl = m[1]!;
    });
    // Its "Server now running" line may come after the line startNodeRed waits for.
    for (let i = 0; i < 100 && !redUrl; i++) await new Promise((r) => setTimeout(r, 100));
    if (!redUrl) {
      await stopProcess(red.proc);
      throw new Error('Node-RED did not say where it listens');
    }
  }
  const context = await launchChromium();
  // The TypeScript loader names inner functions with a helper (__name) the page lacks.
  await context.addInitScript('globalThis.__name ??= (f) => f;');
  try {
    // Initial JavaScript, cold (three loads; the sizes do not change between them, the check does).
    const loads: Loaded[] = [];
    for (let i = 0; i < 3; i++) loads.push(await initialJs(context, studio.url, appDir));
    const js = loads[0]!;
    if (loads.some((l) => l.monaco.length > 0)) throw new Error(`Monaco loaded before a rule was opened: ${loads.flatMap((l) => l.monaco).join(', ')}`);
    console.error(`  initial JS: ${js.chunks} scripts, ${js.rawKb.toFixed(0)} kB, ${js.gzipKb.toFixed(1)} kB gzipped, ${js.wireKb.toFixed(1)} kB on the wire (${js.encodings}), no Monaco chunk`);
    results.initial_js_gzip_kb = js.gzipKb.toFixed(1);
    results.initial_js_kb = js.rawKb.toFixed(0);
    results.initial_js_wire_kb = `${js.wireKb.toFixed(1)} (${js.encodings})`;
    results.initial_js_scripts = String(js.chunks);
    results.initial_js_monaco_scripts = '0';

    // Signed in from here on (the last cold load left its session cookie).
    const ours = await context.newPage();
    const theirs = peers ? await context.newPage() : undefined;
    // Warm-up: each editor once, so both open from a warm HTTP cache as on a second visit.
    await openOurs(ours, studio.url, flow);
    if (theirs) await openNodeRed(theirs, redUrl);
    const open: { drawn: number; interactive: number }[] = [];
    const redOpen: { drawn: number; interactive: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      open.push(await openOurs(ours, studio.url, flow));
      if (theirs) redOpen.push(await openNodeRed(theirs, redUrl));
      console.error(`  open run ${r + 1}: kaiwu drawn ${open.at(-1)!.drawn.toFixed(0)} ms, interactive ${open.at(-1)!.interactive.toFixed(0)} ms${theirs ? `; node-red drawn ${redOpen.at(-1)!.drawn.toFixed(0)} ms, interactive ${redOpen.at(-1)!.interactive.toFixed(0)} ms` : ''}`);
    }
    const imports: { drawn: number; interactive: number }[] = [];
    for (let r = 0; r < RUNS; r++) imports.push(await importOurs(ours, studio.url, flow));
    console.error(`  import runs: ${imports.map((i) => `${i.drawn.toFixed(0)}/${i.interactive.toFixed(0)}`).join(', ')} ms (drawn/interactive)`);

    // Drag, then revalidation, in a freshly opened editor (and the peer's freshly opened too).
    await openOurs(ours, studio.url, flow);
    if (theirs) await openNodeRed(theirs, redUrl);
    const idle = await idleFps(ours);
    const zoom = await ours.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
    const onScreen = await ours.evaluate(() => {
      const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll('.react-flow__node')).filter((el) => {
        const r = el.getBoundingClientRect();
        return r.right > pane.left && r.left < pane.right && r.bottom > pane.top && r.top < pane.bottom;
      }).length;
    });
    console.error(`  kaiwu opens the flow fitted: zoom ${zoom.toFixed(2)}, ${onScreen} nodes on screen`);
    results.kaiwu_view = `zoom ${zoom.toFixed(2)}, ${onScreen} nodes on screen`;
    if (theirs) {
      const redOnScreen = await theirs.evaluate(() => {
        const pane = document.querySelector('#red-ui-workspace-chart')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('#red-ui-workspace-chart g.red-ui-flow-node-group')).filter((el) => {
          const r = el.getBoundingClientRect();
          return r.right > pane.left && r.left < pane.right && r.bottom > pane.top && r.top < pane.bottom;
        }).length;
      });
      console.error(`  node-red opens the flow at 100 %: ${redOnScreen} nodes on screen`);
      results.nodered_view = `zoom 1.00, ${redOnScreen} nodes on screen`;
    }
    const drags: Drag[] = [];
    const redDrags: Drag[] = [];
    for (let r = 0; r < DRAG_RUNS; r++) {
      const sign = r % 2 === 0 ? 1 : -1;
      drags.push(await drag(ours, OURS, 'sw4', 240 * sign, 60 * sign));
      if (theirs) redDrags.push(await drag(theirs, NODE_RED, 'sw4', 240 * sign, 60 * sign));
      const d = drags.at(-1)!;
      const n = redDrags.at(-1);
      console.error(`  drag run ${r + 1}: kaiwu ${d.fps.toFixed(1)} fps, node moved in ${d.movedFps.toFixed(1)}/s (worst frame ${d.worstFrameMs.toFixed(0)} ms, p95 ${d.p95FrameMs.toFixed(0)} ms, ${d.moves} moves in ${d.ms.toFixed(0)} ms)${n ? `; node-red ${n.fps.toFixed(1)} fps, node moved in ${n.movedFps.toFixed(1)}/s (worst ${n.worstFrameMs.toFixed(0)} ms, p95 ${n.p95FrameMs.toFixed(0)} ms, ${n.ms.toFixed(0)} ms)` : ''}`);
    }
    const reval = await revalidate(ours);

    put('open_300_nodes_ms', open.map((o) => o.interactive));
    put('open_300_nodes_drawn_ms', open.map((o) => o.drawn));
    put('open_300_nodes_import_ms', imports.map((o) => o.interactive));
    put('drag_fps', drags.map((d) => d.fps), 1);
    put('drag_moved_frames_per_s', drags.map((d) => d.movedFps), 1);
    put('drag_worst_frame_ms', drags.map((d) => d.worstFrameMs));
    put('drag_p95_frame_ms', drags.map((d) => d.p95FrameMs));
    put('idle_fps', [idle], 1);
    put('revalidate_ms', reval.frame, 1);
    put('revalidate_dom_ms', reval.dom, 1);
    put('revalidate_validate_flow_ms', reval.validate, 1);
    results.revalidate_max_ms = Math.max(...reval.frame).toFixed(1);
    if (theirs) {
      const nOpen = put('nodered_open_300_nodes_ms', redOpen.map((o) => o.interactive));
      put('nodered_open_300_nodes_drawn_ms', redOpen.map((o) => o.drawn));
      const nFps = put('nodered_drag_fps', redDrags.map((d) => d.fps), 1);
      put('nodered_drag_moved_frames_per_s', redDrags.map((d) => d.movedFps), 1);
      put('nodered_drag_worst_frame_ms', redDrags.map((d) => d.worstFrameMs));
      results.open_nodered_over_kaiwu = (nOpen / median(open.map((o) => o.interactive))).toFixed(2);
      results.drag_fps_kaiwu_over_nodered = (median(drags.map((d) => d.fps)) / nFps).toFixed(2);
      results.drag_moved_kaiwu_over_nodered = (median(drags.map((d) => d.movedFps)) / median(redDrags.map((d) => d.movedFps))).toFixed(2);
      const redJs = await nodeRedInitialJs(context, redUrl);
      console.error(`  Node-RED ${NODE_RED_VERSION} editor JS: ${redJs.chunks} scripts, ${redJs.rawKb.toFixed(0)} kB, ${redJs.gzipKb.toFixed(1)} kB gzipped`);
      results.nodered_initial_js_gzip_kb = redJs.gzipKb.toFixed(1);
      results.nodered_version = NODE_RED_VERSION;
    }
    results.flow_nodes = String(NODES);
    results.flow_edges = String(EDGES);
    results.viewport = '1366x768';
    results.chromium = chromiumVersion();
    results.runs = `${RUNS} open, ${DRAG_RUNS} drag, ${KEYSTROKES} keystrokes`;
    results.load_avg_1m = os.loadavg()[0]!.toFixed(2);
  } finally {
    await context.close();
    if (red) await stopProcess(red.proc);
    await studio.close();
    rmSync(appDir, { recursive: true, force: true });
  }
  for (const [k, v] of Object.entries(results)) console.log(`${k}=${v}`);
  return results;
}
