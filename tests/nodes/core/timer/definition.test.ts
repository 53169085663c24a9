import { describe, expect, it } from 'vitest';
import { timer } from '../../../../nodes/core/timer/runtime';
import { timerConfig } from '../../../../nodes/core/timer/definition';
import { createRegistry } from '../../../../nodes/registry';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const registry = createRegistry([timer]);

function problemsOf(config: Record<string, unknown>) {
  const result = validateFlow(flowOf('f', [{ id: 't', type: 'timer', config }]), registry);
  return result.problems.map((p) => ({ at: p.at, zh: p.message.zh, en: p.message.en }));
}

describe('timer config', () => {
  it('reads {} as an interval of one second', () => {
    expect(timerConfig.parse({})).toEqual({ mode: 'interval', intervalMs: 1000, align: false, fireAtStart: false, topic: '' });
  });

  it('fills the shift defaults', () => {
    expect(timerConfig.parse({ mode: 'shifts' })).toEqual({
      mode: 'shifts',
      shifts: [{ name: '早班', start: '08:00' }, { name: '中班', start: '16:00' }, { name: '夜班', start: '00:00' }],
      timezone: 'Asia/Shanghai',
    });
  });

  it('rejects an invalid cron expression at nodes[0].config.cron', () => {
    expect(problemsOf({ mode: 'cron', cron: '61 * * * *' })).toEqual([{
      at: 'nodes[0].config.cron',
      zh: 'cron 表达式 “61 * * * *” 无效：Invalid value for minute: 61',
      en: 'invalid cron expression "61 * * * *": Invalid value for minute: 61',
    }]);
    expect(problemsOf({ mode: 'cron', cron: '0 0 30 2 *' })).toEqual([{
      at: 'nodes[0].config.cron',
      zh: 'cron 表达式 “0 0 30 2 *” 无效：the pattern never matches a date',
      en: 'invalid cron expression "0 0 30 2 *": the pattern never matches a date',
    }]);
    expect(problemsOf({ mode: 'cron', cron: '*/15 * * *' })[0]?.at).toBe('nodes[0].config.cron');
  });

  it('rejects an unknown time zone at nodes[0].config.timezone', () => {
    expect(problemsOf({ mode: 'cron', cron: '*/15 * * * *', timezone: 'Asia/Beijing' })).toEqual([{
      at: 'nodes[0].config.timezone',
      zh: '未知的时区 “Asia/Beijing”，请使用 IANA 时区名，如 Asia/Shanghai',
      en: 'unknown time zone "Asia/Beijing"; use an IANA name such as Asia/Shanghai',
    }]);
    expect(problemsOf({ mode: 'shifts', timezone: 'CST' }).map((p) => p.at)).toEqual(['nodes[0].config.timezone']);
  });

  it('points at the bad shift', () => {
    expect(problemsOf({ mode: 'shifts', shifts: [{ name: 'A', start: '8:00' }] })).toEqual([{
      at: 'nodes[0].config.shifts[0].start',
      zh: '须为 HH:MM 格式的时刻，如 08:00',
      en: 'a time of day as HH:MM, e.g. 08:00',
    }]);
    expect(problemsOf({ mode: 'shifts', shifts: [{ name: 'A', start: '08:00' }, { name: 'B', start: '08:00' }] })).toEqual([{
      at: 'nodes[0].config.shifts[1].start',
      zh: '班次 “B” 的开始时刻 08:00 与第 1 个班次相同',
      en: 'shift "B" starts at 08:00, like shift 1',
    }]);
    expect(problemsOf({ mode: 'shifts', shifts: [{ name: 'A', start: '08:00' }, { name: 'A', start: '20:00' }] }).map((p) => p.at)).toEqual(['nodes[0].config.shifts[1].name']);
    expect(problemsOf({ mode: 'shifts', shifts: [] }).map((p) => p.at)).toEqual(['nodes[0].config.shifts']);
    expect(problemsOf({ mode: 'shifts', days: [1, 1] }).map((p) => p.at)).toEqual(['nodes[0].config.days']);
    expect(problemsOf({ mode: 'shifts', days: [0] }).map((p) => p.at)).toEqual(['nodes[0].config.days[0]']);
  });

  it('rejects intervals below 10 ms and unknown modes', () => {
    expect(problemsOf({ intervalMs: 5 }).map((p) => p.at)).toEqual(['nodes[0].config.intervalMs']);
    expect(problemsOf({ mode: 'weekly' }).map((p) => p.at)).toEqual(['nodes[0].config.mode']);
  });
});
