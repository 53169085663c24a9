import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../nodes/registry';
import { createVirtualClock } from '../../runtime/engine/clock';
import type { Engine, EngineEvent } from '../../runtime/engine/engine';
import { createEngine } from '../../runtime/engine/engine';
import { validateFlow } from '../../runtime/model';

const examples = readdirSync(new URL('../../examples/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

describe('examples', () => {
  it('there is at least one', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const name of examples) {
    it(`${name}: validates and runs ten simulated minutes without a fault`, async () => {
      const flow = JSON.parse(readFileSync(new URL(`../../examples/${name}/flow.json`, import.meta.url), 'utf8')) as unknown;
      const registry = createNodeRegistry();
      expect(validateFlow(flow, registry).problems).toEqual([]);
      const clock = createVirtualClock(Date.UTC(2026, 10, 26, 0, 0, 0));
      const engine = createEngine({ registry, clock });
      engines.push(engine);
      const events: EngineEvent[] = [];
      engine.subscribe((e) => events.push(e));
      await engine.deploy(flow);
      await clock.advance(10 * 60_000, () => engine.idle());
      const stats = engine.stats();
      expect(stats.filter((s) => s.errors > 0)).toEqual([]);
      expect(stats.every((s) => s.dropped === 0)).toBe(true);
      // Every node that has inputs received something: the example is wired end to end.
      const wired = new Set((flow as { edges: { target: string }[] }).edges.map((e) => e.target));
      for (const s of stats.filter((x) => wired.has(x.nodeId))) expect(s.in, `${s.nodeId} received nothing`).toBeGreaterThan(0);
      expect(events.some((e) => e.type === 'node-event' && e.kind === 'debug')).toBe(true);
    });
  }
});
