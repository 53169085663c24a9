// Deploy (validate + create + start + switch) of a 200-node bundle on a running site, and the
// longest gap in a polling flow across the switch.
import { startTestSite } from '../helpers/site';
import { median } from './stats';

const RUNS = Number(process.env.RUNS ?? 5);

export function bundleFlows(variant: number) {
  const nodes: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  // 39 chains of 5 plus a 5-node probe chain: 200 nodes, 40 of them sandboxed rules.
  for (let c = 0; c < 40; c++) {
    const id = (s: string) => `${s}${c}`;
    nodes.push(
      { id: id('timer'), type: 'timer', version: 1, config: { mode: 'interval', intervalMs: c === 0 ? 10 : 1000, payload: 20 } },
      { id: id('rule'), type: 'rule', version: 1, config: { code: `// variant ${variant}\nmsg.payload = msg.payload * 1.8 + 32;\nreturn msg;` } },
      { id: id('sw'), type: 'switch', version: 1, config: { rules: [{ port: 'out', op: 'gt', value: 50 }] } },
      { id: id('ch'), type: 'change', version: 1, config: { rules: [{ action: 'set', path: 'topic', value: 'poll' }] } },
      { id: c === 0 ? 'probe' : id('dbg'), type: 'debug', version: 1, config: { active: c === 0, maxPerSecond: 1000 } },
    );
    edges.push(
      { id: id('a'), source: id('timer'), sourcePort: 'out', target: id('rule'), targetPort: 'in' },
      { id: id('b'), source: id('rule'), sourcePort: 'out', target: id('sw'), targetPort: 'in' },
      { id: id('c'), source: id('sw'), sourcePort: 'out', target: id('ch'), targetPort: 'in' },
      { id: id('d'), source: id('ch'), sourcePort: 'out', target: c === 0 ? 'probe' : id('dbg'), targetPort: 'in' },
    );
  }
  return [{ schemaVersion: 1, id: 'plant', name: { zh: '工厂', en: 'Plant' }, nodes, edges }];
}

export async function deployBench(): Promise<Record<string, string>> {
  const site = await startTestSite({ probationMs: 100 });
  try {
    const ticks: number[] = [];
    site.site.subscribe((e) => {
      if (e.type === 'node-event' && e.kind === 'debug' && e.nodeId === 'probe') ticks.push(performance.now());
    });
    const first = await site.api('POST', '/api/deployments', site.signer.sign(bundleFlows(0), 1));
    if (first.status !== 201) throw new Error(JSON.stringify(first.body));
    const times: number[] = [];
    const gaps: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      await new Promise((res) => setTimeout(res, 300));
      const signed = site.signer.sign(bundleFlows(r + 1), r + 2);
      const from = ticks.length;
      const t0 = performance.now();
      const answer = await site.api('POST', '/api/deployments', signed);
      const ms = performance.now() - t0;
      if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
      await new Promise((res) => setTimeout(res, 200));
      const around = ticks.slice(Math.max(0, from - 1));
      let gap = 0;
      for (let i = 1; i < around.length; i++) gap = Math.max(gap, around[i]! - around[i - 1]!);
      times.push(ms);
      gaps.push(gap);
      console.error(`  deploy ${r + 1}: ${ms.toFixed(0)} ms, longest gap in the 10 ms probe ${gap.toFixed(1)} ms`);
    }
    const nodes = (await site.api('GET', '/api/status')).body.nodes.length as number;
    return { deploy_200_nodes_ms: median(times).toFixed(0), deploy_nodes: String(nodes), poll_gap_ms: median(gaps).toFixed(1), poll_interval_ms: '10' };
  } finally {
    await site.close();
  }
}
