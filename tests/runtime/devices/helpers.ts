// Shared by the device tests: waiting on conditions (never on the clock), a device profile whose
// every value is known, and a watch for unhandled rejections.
import type { DeviceProfileInput } from '../../../runtime/model/device-profile';

/** Resolves with the first truthy result of `check`, polled every 5 ms; fails after `ms` saying what it waited for. */
export async function until<T>(what: string, check: () => T | undefined | null | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const tag = (key: string, address: number, type: 'uint16' | 'int16' | 'float32' | 'uint32', value: number) => ({
  tag: { key, label: { zh: key, en: key }, area: 'holding' as const, address, type },
  value,
});

/** Two blocks of ten registers with the same shape and different, fixed values. */
const KNOWN = [
  tag('a1', 0, 'uint16', 1111), tag('a2', 1, 'int16', -222), tag('a3', 2, 'float32', 12.5), tag('a4', 4, 'uint32', 123456),
  tag('a5', 6, 'uint16', 6), tag('a6', 7, 'uint16', 7), tag('a7', 8, 'uint16', 8), tag('a8', 9, 'uint16', 9),
  tag('b1', 100, 'uint16', 2111), tag('b2', 101, 'int16', -333), tag('b3', 102, 'float32', 22.5), tag('b4', 104, 'uint32', 654321),
  tag('b5', 106, 'uint16', 16), tag('b6', 107, 'uint16', 17), tag('b7', 108, 'uint16', 18), tag('b8', 109, 'uint16', 19),
];

export const KNOWN_VALUES: Record<string, number> = Object.fromEntries(KNOWN.map((k) => [k.tag.key, k.value]));

export function knownProfile(id = 'known-values', intervalMs = 50): DeviceProfileInput {
  return {
    schemaVersion: 1,
    id,
    title: { zh: '已知值', en: 'known values' },
    defaults: { byteOrder: 'ABCD', addressBase: 0, intervalMs },
    tags: KNOWN.map((k) => k.tag),
    simulation: { tags: Object.fromEntries(KNOWN.map((k) => [k.tag.key, { kind: 'constant', value: k.value }])) },
  };
}

/** Records unhandled rejections while a test runs. */
export function watchUnhandled(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onRejection = (e: unknown) => errors.push(e);
  process.on('unhandledRejection', onRejection);
  return { errors, stop: () => process.off('unhandledRejection', onRejection) };
}
