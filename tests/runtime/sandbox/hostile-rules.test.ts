import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import type { Engine } from '../../../runtime/engine/engine';
import { createEngine } from '../../../runtime/engine/engine';
import { createCollector } from '../../helpers/collector-node';
import { flowOf } from '../../helpers/flow';
import { tickerNode } from '../../helpers/ticker-node';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop({ timeoutMs: 2000 })));
});

async function start(flow: Record<string, unknown>, extra = createCollector(), errors = createCollector('collect-errors')) {
  const engine = createEngine({ registry: createNodeRegistry([tickerNode, extra.type, errors.type]) });
  engines.push(engine);
  await engine.deploy(flow);
  return { engine, collector: extra, errors };
}

/** A second, well-behaved flow in the same process: a ticker through a rule every 5 ms. */
async function bystander() {
  const { engine, collector } = await start(flowOf('bystander', [
    { id: 'tick', type: 'ticker', config: { everyMs: 5 } },
    { id: 'double', type: 'rule', config: { code: 'return { payload: msg.payload * 2 };' } },
    { id: 'sink', type: 'collect' },
  ], ['tick -> double', 'double -> sink']));
  return { engine, delivered: () => collector.received.length };
}

async function hostile(code: string, messages = 1) {
  const { engine, collector, errors } = await start(flowOf('hostile', [
    { id: 'evil', type: 'rule', config: { code } },
    { id: 'sink', type: 'collect' },
    { id: 'errors', type: 'collect-errors' },
  ], ['evil -> sink', 'evil:error -> errors']));
  for (let i = 0; i < messages; i++) engine.inject('hostile', 'evil', { payload: i });
  await engine.idle();
  const stats = engine.stats().find((s) => s.nodeId === 'evil')!;
  const reasons = errors.received.map((r) => (r.msg.payload as { error: string }).error);
  return { engine, stats, errors: errors.received, reasons, outputs: collector };
}

async function whileBystanding<T>(work: () => Promise<T>): Promise<{ result: T; delivered: number }> {
  const b = await bystander();
  await new Promise((r) => setTimeout(r, 50));
  const before = b.delivered();
  const result = await work();
  await new Promise((r) => setTimeout(r, 50));
  return { result, delivered: b.delivered() - before };
}

