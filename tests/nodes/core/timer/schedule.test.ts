import { describe, expect, it } from 'vitest';
import { createShiftCalendar, currentShift } from '../../../../nodes/core/timer/runtime';
import { cronProblem, isTimeZone } from '../../../../nodes/core/timer/schedule';

/** A wall-clock time in Asia/Shanghai (UTC+8, no DST) as ms since epoch. */
const sh = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`);

const THREE_SHIFTS = {
  shifts: [{ name: '早班', start: '08:00' }, { name: '中班', start: '16:00' }, { name: '夜班', start: '00:00' }],
  timezone: 'Asia/Shanghai',
};

describe('currentShift', () => {
  it('finds the shift running at a time, the latest one running across midnight', () => {
    const plan = { shifts: [{ name: 'day', start: '08:00' }, { name: 'night', start: '20:00' }], timezone: 'Asia/Shanghai' };
    expect(currentShift(plan, sh('2024-01-01', '12:00'))).toEqual({ shift: 'day', start: sh('2024-01-01', '08:00'), end: sh('2024-01-01', '20:00') });
    expect(currentShift(plan, sh('2024-01-01', '23:30'))).toEqual({ shift: 'night', start: sh('2024-01-01', '20:00'), end: sh('2024-01-02', '08:00') });
    expect(currentShift(plan, sh('2024-01-02', '03:00'))).toEqual({ shift: 'night', start: sh('2024-01-01', '20:00'), end: sh('2024-01-02', '08:00') });
  });

  it('counts a shift from its start (inclusive) to the next start (exclusive)', () => {
    expect(currentShift(THREE_SHIFTS, sh('2024-01-01', '16:00'))?.shift).toBe('中班');
    expect(currentShift(THREE_SHIFTS, sh('2024-01-01', '16:00') - 1)?.shift).toBe('早班');
    expect(currentShift(THREE_SHIFTS, sh('2024-01-02', '00:00'))).toEqual({ shift: '夜班', start: sh('2024-01-02', '00:00'), end: sh('2024-01-02', '08:00') });
  });

  it('works with a single shift a day', () => {
    const plan = { shifts: [{ name: '常日班', start: '07:30' }], timezone: 'Asia/Shanghai' };
    expect(currentShift(plan, sh('2024-03-10', '06:00'))).toEqual({ shift: '常日班', start: sh('2024-03-09', '07:30'), end: sh('2024-03-10', '07:30') });
  });

  it('returns null when the slot started on a day off', () => {
    const plan = { ...THREE_SHIFTS, days: [1, 2, 3, 4, 5] };
    // 2024-01-05 is a Friday: its 中班 runs until Saturday 00:00, then the weekend is off.
    expect(currentShift(plan, sh('2024-01-05', '23:00'))?.shift).toBe('中班');
    expect(currentShift(plan, sh('2024-01-06', '01:00'))).toBeNull();
    expect(currentShift(plan, sh('2024-01-07', '12:00'))).toBeNull();
    expect(currentShift(plan, sh('2024-01-08', '00:00'))?.shift).toBe('夜班');
  });
});

describe('createShiftCalendar().nextStart', () => {
  it('gives the next start with the shift handing over, or null after a day off', () => {
    const cal = createShiftCalendar({ ...THREE_SHIFTS, days: [1, 2, 3, 4, 5] });
    expect(cal.nextStart(sh('2024-01-05', '10:00'))).toEqual({ shift: '中班', previous: '早班', start: sh('2024-01-05', '16:00'), end: sh('2024-01-06', '00:00') });
    expect(cal.nextStart(sh('2024-01-05', '16:00'))).toEqual({ shift: '夜班', previous: null, start: sh('2024-01-08', '00:00'), end: sh('2024-01-08', '08:00') });
  });
});

describe('cron and time-zone checks', () => {
  it('explains what is wrong with a cron pattern', () => {
    expect(cronProblem('*/15 * * * *')).toBeUndefined();
    expect(cronProblem('0 */5 * * * *')).toBeUndefined();
    expect(cronProblem('61 * * * *')).toBe('Invalid value for minute: 61');
    expect(cronProblem('* * *')).toMatch(/exactly five or six space separated parts/);
    expect(cronProblem('0 0 30 2 *')).toBe('the pattern never matches a date');
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Asia/Beijing')).toBe(false);
    // ICU reads "CST" as America/Chicago; a Chinese user means China Standard Time.
    expect(isTimeZone('CST')).toBe(false);
  });
});
