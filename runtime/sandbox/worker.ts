import { parentPort, workerData } from 'node:worker_threads';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import type { RuleLimits } from '../../nodes/sdk';
import { GUEST_DRIVER } from './guest-driver';
import type { CompileError, FailureKind, HostToWorker, WorkerToHost, WorkerStart } from './protocol';
import { compileQuickjsModule } from './wasm-module';

// A sandbox runs at most this long before handing control back, so deadlines are per call.
const SLICE_MS = 5;
// WASM memory the module needs besides QuickJS's own heap (static data, stack).
const RESERVE_MB = 10;
const STACK_BYTES = 256 * 1024;
const ALIVE_EVERY_MS = 100;
const MB = 1024 * 1024;
const MAX_DEADLINE_FAULTS = 3;

const port = parentPort!;
// Compiled once by the pool and shared by its workers; compiled here when started without it.
const wasmModule = (workerData as WorkerStart | null)?.wasmModule ?? compileQuickjsModule();

interface Guest {
  readonly rt: QuickJSRuntime;
  readonly ctx: QuickJSContext;
  readonly memory: WebAssembly.Memory;
  readonly fns: Record<'run' | 'resume' | 'progress' | 'exhausted' | 'finish' | 'payloads' | 'takeState', QuickJSHandle>;
  deadline: number;
}

interface Entry {
  readonly sid: number;
  readonly code: string;
  readonly ports: readonly string[];
  readonly limits: RuleLimits;
  state: string | null;
  guest: Guest | undefined;
}

const entries = new Map<number, Entry>();
let lastAlive = 0;

function post(msg: WorkerToHost) {
  port.postMessage(msg);
}

function alive() {
  const now = Date.now();
  if (now - lastAlive >= ALIVE_EVERY_MS) {
    lastAlive = now;
    post({ op: 'alive' });
  }
}

function dumpError(ctx: QuickJSContext, handle: QuickJSHandle): { name: string; message: string; stack: string; lineNumber?: number } {
  try {
    const e = ctx.dump(handle) as unknown;
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      return { name: String(o.name ?? 'Error'), message: String(o.message ?? ''), stack: String(o.stack ?? ''), ...(typeof o.lineNumber === 'number' ? { lineNumber: o.lineNumber } : {}) };
    }
    return { name: 'Error', message: String(e), stack: '' };
  } catch {
    return { name: 'InternalError', message: 'out of memory', stack: '' };
  } finally {
    handle.dispose();
  }
}

function disposeGuest(guest: Guest | undefined) {
  if (!guest) return;
  try {
    for (const h of Object.values(guest.fns)) h.dispose();
    guest.ctx.dispose();
    guest.rt.dispose();
  } catch {
    // A crashed instance cannot be disposed cleanly; dropping it frees its memory.
  }
}

async function buildGuest(entry: Entry): Promise<{ guest?: Guest; error?: CompileError }> {
  const { limits } = entry;
  const memory = new WebAssembly.Memory({ initial: 256, maximum: Math.max(limits.memoryMb, 24) * 16 });
  const module = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule, wasmMemory: memory }));
  const rt = module.newRuntime();
  rt.setMemoryLimit(Math.max(limits.memoryMb - RESERVE_MB, 8) * MB);
  rt.setMaxStackSize(STACK_BYTES);
  const ctx = rt.newContext();
  const partial = { rt, ctx, memory, deadline: Date.now() + limits.hardLimitMs / 2 } as Guest;
  rt.setInterruptHandler(() => Date.now() > partial.deadline);
  const fail = (error: CompileError) => {
    try { ctx.dispose(); rt.dispose(); } catch { /* see disposeGuest */ }
    return { error };
  };

  const driverResult = ctx.evalCode(GUEST_DRIVER, 'driver.js');
  if (driverResult.error) return fail({ message: `sandbox driver failed: ${dumpError(ctx, driverResult.error).message}` });
  const driver = driverResult.value;
  const get = (name: string) => ctx.getProp(driver, name);
  const fns = { run: get('run'), resume: get('resume'), progress: get('progress'), exhausted: get('exhausted'), finish: get('finish'), payloads: get('payloads'), takeState: get('takeState') };
  const install = get('install');
  driver.dispose();

  const compiled = ctx.evalCode(`(function (msg, state, log) {\n${entry.code}\n})`, 'rule.js');
  if (compiled.error) {
    const e = dumpError(ctx, compiled.error);
    install.dispose();
    for (const h of Object.values(fns)) h.dispose();
    const where = /rule\.js:(\d+):(\d+)/.exec(e.stack);
    const line = where ? Number(where[1]) - 1 : e.lineNumber !== undefined ? e.lineNumber - 1 : undefined;
    const column = where ? Number(where[2]) : undefined;
    const error: CompileError = { message: `${e.name}: ${e.message}` };
    if (line !== undefined) Object.assign(error, { line: Math.max(1, line) });
    if (column !== undefined) Object.assign(error, { column });
    return fail(error);
  }
  const fn = compiled.value;
  if (ctx.typeof(fn) !== 'function') {
    fn.dispose();
    install.dispose();
    for (const h of Object.values(fns)) h.dispose();
    return fail({ message: 'SyntaxError: the rule must be the body of a function' });
  }
  const args = [fn, ctx.newString(JSON.stringify(entry.ports)), entry.state === null ? ctx.null : ctx.newString(entry.state), ctx.newNumber(SLICE_MS)];
  const installed = ctx.callFunction(install, ctx.undefined, ...args);
  for (const a of args) if (a !== ctx.null) a.dispose();
  install.dispose();
  if (installed.error) {
    const e = dumpError(ctx, installed.error);
    for (const h of Object.values(fns)) h.dispose();
    return fail({ message: `could not restore the rule's state: ${e.message}` });
  }
  installed.value.dispose();
  return { guest: Object.assign(partial, { fns }) };
}

