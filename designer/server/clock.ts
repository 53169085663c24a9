/** The studio's time source; tests pass their own to move past session expiry and code lifetimes. */
export interface StudioClock {
  now(): number;
}

export const systemClock: StudioClock = { now: () => Date.now() };
