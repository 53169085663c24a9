/**
 * Slows down password guessing: after `maxFailures` failed attempts for one user name from one
 * address within `windowMs`, that pair waits until the window has passed; an address that fails
 * `maxPerAddress` times (any names) waits too. Kept in memory: a restart forgets, which costs an
 * attacker a restart of the studio per few guesses.
 */
export interface AttemptLimiter {
  /** Milliseconds to wait before another attempt, or 0. */
  waitFor(name: string, address: string): number;
  failed(name: string, address: string): void;
  succeeded(name: string, address: string): void;
}

export interface LimiterOptions {
  readonly maxFailures?: number;
  readonly maxPerAddress?: number;
  readonly windowMs?: number;
  /** Bounds memory under a flood of distinct names. */
  readonly maxKeys?: number;
}

export function createAttemptLimiter(now: () => number, o: LimiterOptions = {}): AttemptLimiter {
  const maxFailures = o.maxFailures ?? 5;
  const maxPerAddress = o.maxPerAddress ?? 50;
  const windowMs = o.windowMs ?? 15 * 60_000;
  const maxKeys = o.maxKeys ?? 100_000;
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = now() - windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  const pairKey = (name: string, address: string) => `${name.normalize('NFKC').toLowerCase()}\u0000${address}`;
  const addressKey = (address: string) => `\u0001${address}`;
  const wait = (list: number[], limit: number) => (list.length >= limit ? list[list.length - limit]! + windowMs - now() : 0);

  return {
    waitFor(name, address) {
      return Math.max(0, wait(recent(pairKey(name, address)), maxFailures), wait(recent(addressKey(address)), maxPerAddress));
    },
    failed(name, address) {
      for (const key of [pairKey(name, address), addressKey(address)]) {
        const list = recent(key);
        list.push(now());
        failures.delete(key);
        failures.set(key, list.slice(-Math.max(maxFailures, maxPerAddress)));
      }
      // Oldest keys first: a Map iterates in insertion order and failed() re-inserts.
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    succeeded(name, address) {
      failures.delete(pairKey(name, address));
    },
  };
}
