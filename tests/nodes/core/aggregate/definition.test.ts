import { describe, expect, it } from 'vitest';
import { aggregateConfig } from '../../../../nodes/core/aggregate/definition';
import { aggregate } from '../../../../nodes/core/aggregate/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const registry = createRegistry([aggregate]);

function problemsOf(config: Record<string, unknown>) {
  const result = validateFlow(flowOf('f', [{ id: 'a', type: 'aggregate', config }]), registry);
  return result.problems.map((p) => ({ at: p.at, zh: p.message.zh, en: p.message.en }));
}

describe('aggregate config', () => {
  it('has defaults for everything', () => {
    expect(aggregateConfig.parse({})).toEqual({
      property: 'payload',
      functions: ['avg', 'min', 'max', 'count'],
      window: { kind: 'tumbling', sizeMs: 60_000 },
      rateUnit: 'min',
      emitEmpty: false,
      graceMs: 0,
      maxKeys: 10_000,
      maxSamples: 100_000,
    });
    expect(aggregateConfig.parse({ window: { kind: 'sliding' } }).window).toEqual({ kind: 'sliding', sizeMs: 60_000, stepMs: 10_000 });
  });

  it('refuses a sliding step longer than the window', () => {
    expect(problemsOf({ window: { kind: 'sliding', sizeMs: 10_000, stepMs: 20_000 } })).toEqual([{
      at: 'nodes[0].config.window.stepMs',
      zh: '输出间隔（20000 ms）不能大于窗口长度（10000 ms）',
      en: 'the step (20000 ms) must not exceed the window size (10000 ms)',
    }]);
  });

  it('points at bad functions, property and window', () => {
    expect(problemsOf({ functions: [] }).map((p) => p.at)).toEqual(['nodes[0].config.functions']);
    expect(problemsOf({ functions: ['avg', 'median'] }).map((p) => p.at)).toEqual(['nodes[0].config.functions[1]']);
    expect(problemsOf({ functions: ['avg', 'avg'] })).toEqual([{ at: 'nodes[0].config.functions', zh: '每个统计函数只能选一次', en: 'each function at most once' }]);
    expect(problemsOf({ property: 'payload..temp' })).toEqual([{ at: 'nodes[0].config.property', zh: '须为属性路径，如 payload 或 payload.temp', en: 'a property path such as payload or payload.temp' }]);
    expect(problemsOf({ window: { kind: 'hopping', sizeMs: 1000 } }).map((p) => p.at)).toEqual(['nodes[0].config.window.kind']);
    expect(problemsOf({ window: { sizeMs: 10 } }).map((p) => p.at)).toEqual(['nodes[0].config.window.sizeMs']);
    expect(problemsOf({ rateUnit: 'day' }).map((p) => p.at)).toEqual(['nodes[0].config.rateUnit']);
  });
});