function callNumber(guest: Guest, fn: QuickJSHandle, ...args: (string | number | ArrayBuffer)[]): { value?: number; error?: ReturnType<typeof dumpError> } {
  const { ctx } = guest;
  const handles = args.map((a) => (typeof a === 'string' ? ctx.newString(a) : typeof a === 'number' ? ctx.newNumber(a) : ctx.newArrayBuffer(a)));
  const r = ctx.callFunction(fn, ctx.undefined, ...handles);
  for (const h of handles) h.dispose();
  if (r.error) return { error: dumpError(ctx, r.error) };
  const value = ctx.getNumber(r.value);
  r.value.dispose();
  return { value };
}

function callString(guest: Guest, fn: QuickJSHandle): string | null {
  const { ctx } = guest;
  const r = ctx.callFunction(fn, ctx.undefined);
  if (r.error) throw new Error(dumpError(ctx, r.error).message);
  const out = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : null;
  r.value.dispose();
  return out;
}

/** The guest's float64 output payloads, copied out of WASM memory. */
function takePayloads(guest: Guest): ArrayBuffer | null {
  const { ctx } = guest;
  const r = ctx.callFunction(guest.fns.payloads, ctx.undefined);
  if (r.error) throw new Error(dumpError(ctx, r.error).message);
  if (ctx.typeof(r.value) !== 'object') {
    r.value.dispose();
    return null;
  }
  const view = ctx.getArrayBuffer(r.value);
  r.value.dispose();
  const copy = view.value.slice().buffer;
  view.dispose();
  return copy;
}

function isOutOfMemory(e: { message: string }) {
  return e.message === 'out of memory' || e.message === '';
}

