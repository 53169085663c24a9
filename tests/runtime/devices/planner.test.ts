import { describe, expect, it } from 'vitest';
import type { PlanTag } from '../../../runtime/devices/planner';
import { DEFAULT_LIMITS, planBlockReads } from '../../../runtime/devices/planner';

const tag = (index: number, start: number, width = 1, area: PlanTag['area'] = 'holding', intervalMs = 1000): PlanTag => ({ index, area, start, width, intervalMs });
const brief = (blocks: ReturnType<typeof planBlockReads>) => blocks.map((b) => `${b.device}:${b.area}@${b.start}+${b.count}/${b.intervalMs}[${b.tags.join(',')}]`);

describe('planBlockReads', () => {
  it('joins adjacent tags into one read and keeps separate ones apart without a gap allowance', () => {
    const plan = planBlockReads([{ device: 'm', tags: [tag(0, 0), tag(1, 1, 2), tag(2, 3), tag(3, 10)], limits: DEFAULT_LIMITS }]);
    expect(brief(plan)).toEqual(['m:holding@0+4/1000[0,1,2]', 'm:holding@10+1/1000[3]']);
  });

  it('bridges gaps up to maxGap, and no further', () => {
    const tags = [tag(0, 0), tag(1, 5), tag(2, 20)];
    expect(brief(planBlockReads([{ device: 'm', tags, limits: { ...DEFAULT_LIMITS, maxGap: 4 } }]))).toEqual(['m:holding@0+6/1000[0,1]', 'm:holding@20+1/1000[2]']);
    expect(brief(planBlockReads([{ device: 'm', tags, limits: { ...DEFAULT_LIMITS, maxGap: 3 } }]))).toEqual(['m:holding@0+1/1000[0]', 'm:holding@5+1/1000[1]', 'm:holding@20+1/1000[2]']);
  });

  it('never exceeds 125 registers or 2000 bits per request, nor a smaller device limit', () => {
    const regs = Array.from({ length: 300 }, (_, i) => tag(i, i));
    const plan = planBlockReads([{ device: 'm', tags: regs, limits: DEFAULT_LIMITS }]);
    expect(plan.map((b) => b.count)).toEqual([125, 125, 50]);
    const bits = Array.from({ length: 4500 }, (_, i) => tag(i, i, 1, 'coil'));
    expect(planBlockReads([{ device: 'm', tags: bits, limits: DEFAULT_LIMITS }]).map((b) => b.count)).toEqual([2000, 2000, 500]);
    const small = planBlockReads([{ device: 'm', tags: regs.slice(0, 20), limits: { ...DEFAULT_LIMITS, maxRegisters: 8 } }]);
    expect(small.map((b) => b.count)).toEqual([8, 8, 4]);
  });

  it('keeps a multi-register value in one read rather than splitting it across two', () => {
    const plan = planBlockReads([{ device: 'm', tags: [tag(0, 0, 2), tag(1, 2, 2), tag(2, 4, 2)], limits: { ...DEFAULT_LIMITS, maxRegisters: 5 } }]);
    expect(brief(plan)).toEqual(['m:holding@0+4/1000[0,1]', 'm:holding@4+2/1000[2]']);
  });

  it('groups by device, area and interval, in a fixed order', () => {
    const a = [tag(0, 0, 1, 'input'), tag(1, 1, 1, 'holding', 5000), tag(2, 0, 1, 'holding'), tag(3, 3, 1, 'coil'), tag(4, 1, 1, 'holding')];
    const plan = planBlockReads([{ device: 'b', tags: a, limits: DEFAULT_LIMITS }, { device: 'a', tags: [tag(0, 7)], limits: DEFAULT_LIMITS }]);
    expect(brief(plan)).toEqual([
      'b:coil@3+1/1000[3]',
      'b:input@0+1/1000[0]',
      'b:holding@0+2/1000[2,4]',
      'b:holding@1+1/5000[1]',
      'a:holding@7+1/1000[0]',
    ]);
  });

  it('covers bits of one register once and tolerates overlapping views of a register', () => {
    const plan = planBlockReads([{ device: 'm', tags: [tag(0, 4), tag(1, 4), tag(2, 4), tag(3, 5)], limits: DEFAULT_LIMITS }]);
    expect(brief(plan)).toEqual(['m:holding@4+2/1000[0,1,2,3]']);
  });

  it('is deterministic: the same tags in any order give the same plan', () => {
    const tags = Array.from({ length: 60 }, (_, i) => tag(i, (i * 37) % 200, 1 + (i % 3), i % 4 === 0 ? 'input' : 'holding', i % 5 === 0 ? 5000 : 1000));
    const limits = { ...DEFAULT_LIMITS, maxGap: 6, maxRegisters: 40 };
    const first = planBlockReads([{ device: 'm', tags, limits }]);
    const shuffled = [...tags].sort((x, y) => ((x.index * 7919) % 61) - ((y.index * 7919) % 61));
    expect(planBlockReads([{ device: 'm', tags: shuffled, limits }])).toEqual(first);
    // Every tag is read exactly once, whole.
    const seen = first.flatMap((b) => b.tags.map((i) => ({ i, b })));
    expect(seen.map((x) => x.i).sort((p, q) => p - q)).toEqual(tags.map((t) => t.index));
    for (const { i, b } of seen) {
      const t = tags[i]!;
      expect(t.start).toBeGreaterThanOrEqual(b.start);
      expect(t.start + t.width).toBeLessThanOrEqual(b.start + b.count);
      expect(b.count).toBeLessThanOrEqual(40);
    }
  });
});
