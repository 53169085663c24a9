import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry';
import { NodeError, defineNode, port, z } from '../../../nodes/sdk';
import type { AnyNodeType } from '../../../nodes/sdk';
import { createVirtualClock } from '../../../runtime/engine/clock';
import type { Engine } from '../../../runtime/engine/engine';
import { EngineDeployError, createEngine } from '../../../runtime/engine/engine';
import { createCollector } from '../../helpers/collector-node';
import { flowOf } from '../../helpers/flow';
import { tickerNode } from '../../helpers/ticker-node';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop({ timeoutMs: 500 })));
});

const testNode = (type: string, create: Parameters<typeof defineNode>[1], extra: { outputs?: string[]; queue?: { capacity: number; overflow: 'block' | 'drop-oldest' } } = {}): AnyNodeType => defineNode({
  type, version: 1, category: 'logic', icon: '?', title: { zh: type, en: type }, summary: { zh: type, en: type },
  inputs: [port('in', '输入', 'in')],
  outputs: (extra.outputs ?? ['out']).map((n) => port(n, n, n)),
  config: z.object({}),
  ...(extra.queue ? { queue: extra.queue } : {}),
}, create);

function setup(types: AnyNodeType[], clock?: ReturnType<typeof createVirtualClock>) {
  const a = createCollector('collect');
  const b = createCollector('collect-b');
  const engine = createEngine({ registry: createNodeRegistry([...types, a.type, b.type, tickerNode]), ...(clock ? { clock } : {}) });
  engines.push(engine);
  return { engine, a, b };
}

