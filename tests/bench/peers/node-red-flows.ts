// The engine benchmark's workload written as Node-RED flows: the same generator, c2f function,
// switch (payload >= 0) and counter, the same batch of 100 and window of 4 as our side.

type N = Record<string, unknown> & { id: string };
const BATCH = 100;
const WINDOW = 4;
const fn = (id: string, name: string, func: string, wires: string[][], outputs = wires.length): N =>
  ({ id, type: 'function', z: 'tab', name, func, outputs, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires });

/**
 * One Node-RED process holding chains with K = 1 and K = 5 functions; a controller runs the
 * schedule (a warm-up each, then `runs` interleaved measured runs) and logs `BENCH_RUN` and
 * `BENCH_DONE` lines. `burst`: the generator emits all N at once, BATCH per timer tick (the
 * warm-up too, so both sides are measured warm).
 */
export function throughputFlows(options: { n1: number; n5: number; runs: number; burst: boolean; variants: number[] }): N[] {
  const nodes: N[] = [{ id: 'tab', type: 'tab', label: 'bench' }];
  const schedule: { run: string; k: number; n: number }[] = [];
  const nOf: Record<number, number> = { 1: options.n1, 5: options.n5 };
  for (const k of options.variants) schedule.push({ run: `w${k}`, k, n: Math.round(nOf[k]! / 4 / BATCH) * BATCH });
  for (let r = 0; r < options.runs; r++) for (const k of options.variants) schedule.push({ run: `m${k}`, k, n: nOf[k]! });

  const ctrl = fn('ctrl', 'controller', `
let plan = context.get('plan') || ${JSON.stringify(schedule)};
if (msg.topic === 'done') node.log('BENCH_RUN ' + msg.run + ' ' + Math.round(msg.rate));
const next = plan.shift();
context.set('plan', plan);
if (!next) { node.log('BENCH_DONE'); return null; }
return ${JSON.stringify(options.variants)}.map((k) => (k === next.k ? { payload: next.n, run: next.run } : null));`, options.variants.map((k) => [`gen${k}`]));
  nodes.push({ id: 'go', type: 'inject', z: 'tab', name: 'go', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.5, topic: 'go', payload: '', payloadType: 'date', wires: [['ctrl']] }, ctrl);

  for (const k of options.variants) {
    const chain = Array.from({ length: k }, (_, i) => `c2f${k}_${i}`);
    const begin = `flow.set('t0_${k}', Date.now()); flow.set('run_${k}', msg.run); flow.set('n_${k}', msg.payload);`;
    nodes.push(fn(`gen${k}`, 'generator', options.burst ? `
const total = msg.payload;
${begin}
let sent = 0;
const tick = () => {
  const end = Math.min(sent + ${BATCH}, total);
  for (; sent < end; sent++) node.send({ payload: sent % 100 }, false);
  if (sent < total) setTimeout(tick, 0);
};
tick();
return null;` : `
let s = context.get('s');
if (msg.topic !== 'ack') { s = { total: msg.payload, sent: 0 }; ${begin} }
const batches = msg.topic === 'ack' ? 1 : ${WINDOW};
for (let b = 0; b < batches && s.sent < s.total; b++) {
  for (let j = 0; j < ${BATCH}; j++) node.send({ payload: j % 100 }, false);
  s.sent += ${BATCH};
}
context.set('s', s);
return null;`, [[chain[0]!]]));
    chain.forEach((id, i) => nodes.push(fn(id, 'c2f', 'msg.payload = msg.payload * 1.8 + 32;\nreturn msg;', [[chain[i + 1] ?? `sw${k}`]])));
    nodes.push({ id: `sw${k}`, type: 'switch', z: 'tab', name: 'filter', property: 'payload', propertyType: 'msg', rules: [{ t: 'gte', v: '0', vt: 'num' }], checkall: 'true', repair: false, outputs: 1, wires: [[`cnt${k}`]] });
    nodes.push(fn(`cnt${k}`, 'counter', `
const c = (context.get('c') || 0) + 1;
context.set('c', c);
if (c % ${BATCH} !== 0) return null;
const total = flow.get('n_${k}');
if (c < total) return ${options.burst ? 'null' : "[null, { topic: 'ack' }]"};
context.set('c', 0);
const ms = Date.now() - flow.get('t0_${k}');
return [{ topic: 'done', run: flow.get('run_${k}'), rate: total * 1000 / ms }, null];`, [['ctrl'], [`gen${k}`]]));
  }
  return nodes;
}

/** 50 nodes: 10 × inject → function → switch → change → debug, none of them firing. */
export function fiftyNodeFlow(): N[] {
  const nodes: N[] = [{ id: 'tab', type: 'tab', label: 'fifty' }];
  for (let c = 0; c < 10; c++) {
    const id = (s: string) => `${s}${c}`;
    nodes.push(
      { id: id('inj'), type: 'inject', z: 'tab', name: '', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '20', payloadType: 'num', wires: [[id('fn')]] },
      fn(id('fn'), 'c2f', 'msg.payload = msg.payload * 1.8 + 32;\nreturn msg;', [[id('sw')]]),
      { id: id('sw'), type: 'switch', z: 'tab', name: '', property: 'payload', propertyType: 'msg', rules: [{ t: 'gt', v: '50', vt: 'num' }], checkall: 'true', repair: false, outputs: 1, wires: [[id('ch')]] },
      { id: id('ch'), type: 'change', z: 'tab', name: '', rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'alarm', tot: 'str' }], wires: [[id('dbg')]] },
      { id: id('dbg'), type: 'debug', z: 'tab', name: '', active: false, tosidebar: false, console: false, tostatus: false, complete: 'payload', targetType: 'msg', wires: [] },
    );
  }
  return nodes;
}
