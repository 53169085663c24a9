import { describe, expect, it } from 'vitest';
import { liveMap, sameLive } from '../../../../designer/app/preview/live-stats';

const s = (nodeId: string, out: number) => ({ flowId: 'f', nodeId, type: 'rule', state: 'running', in: 1, out, errors: 0, dropped: 0, queued: 0, meanMs: 0.5, p99Ms: 1 });

describe('live stats for the canvas', () => {
  it('gives each node its badge state, counters and tooltip by flowId/nodeId', () => {
    const live = liveMap({ 'f/a': s('a', 3) }, (x) => `${x.nodeId}:${x.out}`);
    expect(live).toEqual({ 'f/a': { state: 'running', in: 1, out: 3, errors: 0, title: 'a:3' } });
  });

  it('tells when nothing changed, so the editor is not told', () => {
    const title = (x: { out: number }) => String(x.out);
    const a = liveMap({ 'f/a': s('a', 3) }, title);
    expect(sameLive(a, liveMap({ 'f/a': s('a', 3) }, title))).toBe(true);
    expect(sameLive(a, liveMap({ 'f/a': s('a', 4) }, title))).toBe(false);
    expect(sameLive(a, undefined)).toBe(false);
    expect(sameLive(undefined, undefined)).toBe(true);
  });
});
