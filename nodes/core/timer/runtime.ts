import { defineNode } from '../../sdk';
import type { Message } from '../../sdk';
import { timerDefinition } from './definition';
import type { TimerConfig } from './definition';
import { createShiftCalendar, cronSchedule } from './schedule';
import type { ShiftSlot, ShiftStart } from './schedule';

export { createShiftCalendar, currentShift } from './schedule';
export type { ShiftCalendar, ShiftPlan, ShiftSlot, ShiftStart } from './schedule';

/**
 * Node's setTimeout fires at once when asked to wait more than ~24.8 days; long waits are
 * taken in steps and re-checked against the clock.
 */
const MAX_WAIT_MS = 86_400_000;

interface Tick {
  readonly at: number;
  readonly shift?: ShiftStart;
}

interface Plan {
  first(now: number): Tick | null;
  /** The tick after the one due at `due`; `now` may be later when the process fell behind. */
  after(due: number, now: number): Tick | null;
  /** Shifts only: the shift running at `t`, null when off shift. */
  current?(t: number): ShiftSlot | null;
}

function planOf(config: TimerConfig): Plan {
  switch (config.mode) {
    case 'interval': {
      const every = config.intervalMs;
      const aligned = (t: number): Tick => ({ at: (Math.floor(t / every) + 1) * every });
      if (config.align) {
        return {
          first: (now) => (config.fireAtStart ? { at: now } : aligned(now)),
          after: (due, now) => aligned(Math.max(due, now)),
        };
      }
      return {
        first: (now) => ({ at: config.fireAtStart ? now : now + every }),
        // From the due time, not from now, so late wake-ups do not accumulate drift; ticks
        // missed while the process was stalled are skipped rather than fired in a burst.
        after: (due, now) => ({ at: due + (Math.floor(Math.max(0, now - due) / every) + 1) * every }),
      };
    }
    case 'cron': {
      const next = cronSchedule(config.cron, config.timezone);
      const tick = (t: number): Tick | null => {
        const at = next(t);
        return at === null ? null : { at };
      };
      return { first: tick, after: (due, now) => tick(Math.max(due, now)) };
    }
    case 'shifts': {
      const calendar = createShiftCalendar(config);
      const tick = (t: number): Tick => {
        const shift = calendar.nextStart(t);
        return { at: shift.start, shift };
      };
      return { first: tick, after: (due, now) => tick(Math.max(due, now)), current: (t) => calendar.current(t) };
    }
  }
}

const shiftText = (name: string | null) => (name === null ? '当前停工 / off shift' : `当前班次：${name} / current shift: ${name}`);

export const timer = defineNode(timerDefinition, (config, ctx) => {
  const plan = planOf(config);
  let handle: unknown;
  /** Shifts only: turns the status to "off shift" when a shift ends with no shift after it. */
  let offHandle: unknown;
  let next: Tick | null = null;
  let stopped = false;
  let blocked = false;
  let fired = 0;
  let skipped = 0;
  let lastShift: ShiftStart | undefined;

  const arm = (tick: Tick | null) => {
    next = tick;
    if (tick === null) {
      ctx.status('warning', '没有下一次触发时刻 / no further firing time');
      return;
    }
    handle = ctx.clock.setTimeout(() => wake(tick), Math.min(Math.max(0, tick.at - ctx.clock.now()), MAX_WAIT_MS));
  };

  const wake = (tick: Tick) => {
    handle = undefined;
    if (stopped) return;
    const now = ctx.clock.now();
    // Early (a long wait taken in steps, a timer a millisecond early, a clock set back).
    if (now < tick.at) return arm(tick);
    fire(tick);
    const following = plan.after(tick.at, now);
    arm(following);
    if (tick.shift) offShiftAt(tick.shift, following);
  };

  /** When no shift follows `shift` right away, the status says so once it ends. */
  const offShiftAt = (shift: ShiftSlot, following: Tick | null) => {
    if (following === null || following.at <= shift.end) return;
    // Shifts are at most a day long, so this wait never needs stepping.
    offHandle = ctx.clock.setTimeout(() => {
      offHandle = undefined;
      if (!stopped) ctx.status('running', shiftText(null));
    }, Math.max(0, shift.end - ctx.clock.now()));
  };

  const send = (msg: Message) => {
    fired++;
    if (ctx.send('out', msg)) return;
    // Downstream is full: ticks are skipped, not queued, until it has room again.
    blocked = true;
    void ctx.whenReady().then(() => {
      blocked = false;
      if (!stopped && skipped > 0) ctx.status('running', `累计跳过 ${skipped} 次 / ticks skipped in total: ${skipped}`);
    });
  };

  const fire = (tick: Tick) => {
    if (tick.shift) {
      // Shift starts are rare and each one matters to reports: never skipped.
      const s = tick.shift;
      lastShift = s;
      send(ctx.message({ ts: s.start, topic: 'shift', payload: { event: 'shift-start', shift: s.shift, previous: s.previous, start: s.start, end: s.end } }));
      ctx.status('running', shiftText(s.shift));
      return;
    }
    if (config.mode === 'shifts') return;
    if (blocked) {
      skipped++;
      ctx.status('warning', `下游积压，已跳过 ${skipped} 次 / downstream full, ticks skipped: ${skipped}`);
      return;
    }
    send(ctx.message({ ts: tick.at, topic: config.topic, payload: config.payload === undefined ? tick.at : config.payload }));
  };

  return {
    start() {
      const now = ctx.clock.now();
      const first = plan.first(now);
      arm(first);
      if (plan.current) {
        const shift = plan.current(now);
        ctx.status('running', shiftText(shift?.shift ?? null));
        if (shift) offShiftAt(shift, first);
      }
    },
    stop() {
      stopped = true;
      for (const h of [handle, offHandle]) if (h !== undefined) ctx.clock.clearTimeout(h);
      handle = undefined;
      offHandle = undefined;
    },
    inspect() {
      const out: Record<string, unknown> = { mode: config.mode, next: next?.at ?? null, fired, skipped };
      if (config.mode === 'shifts') out.shift = lastShift ?? null;
      return out;
    },
  };
});
