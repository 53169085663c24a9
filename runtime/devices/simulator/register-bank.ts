/**
 * The memory of one simulated device: 65 536 of each area, and optionally the set of addresses
 * its profile maps, so a strict device can answer "illegal data address" for the rest.
 */
import type { Area } from '../../model/device-profile';

export class RegisterBank {
  readonly coils = new Uint8Array(65_536);
  readonly discrete = new Uint8Array(65_536);
  readonly input = new Uint16Array(65_536);
  readonly holding = new Uint16Array(65_536);
  /** When set, only these addresses exist; keyed by area. */
  mapped: Record<Area, Uint8Array> | undefined;

  bits(area: 'coil' | 'discrete'): Uint8Array {
    return area === 'coil' ? this.coils : this.discrete;
  }

  registers(area: 'input' | 'holding'): Uint16Array {
    return area === 'input' ? this.input : this.holding;
  }

  /** Marks [start, start + count) of an area as existing (strict devices only). */
  map(area: Area, start: number, count: number): void {
    this.mapped ??= { coil: new Uint8Array(65_536), discrete: new Uint8Array(65_536), input: new Uint8Array(65_536), holding: new Uint8Array(65_536) };
    this.mapped[area].fill(1, start, Math.min(65_536, start + count));
  }

  /** Whether every address of the range exists. */
  exists(area: Area, start: number, count: number): boolean {
    if (start + count > 65_536) return false;
    const m = this.mapped?.[area];
    if (!m) return true;
    for (let i = start; i < start + count; i++) if (m[i] === 0) return false;
    return true;
  }

  /** Writes wire-order bytes into registers. */
  setBytes(area: 'input' | 'holding', start: number, bytes: Uint8Array): void {
    const regs = this.registers(area);
    for (let i = 0; i + 1 < bytes.length; i += 2) regs[start + i / 2] = (bytes[i]! << 8) | bytes[i + 1]!;
  }

  /** Reads registers as wire-order bytes. */
  getBytes(area: 'input' | 'holding', start: number, count: number): Uint8Array {
    const regs = this.registers(area);
    const out = new Uint8Array(2 * count);
    for (let i = 0; i < count; i++) {
      const v = regs[start + i]!;
      out[2 * i] = v >> 8;
      out[2 * i + 1] = v & 0xff;
    }
    return out;
  }
}
