/**
 * Calendar arithmetic for the timer node: cron and time-zone checks, and factory shifts.
 * Pure (no clock, no I/O) so the designer can validate with it and a shift report can ask
 * "which shift was running at t?" with the same answer the timer gave on site.
 */
import { Cron } from 'croner';

/** A shift as configured: its name and its daily start time `HH:MM`. */
export interface ShiftSpec {
  readonly name: string;
  readonly start: string;
}

export interface ShiftPlan {
  readonly shifts: readonly ShiftSpec[];
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which shifts start; absent means every day. */
  readonly days?: readonly number[] | undefined;
  /** IANA time zone the start times are read in. */
  readonly timezone: string;
}

/** One worked shift: its name and its start and end (ms since epoch; end = next shift start). */
export interface ShiftSlot {
  readonly shift: string;
  readonly start: number;
  readonly end: number;
}

/** A shift start: the slot that begins, and the shift handing over to it (null after a pause). */
export interface ShiftStart extends ShiftSlot {
  readonly previous: string | null;
}

export const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * True for IANA names (`Area/Location`, or `UTC`) the platform knows. Abbreviations are
 * refused although ICU accepts some: "CST" would silently mean Chicago, not China.
 */
export function isTimeZone(tz: string): boolean {
  if (tz !== 'UTC' && !tz.includes('/')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a cron pattern is unusable, in English (croner's own words), or undefined when it is
 * fine. A pattern that parses but can never match (30 February) is unusable too.
 */
export function cronProblem(pattern: string): string | undefined {
  let job: Cron;
  try {
    job = new Cron(pattern, { paused: true });
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, '');
  }
  // Any pattern that ever matches does so within the 28-year weekday/leap-year cycle.
  return job.nextRun(new Date(Date.UTC(2000, 0, 1))) ? undefined : 'the pattern never matches a date';
}

/** A cron job used only to compute times; it never schedules anything itself. */
export function cronSchedule(pattern: string, timezone: string): (after: number) => number | null {
  const job = new Cron(pattern, { timezone, paused: true });
  return (after) => job.nextRun(new Date(after))?.getTime() ?? null;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface ShiftCalendar {
  /** The worked shift running at `t`, or null when the line is off (a day not in `days`). */
  current(t: number): ShiftSlot | null;
  /** The first worked shift starting strictly after `t`. */
  nextStart(t: number): ShiftStart;
}

/**
 * The shifts of a plan as a calendar. The day is cut into slots at every start time; a slot
 * runs until the next start time, so the shift that starts last before midnight runs across
 * it. `days` only says on which weekdays a slot is worked: the last slot of a Friday still
 * ends at Saturday's first start time, and the weekend slots are simply not worked.
 */
export function createShiftCalendar(plan: ShiftPlan): ShiftCalendar {
  if (plan.shifts.length === 0) throw new Error('a shift plan needs at least one shift');
  const starts = plan.shifts.map((s) => {
    const m = HHMM.exec(s.start);
    if (!m) throw new Error(`shift "${s.name}" starts at "${s.start}", not HH:MM`);
    return { name: s.name, next: cronSchedule(`${Number(m[2])} ${Number(m[1])} * * *`, plan.timezone) };
  });
  const days = plan.days && plan.days.length > 0 ? new Set(plan.days) : undefined;
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: plan.timezone, weekday: 'short' });
  const worked = (start: number) => days === undefined || days.has(WEEKDAYS[weekday.format(start)] ?? 0);

  /** The slot boundary strictly after `t`, worked or not. */
  const boundaryAfter = (t: number): { name: string; start: number } => {
    let best: { name: string; start: number } | undefined;
    for (const s of starts) {
      const at = s.next(t);
      if (at !== null && (best === undefined || at < best.start)) best = { name: s.name, start: at };
    }
    // Daily patterns always have a next run; this guards a broken time-zone database only.
    if (!best) throw new Error(`no shift start after ${new Date(t).toISOString()} in ${plan.timezone}`);
    return best;
  };

  /** The slot boundary at or before `t`: every slot is shorter than a day plus a DST hour. */
  const boundaryAtOrBefore = (t: number): { name: string; start: number } => {
    let cur = boundaryAfter(t - 26 * 3_600_000);
    for (;;) {
      const next = boundaryAfter(cur.start);
      if (next.start > t) return cur;
      cur = next;
    }
  };

  return {
    current(t) {
      const b = boundaryAtOrBefore(t);
      if (!worked(b.start)) return null;
      return { shift: b.name, start: b.start, end: boundaryAfter(b.start).start };
    },
    nextStart(t) {
      let prev = boundaryAtOrBefore(t);
      let cur = boundaryAfter(t);
      // `days` is non-empty, so a worked slot comes within a week of slots.
      for (let i = 0; i < 7 * starts.length + 1 && !worked(cur.start); i++) {
        prev = cur;
        cur = boundaryAfter(cur.start);
      }
      const end = boundaryAfter(cur.start).start;
      return { shift: cur.name, start: cur.start, end, previous: worked(prev.start) ? prev.name : null };
    },
  };
}

/** The worked shift running at `t` under `plan`, or null when none is. */
export function currentShift(plan: ShiftPlan, t: number): ShiftSlot | null {
  return createShiftCalendar(plan).current(t);
}