describe('hostile rules', () => {
  it('stops an endless loop at the per-call deadline', async () => {
    const { result, delivered } = await whileBystanding(() => hostile('while (true) {}'));
    expect(result.stats.errors).toBe(1);
    expect(result.stats.lastError?.message).toMatch(/deadline exceeded: the rule ran longer than 50 ms/);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.msg.payload).toMatchObject({ node: 'evil', type: 'rule', error: expect.stringContaining('deadline') });
    expect(delivered).toBeGreaterThan(3);
  });

  it('stops a loop of heavy native calls with the watchdog and restores the other rules of the worker with their state', async () => {
    const { result, delivered } = await whileBystanding(async () => {
      const { engine, collector } = await start(flowOf('shared', [
        { id: 'count', type: 'rule', config: { code: 'state.n = (state.n || 0) + 1;\nreturn { payload: state.n };' } },
        { id: 'evil', type: 'rule', config: { code: "for (;;) { 'x'.repeat(4e6); }" } },
        { id: 'sink', type: 'collect' },
      ], ['count -> sink']));
      for (let i = 0; i < 3; i++) engine.inject('shared', 'count', { payload: i });
      await engine.idle();
      engine.inject('shared', 'evil', { payload: 0 });
      await engine.idle();
      engine.inject('shared', 'count', { payload: 3 });
      await engine.idle();
      return { evil: engine.stats().find((x) => x.nodeId === 'evil')!, counts: collector.payloads() };
    });
    expect(result.evil.errors).toBe(1);
    expect(result.evil.lastError?.message).toMatch(/watchdog: no progress for 1000 ms/);
    expect(result.counts).toEqual([1, 2, 3, 4]);
    expect(delivered).toBeGreaterThan(20);
  });

  it('gives up on the rest of a batch after three deadline faults, without waiting for the watchdog', async () => {
    const { stats, reasons } = await hostile('while (true) {}', 20);
    expect(stats.errors).toBe(20);
    expect(reasons.filter((r) => r.includes('deadline exceeded'))).toHaveLength(3);
    expect(reasons.filter((r) => r.includes('not run: 3 messages of this batch exceeded the deadline'))).toHaveLength(17);
    expect(reasons.some((r) => r.includes('watchdog'))).toBe(false);
  });

  it('lets a slow but legal rule run a long batch: the deadline is per message', async () => {
    const { stats, outputs } = await hostile('const end = Date.now() + 30; while (Date.now() < end) {}\nreturn msg;', 45);
    expect(stats.errors).toBe(0);
    expect(outputs.received).toHaveLength(45);
  });

  it('caps memory: a bomb of small arrays fails with out of memory and the next message runs on a fresh instance', async () => {
    const { engine, collector } = await start(flowOf('bomb', [
      // A generous deadline, so the memory cap is what stops it.
      { id: 'evil', type: 'rule', config: { deadlineMs: 900, code: "if (msg.payload === 'bomb') { const keep = []; for (;;) keep.push([1, 2, 3]); }\nreturn { payload: 'fine ' + msg.payload };" } },
      { id: 'sink', type: 'collect' },
    ], ['evil -> sink']));
    engine.inject('bomb', 'evil', { payload: 'bomb' });
    await engine.idle();
    engine.inject('bomb', 'evil', { payload: 'after' });
    await engine.idle();
    const stats = engine.stats().find((s) => s.nodeId === 'evil')!;
    expect(stats.errors).toBe(1);
    expect(stats.lastError?.message).toMatch(/out of memory/);
    expect(collector.payloads()).toEqual(['fine after']);
  });

  it('reports deep recursion as an error and keeps running', async () => {
    const { engine, collector } = await start(flowOf('deep', [
      { id: 'evil', type: 'rule', config: { code: "function down(n) { return down(n + 1) + 1; }\nif (msg.payload === 'deep') down(0);\nreturn msg;" } },
      { id: 'sink', type: 'collect' },
    ], ['evil -> sink']));
    engine.inject('deep', 'evil', { payload: 'deep' });
    engine.inject('deep', 'evil', { payload: 'shallow' });
    await engine.idle();
    const stats = engine.stats().find((s) => s.nodeId === 'evil')!;
    expect(stats.errors).toBe(1);
    expect(stats.lastError?.message).toMatch(/stack overflow|call stack|crashed/i);
    expect(collector.payloads()).toEqual(['shallow']);
  });

  it('does not let a promise loop run or hang the rule', async () => {
    const { result } = await whileBystanding(() => hostile('function spin() { return Promise.resolve().then(spin); }\nspin();\nreturn { payload: msg.payload };', 200));
    expect(result.stats.errors).toBe(0);
    expect(result.outputs.received).toHaveLength(200);
  });

  it('rejects a rule that returns a promise', async () => {
    const { stats } = await hostile('return (async () => msg)();');
    expect(stats.lastError?.message).toMatch(/rules run synchronously/);
  });

  it('finds no host objects, modules or network', async () => {
    const probe = `
      const seen = {};
      seen.process = typeof process;
      seen.require = typeof require;
      seen.fetch = typeof fetch;
      seen.setTimeout = typeof setTimeout;
      seen.viaConstructor = this.constructor.constructor('return typeof process')();
      seen.viaFunction = Function('return typeof process')();
      seen.viaGlobal = typeof globalThis.process;
      seen.extraGlobals = Object.getOwnPropertyNames(globalThis).filter((k) => !STANDARD.includes(k));
      let imported = 'pending';
      import('node:fs').then(() => { imported = 'loaded'; }, () => { imported = 'refused'; });
      seen.importResult = imported;
      return { payload: seen };
    `.replace('STANDARD', JSON.stringify(['Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Infinity', 'NaN', 'undefined', 'Boolean', 'String', 'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'InternalError', 'globalThis', 'JSON', 'Math', 'Intl', 'ArrayBuffer', 'SharedArrayBuffer', 'Atomics', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'Uint8ClampedArray', 'BigUint64Array', 'BigInt64Array', 'DataView', 'Map', 'BigInt', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'FinalizationRegistry', 'WeakRef', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'eval', 'isFinite', 'isNaN', 'Iterator']));
    const { errors, stats, outputs } = await hostile(probe);
    expect(errors).toEqual([]);
    expect(stats.errors).toBe(0);
    expect(outputs.received[0]!.msg.payload).toEqual({
      process: 'undefined',
      require: 'undefined',
      fetch: 'undefined',
      setTimeout: 'undefined',
      viaConstructor: 'undefined',
      viaFunction: 'undefined',
      viaGlobal: 'undefined',
      extraGlobals: [],
      importResult: 'pending',
    });
  });
});