describe('engine', () => {
  it('routes by named ports and gives every target the same frozen message', async () => {
    const split = testNode('split', (_c, ctx) => ({
      onMessage(msg) {
        ctx.send((msg.payload as number) % 2 === 0 ? 'even' : 'odd', msg);
      },
    }), { outputs: ['even', 'odd'] });
    const { engine, a, b } = setup([split]);
    await engine.deploy(flowOf('f', [{ id: 's', type: 'split' }, { id: 'all', type: 'collect' }, { id: 'odd', type: 'collect-b' }], ['s:even -> all', 's:odd -> all', 's:odd -> odd']));
    for (let i = 1; i <= 4; i++) engine.inject('f', 's', { payload: i, topic: 't' });
    await engine.idle();
    expect(a.payloads()).toEqual([1, 2, 3, 4]);
    expect(b.payloads()).toEqual([1, 3]);
    const one = a.received[0]!.msg;
    expect(b.received[0]!.msg).toBe(one);
    expect(Object.isFrozen(one)).toBe(true);
    expect(() => {
      (one as { payload: unknown }).payload = 99;
    }).toThrow(TypeError);
  });

  it('freezes payload objects deeply, so no node can change what another one sees', async () => {
    const { engine, a } = setup([]);
    await engine.deploy(flowOf('f', [{ id: 'sink', type: 'collect' }]));
    engine.inject('f', 'sink', { payload: { machine: { temp: 200 } } });
    await engine.idle();
    const payload = a.received[0]!.msg.payload as { machine: { temp: number } };
    expect(() => {
      payload.machine.temp = 0;
    }).toThrow(TypeError);
  });

  it('marks a node that throws, sends the failure on its error port, and keeps the flow running', async () => {
    const fussy = testNode('fussy', (_c, ctx) => ({
      onMessage(msg) {
        if (msg.payload === 'bad') throw new NodeError({ zh: '读数无效', en: 'reading is invalid' });
        ctx.send('out', msg);
      },
    }));
    const { engine, a, b } = setup([fussy]);
    await engine.deploy(flowOf('f', [{ id: 'n', type: 'fussy' }, { id: 'ok', type: 'collect' }, { id: 'err', type: 'collect-b' }], ['n -> ok', 'n:error -> err']));
    for (const p of ['a', 'bad', 'b']) engine.inject('f', 'n', { payload: p, device: 'm1' });
    await engine.idle();
    expect(a.payloads()).toEqual(['a', 'b']);
    expect(b.received).toHaveLength(1);
    expect(b.received[0]!.msg).toMatchObject({ quality: 'bad', device: 'm1', payload: { error: 'reading is invalid', text: { zh: '读数无效', en: 'reading is invalid' }, node: 'n', type: 'fussy' } });
    const stats = engine.stats().find((s) => s.nodeId === 'n')!;
    expect(stats).toMatchObject({ state: 'error', in: 3, out: 3, errors: 1, lastError: { message: 'reading is invalid', text: { zh: '读数无效' } } });
  });

  it('counts in, out, errors and handling time per node', async () => {
    const slow = testNode('slow', (_c, ctx) => ({
      onMessage(msg) {
        const end = performance.now() + 0.2;
        while (performance.now() < end);
        ctx.send('out', msg);
      },
    }));
    const { engine } = setup([slow]);
    await engine.deploy(flowOf('f', [{ id: 's', type: 'slow' }, { id: 'sink', type: 'collect' }], ['s -> sink']));
    for (let i = 0; i < 50; i++) engine.inject('f', 's', { payload: i });
    await engine.idle();
    const s = engine.stats().find((x) => x.nodeId === 's')!;
    expect(s).toMatchObject({ in: 50, out: 50, errors: 0, dropped: 0, queued: 0 });
    expect(s.meanMs).toBeGreaterThanOrEqual(0.2);
    expect(s.p99Ms).toBeGreaterThanOrEqual(s.meanMs * 0.9);
  });

  it('drops the oldest messages of a full drop-oldest queue and counts them exactly', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const stuck = testNode('stuck', (_c, ctx) => ({
      async onMessage(msg) {
        await gate;
        ctx.send('out', msg);
      },
    }), { queue: { capacity: 10, overflow: 'drop-oldest' } });
    const { engine, a } = setup([stuck]);
    await engine.deploy(flowOf('f', [{ id: 's', type: 'stuck' }, { id: 'sink', type: 'collect' }], ['s -> sink']));
    for (let i = 0; i < 31; i++) engine.inject('f', 's', { payload: i });
    await new Promise((r) => setTimeout(r, 10));
    release();
    await engine.idle();
    // All 31 arrived before the node's first turn: the queue kept the newest 10.
    expect(engine.stats().find((x) => x.nodeId === 's')).toMatchObject({ in: 31, dropped: 21, out: 10 });
    expect(a.payloads()).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
  });

  it('blocks a source that honours backpressure, so nothing is lost however fast it sends', async () => {
    let release!: () => void;
    let gate = new Promise<void>((r) => { release = r; });
    const slowSink = testNode('slow-sink', (_c, ctx) => ({
      async onMessage(msg) {
        await gate;
        ctx.send('out', msg);
      },
    }), { queue: { capacity: 20, overflow: 'block' } });
    const burst = defineNode({
      type: 'burst', version: 1, category: 'input', icon: 'b', title: { zh: 'b', en: 'b' }, summary: { zh: 'b', en: 'b' },
      inputs: [], outputs: [port('out', 'out', 'out')], config: z.object({}),
    }, (_c, ctx) => ({
      async start() {
        void (async () => {
          for (let i = 0; i < 500; i++) if (!ctx.send('out', ctx.message({ payload: i }))) await ctx.whenReady();
        })();
      },
    }));
    const { engine, a } = setup([slowSink, burst]);
    await engine.deploy(flowOf('f', [{ id: 'src', type: 'burst' }, { id: 's', type: 'slow-sink' }, { id: 'sink', type: 'collect' }], ['src -> s', 's -> sink']));
    await new Promise((r) => setTimeout(r, 20));
    const held = engine.stats().find((x) => x.nodeId === 's')!;
    expect(held.queued).toBeLessThanOrEqual(20);
    release();
    gate = Promise.resolve();
    while (a.received.length < 500) await new Promise((r) => setTimeout(r, 5));
    expect(a.payloads()).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(engine.stats().find((x) => x.nodeId === 's')!.dropped).toBe(0);
  });

  it('runs two engines side by side without sharing anything', async () => {
    const clockA = createVirtualClock(0);
    const clockB = createVirtualClock(0);
    const one = setup([], clockA);
    const two = setup([], clockB);
    const flow = flowOf('same-id', [{ id: 'tick', type: 'ticker', config: { everyMs: 100 } }, { id: 'sink', type: 'collect' }], ['tick -> sink']);
    await one.engine.deploy(flow);
    await two.engine.deploy(flow);
    await clockA.advance(1000, () => one.engine.idle());
    await clockB.advance(300, () => two.engine.idle());
    expect(one.a.payloads()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(two.a.payloads()).toEqual([1, 2, 3]);
    expect(one.engine.stats().find((s) => s.nodeId === 'sink')!.in).toBe(10);
    expect(two.engine.stats().find((s) => s.nodeId === 'sink')!.in).toBe(3);
  });

  it('stops even when a node never finishes its stop, and names it', async () => {
    const hang = testNode('hang', () => ({ stop: () => new Promise<void>(() => undefined) }));
    const { engine } = setup([hang]);
    await engine.deploy(flowOf('f', [{ id: 'h', type: 'hang' }, { id: 'sink', type: 'collect' }], ['h -> sink']));
    const report = await engine.stop({ timeoutMs: 100 });
    expect(report.timedOut).toEqual(['f/h']);
    expect(engine.state).toBe('stopped');
    expect(engine.stats().every((s) => s.state === 'stopped')).toBe(true);
  });

  it('clears the timers of every node at stop', async () => {
    const clock = createVirtualClock(0);
    const forgetful = testNode('forgetful', (_c, ctx) => ({ start() { ctx.clock.setTimeout(() => undefined, 60_000); } }));
    const { engine } = setup([forgetful], clock);
    await engine.deploy(flowOf('f', [{ id: 'x', type: 'forgetful' }, { id: 't', type: 'ticker', config: { everyMs: 1000 } }]));
    expect(clock.pending()).toBe(2);
    await engine.stop();
    expect(clock.pending()).toBe(0);
  });

  it('lets what is queued drain before the rest stops', async () => {
    const { engine, a } = setup([]);
    await engine.deploy(flowOf('f', [{ id: 'r', type: 'rule', config: { code: 'return msg;' } }, { id: 'sink', type: 'collect' }], ['r -> sink']));
    for (let i = 0; i < 100; i++) engine.inject('f', 'r', { payload: i });
    const report = await engine.stop();
    expect(report.drained).toBe(true);
    expect(a.received).toHaveLength(100);
  });

  it('undoes a deploy when a node fails to start: nothing is left running', async () => {
    const clock = createVirtualClock(0);
    const broken = testNode('broken', () => ({ start() { throw new Error('port COM3 is busy'); } }));
    const { engine } = setup([broken], clock);
    const error = await engine.deploy(flowOf('f', [{ id: 't', type: 'ticker', config: { everyMs: 10 } }, { id: 'b', type: 'broken' }])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineDeployError);
    expect((error as EngineDeployError).problems).toEqual([expect.objectContaining({ code: 'node-start-failed', at: 'nodes[1]', nodeId: 'b' })]);
    expect((error as EngineDeployError).problems[0]!.message.en).toContain('port COM3 is busy');
    expect(engine.state).toBe('failed');
    expect(clock.pending()).toBe(0);
  });

  it('reports validation problems of several flows with their flow index', async () => {
    const { engine } = setup([]);
    const error = await engine.deploy([
      flowOf('one', [{ id: 'r', type: 'rule' }]),
      flowOf('two', [{ id: 'x', type: 'no-such-type' }]),
      flowOf('one', []),
    ]).catch((e: unknown) => e as EngineDeployError);
    expect((error as EngineDeployError).problems.map((p) => `${p.code} ${p.at}`)).toEqual(['unknown-node-type flows[1].nodes[0].type', 'duplicate-flow-id flows[2].id']);
  });

  it('reports a rule that does not compile at deploy, with line and column', async () => {
    const { engine } = setup([]);
    const error = await engine.deploy(flowOf('f', [{ id: 'r', type: 'rule', config: { code: 'const a = 1;\nreturn a +;' } }])).catch((e: unknown) => e as EngineDeployError);
    expect(error).toBeInstanceOf(EngineDeployError);
    const p = (error as EngineDeployError).problems[0]!;
    expect(p).toMatchObject({ code: 'rule-compile', at: 'nodes[0].config.code', nodeId: 'r' });
    expect(p.message.en).toMatch(/line 2, column \d+/);
    expect(p.message.zh).toMatch(/第 2 行/);
  });

  it('refuses to inject into a node or port that does not exist', async () => {
    const { engine } = setup([]);
    await engine.deploy(flowOf('f', [{ id: 'sink', type: 'collect' }]));
    expect(() => engine.inject('f', 'nope', { payload: 1 })).toThrow('no node "nope" in flow "f"');
    expect(() => engine.inject('f', 'sink', { payload: 1 }, 'out')).toThrow('has no input port "out"');
  });

  it('refuses a send on a port the node does not declare', async () => {
    const liar = testNode('liar', (_c, ctx) => ({ onMessage(msg) { ctx.send('elsewhere', msg); } }));
    const { engine } = setup([liar]);
    await engine.deploy(flowOf('f', [{ id: 'l', type: 'liar' }]));
    engine.inject('f', 'l', { payload: 1 });
    await engine.idle();
    expect(engine.stats()[0]!.lastError?.message).toBe('node "l" has no output port "elsewhere" (ports: out, error)');
  });
});