async function runBatch(entry: Entry, rid: number, input: string, inputPayloads: ArrayBuffer | null, count: number) {
  const hostFailures: [number, FailureKind, string][] = [];
  const failRange = (from: number, to: number, kind: FailureKind, text: string) => {
    for (let i = from; i < to; i++) hostFailures.push([i, kind, text]);
  };
  const reply = (body: string | null, state: string | null, recycled?: string, payloads: ArrayBuffer | null = null) => {
    const msg: WorkerToHost = { op: 'result', rid, body, payloads, hostFailures, state, ...(recycled === undefined ? {} : { recycled }) };
    port.postMessage(msg, payloads ? [payloads] : []);
  };
  const rebuild = async (why: string) => {
    disposeGuest(entry.guest);
    entry.guest = (await buildGuest(entry)).guest;
    return why;
  };

  let guest = entry.guest;
  let recycled: string | undefined;
  if (!guest) {
    recycled = await rebuild('rebuilt');
    guest = entry.guest;
    if (!guest) {
      failRange(0, count, 'crash', 'the sandbox could not be rebuilt');
      return reply(null, null, recycled);
    }
  }

  let from = 0;
  let fresh = true;
  let deadlineFaults = 0;
  for (;;) {
    guest.deadline = Date.now() + SLICE_MS + entry.limits.deadlineMs;
    let result: ReturnType<typeof callNumber>;
    try {
      result = fresh
        ? inputPayloads ? callNumber(guest, guest.fns.run, input, from, inputPayloads) : callNumber(guest, guest.fns.run, input, from)
        : callNumber(guest, guest.fns.resume, from);
      fresh = false;
    } catch (err) {
      // The WASM instance trapped (e.g. the host stack ran out): nothing of it can be trusted.
      const why = err instanceof Error ? err.message : String(err);
      failRange(0, count, 'crash', `the sandbox crashed (${why}); this batch's output was lost`);
      return reply(null, null, await rebuild(`crashed: ${why}`));
    }
    alive();
    if (result.error) {
      const at = callNumber(guest, guest.fns.progress).value ?? from;
      if (result.error.message === 'interrupted') {
        hostFailures.push([at, 'deadline', `deadline exceeded: the rule ran longer than ${entry.limits.deadlineMs} ms`]);
        if (++deadlineFaults >= MAX_DEADLINE_FAULTS) {
          failRange(at + 1, count, 'suspended', `not run: ${deadlineFaults} messages of this batch exceeded the deadline`);
          break;
        }
        from = at + 1;
        if (from >= count) break;
        continue;
      }
      // Out of memory or an error that escaped the driver: keep what came before, then start clean.
      const kind: FailureKind = isOutOfMemory(result.error) ? 'memory' : 'crash';
      const text = kind === 'memory' ? `out of memory: the rule exceeded its ${entry.limits.memoryMb} MB cap` : `${result.error.name}: ${result.error.message}`;
      hostFailures.push([at, kind, text]);
      failRange(at + 1, count, 'suspended', 'not run: the sandbox was reset during this batch');
      let salvaged: { body: string | null; payloads: ArrayBuffer | null } = { body: null, payloads: null };
      try {
        const body = callString(guest, guest.fns.finish);
        salvaged = { body, payloads: takePayloads(guest) };
      } catch {
        failRange(0, at, 'crash', 'output lost: the sandbox was reset');
      }
      return reply(salvaged.body, null, await rebuild(text), salvaged.payloads);
    }
    if (result.value === 1) break;
    from = callNumber(guest, guest.fns.progress).value ?? count;
  }

  let body: string | null;
  let state: string | null;
  let payloads: ArrayBuffer | null;
  try {
    body = callString(guest, guest.fns.finish);
    payloads = takePayloads(guest);
    state = callString(guest, guest.fns.takeState);
    if (state !== null) entry.state = state;
  } catch (err) {
    failRange(0, count, 'crash', `could not collect the batch: ${err instanceof Error ? err.message : String(err)}`);
    return reply(null, null, await rebuild('collect failed'));
  }
  if (callNumber(guest, guest.fns.exhausted).value === 1) recycled = await rebuild('out of memory');
  // WASM memory never shrinks: start over before the cap is reached.
  else if (guest.memory.buffer.byteLength >= Math.max(entry.limits.memoryMb, 24) * MB * 0.9) recycled = await rebuild('memory high-water mark');
  return reply(body, state, recycled, payloads);
}

async function handle(msg: HostToWorker) {
  switch (msg.op) {
    case 'create': {
      const entry: Entry = { sid: msg.sid, code: msg.code, ports: msg.ports, limits: msg.limits, state: msg.state, guest: undefined };
      const built = await buildGuest(entry);
      if (built.error) return post({ op: 'created', sid: msg.sid, error: built.error });
      entry.guest = built.guest;
      entries.set(msg.sid, entry);
      return post({ op: 'created', sid: msg.sid });
    }
    case 'run': {
      const entry = entries.get(msg.sid);
      if (!entry) return post({ op: 'result', rid: msg.rid, body: null, payloads: null, hostFailures: [[0, 'crash', 'unknown sandbox']], state: null });
      return runBatch(entry, msg.rid, msg.input, msg.payloads, msg.count);
    }
    case 'dispose': {
      const entry = entries.get(msg.sid);
      entries.delete(msg.sid);
      disposeGuest(entry?.guest);
      return undefined;
    }
  }
}

let chain = Promise.resolve();
port.on('message', (msg: HostToWorker) => {
  chain = chain.then(() => handle(msg)).catch((err: unknown) => {
    post({ op: 'result', rid: 'rid' in msg ? msg.rid : -1, body: null, payloads: null, hostFailures: [[0, 'crash', `sandbox worker error: ${err instanceof Error ? err.message : String(err)}`]], state: null });
  });
});
post({ op: 'ready' });
