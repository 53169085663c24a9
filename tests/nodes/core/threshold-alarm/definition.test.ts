import { describe, expect, it } from 'vitest';
import { thresholdAlarmConfig } from '../../../../nodes/core/threshold-alarm/definition';
import { thresholdAlarm } from '../../../../nodes/core/threshold-alarm/runtime';
import { createRegistry } from '../../../../nodes/registry';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const registry = createRegistry([thresholdAlarm]);

function problems(config: Record<string, unknown>) {
  const result = validateFlow(flowOf('f', [{ id: 'ta', type: 'threshold-alarm', config }]), registry);
  return result.problems.map((p) => ({ at: p.at, zh: p.message.zh, en: p.message.en }));
}

describe('threshold-alarm config', () => {
  it('fills the defaults', () => {
    expect(thresholdAlarmConfig.parse({ high: 80 })).toEqual({
      property: 'payload', high: 80, hysteresis: 0, onDelayMs: 0, offDelayMs: 0, severity: 'warning', code: 'threshold', perDevice: true,
    });
  });

  it('rejects low ≥ high at the low field', () => {
    expect(problems({ high: 50, low: 50 })).toEqual([{
      at: 'nodes[0].config.low',
      zh: '下限（50）必须小于上限（50）',
      en: 'the low limit (50) must be below the high limit (50)',
    }]);
    expect(problems({ high: 10, low: 20 }).map((p) => p.at)).toEqual(['nodes[0].config.low']);
  });

  it('needs at least one limit', () => {
    expect(problems({})).toEqual([{ at: 'nodes[0].config.high', zh: '请设置上限、下限或两者', en: 'set a high limit, a low limit, or both' }]);
  });

  it('rejects negative hysteresis and delays, unknown severities and bad codes', () => {
    const found = problems({ high: 1, hysteresis: -1, onDelayMs: -5, offDelayMs: 1.5, severity: 'fatal', code: 'bad code' });
    expect(found.map((p) => p.at)).toEqual([
      'nodes[0].config.hysteresis',
      'nodes[0].config.onDelayMs',
      'nodes[0].config.offDelayMs',
      'nodes[0].config.severity',
      'nodes[0].config.code',
    ]);
    expect(found[4]).toMatchObject({ zh: '报警代码只能由字母、数字、“_”、“.”、“-” 组成（最多 64 个字符，以字母或数字开头）' });
  });

  it('does not also complain about missing limits when a limit is malformed', () => {
    expect(problems({ high: 'eighty' }).map((p) => p.at)).toEqual(['nodes[0].config.high']);
  });
});
