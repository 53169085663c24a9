import { describe, expect, it } from 'vitest';
import { append, applyPatch, mergePatches, set } from '../../../nodes/dashboard/widget-patch';
import type { View, WidgetPatch } from '../../../nodes/dashboard/widget-patch';

const apply = (view: View, ...patches: WidgetPatch[]) => patches.reduce((v, p) => applyPatch(v, p), view);

describe('widget patches', () => {
  it('sets nested values and appends to bounded arrays, keeping only the newest', () => {
    const v = apply({}, { ops: [set(['tiles', 'IMM.01'], { state: 'running' }), append(['data', 'a'], [1, 2, 3], 4)] }, { ops: [append(['data', 'a'], [4, 5], 4)] });
    // A device name with a dot is one key, not a path.
    expect(v).toEqual({ tiles: { 'IMM.01': { state: 'running' } }, data: { a: [2, 3, 4, 5] } });
  });

  it('leaves the old view untouched and shares what did not change (the browser relies on it)', () => {
    const before: View = { a: { x: 1 }, b: { y: [1] } };
    const after = applyPatch(before, { ops: [set(['a', 'x'], 2)] });
    expect(before).toEqual({ a: { x: 1 }, b: { y: [1] } });
    expect(after.b).toBe(before.b);
    expect(after.a).not.toBe(before.a);
  });

  it('merged patches give the same view as the patches one by one, however they interleave', () => {
    const patches: WidgetPatch[] = [
      { ops: [append(['data', 'a'], [1], 3), set(['value'], 1)] },
      { ops: [append(['data', 'a'], [2], 3), append(['data', 'b'], ['x'], 2)] },
      { ops: [set(['data', 'b'], ['reset'])] },
      { ops: [append(['data', 'b'], ['y', 'z'], 2), append(['data', 'a'], [3, 4], 3), set(['value'], 2)] },
      { ops: [set(['tiles', 'm1'], { s: 1 }), set(['tiles', 'm2'], { s: 2 })] },
      { ops: [set(['tiles'], { m3: { s: 3 } })] },
    ];
    const start: View = { data: { a: [0] } };
    const oneByOne = apply(start, ...patches);
    for (let cut = 1; cut < patches.length; cut++) {
      const merged = [mergePatches(patches.slice(0, cut).reduce(mergePatches), patches.slice(cut).reduce(mergePatches))];
      expect(apply(start, ...merged)).toEqual(oneByOne);
    }
    expect(apply(start, patches.reduce(mergePatches))).toEqual({ data: { a: [2, 3, 4], b: ['y', 'z'] }, value: 2, tiles: { m3: { s: 3 } } });
  });

  it('keeps a merged patch as small as the paths it touches', () => {
    let p: WidgetPatch = { ops: [] };
    for (let i = 0; i < 1000; i++) p = mergePatches(p, { ops: [set(['value'], i), append(['trend'], [i], 10)] });
    expect(p.ops).toHaveLength(2);
    expect(applyPatch({}, p)).toEqual({ value: 999, trend: [990, 991, 992, 993, 994, 995, 996, 997, 998, 999] });
  });

  it('a reset starts the view over', () => {
    const v = apply({ old: true }, { ops: [set(['a'], 1)] }, { reset: true, ops: [set([], { fresh: 1 })] }, { ops: [set(['b'], 2)] });
    expect(v).toEqual({ fresh: 1, b: 2 });
    expect(apply({ old: true }, mergePatches({ ops: [set(['a'], 1)] }, { reset: true, ops: [set(['c'], 3)] }))).toEqual({ c: 3 });
  });

  it('applied in place (on the site) gives the same view as applied by copy (in the browser)', () => {
    const patches: WidgetPatch[] = [{ ops: [append(['d', 'k'], [1, 2], 3)] }, { ops: [append(['d', 'k'], [3, 4], 3), set(['v'], 1)] }];
    const inPlace = patches.reduce((v, p) => applyPatch(v, p, { mutate: true }), {} as View);
    expect(inPlace).toEqual(apply({}, ...patches));
  });
});
