import type { Clock } from '../../nodes/sdk';

/** Node fires timers longer than 2^31 - 1 ms at once; longer waits are chained in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface LongTimer {
  handle: ReturnType<typeof setTimeout> | undefined;
}

export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const timer: LongTimer = { handle: undefined };
      const due = Date.now() + ms;
      const arm = (left: number) => {
        timer.handle = setTimeout(() => {
          const rest = due - Date.now();
          if (rest > 0) arm(rest);
          else fn();
        }, Math.min(Math.max(0, left), MAX_TIMEOUT_MS));
      };
      arm(ms);
      return timer;
    },
    clearTimeout(handle) {
      const timer = handle as LongTimer | undefined;
      if (timer?.handle !== undefined) clearTimeout(timer.handle);
    },
  };
}

interface VirtualTimer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export interface VirtualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing due timers in order. After each firing `settle` is
   * awaited (e.g. `engine.idle`) so the work a timer started finishes before the next one.
   */
  advance(ms: number, settle?: () => Promise<void>): Promise<void>;
  /** Timers still waiting. */
  pending(): number;
}

/** A clock that only moves when told to: scenario tests run hours of a shift in milliseconds. */
export function createVirtualClock(start: number): VirtualClock {
  let now = start;
  let seq = 0;
  const timers: VirtualTimer[] = [];
  const byOrder = (a: VirtualTimer, b: VirtualTimer) => a.due - b.due || a.seq - b.seq;

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer: VirtualTimer = { due: now + Math.max(0, ms), seq: seq++, fn, cancelled: false };
      timers.push(timer);
      timers.sort(byOrder);
      return timer;
    },
    clearTimeout(handle) {
      const timer = handle as VirtualTimer | undefined;
      if (!timer) return;
      timer.cancelled = true;
      const i = timers.indexOf(timer);
      if (i >= 0) timers.splice(i, 1);
    },
    async advance(ms, settle) {
      const target = now + ms;
      // What was set in motion at the current time finishes before time moves on.
      if (settle) await settle();
      for (;;) {
        const next = timers[0];
        if (!next || next.due > target) break;
        timers.shift();
        now = next.due;
        if (!next.cancelled) next.fn();
        if (settle) await settle();
      }
      now = target;
      if (settle) await settle();
    },
    pending: () => timers.length,
  };
}
