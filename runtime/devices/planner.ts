/**
 * The poll planner: which block reads fetch a set of tags. A pure function, so the plan for a
 * profile can be printed, diffed and tested without a device.
 *
 * Tags are grouped by device, area and poll interval; inside a group they are sorted by address
 * and joined greedily into blocks no longer than the request limit, bridging unused registers
 * up to the configured gap. Greedy by start address is optimal for this covering problem (each
 * block starts at the first tag not yet covered and reaches as far as the limit allows), and
 * the output depends only on the input: same tags, same plan.
 */
import type { Area } from '../model/device-profile';
import { AREAS, MODBUS_MAX_BITS, MODBUS_MAX_REGISTERS } from '../model/device-profile';

export interface PlanTag {
  /** Position in the device's tag list; blocks refer to tags by it. */
  readonly index: number;
  readonly area: Area;
  /** 0-based protocol address. */
  readonly start: number;
  /** Registers (input/holding) or bits (coil/discrete). */
  readonly width: number;
  readonly intervalMs: number;
}

export interface PlanLimits {
  /** Registers per request, at most 125. */
  readonly maxRegisters: number;
  /** Bits per request, at most 2000. */
  readonly maxBits: number;
  /** Unused registers a block may span to join two tags. */
  readonly maxGap: number;
  /** Unused bits a block may span to join two tags. */
  readonly maxBitGap: number;
}

export interface PlanDevice {
  readonly device: string;
  readonly tags: readonly PlanTag[];
  readonly limits: PlanLimits;
}

export interface BlockRead {
  readonly device: string;
  readonly area: Area;
  readonly intervalMs: number;
  readonly start: number;
  readonly count: number;
  /** Indexes of the tags this block carries, by address. */
  readonly tags: readonly number[];
}

export const DEFAULT_LIMITS: PlanLimits = { maxRegisters: MODBUS_MAX_REGISTERS, maxBits: MODBUS_MAX_BITS, maxGap: 0, maxBitGap: 0 };

function byAddress(a: PlanTag, b: PlanTag): number {
  return a.start - b.start || b.width - a.width || a.index - b.index;
}

function planGroup(device: string, area: Area, intervalMs: number, tags: readonly PlanTag[], limits: PlanLimits): BlockRead[] {
  const bits = area === 'coil' || area === 'discrete';
  const max = Math.min(bits ? limits.maxBits : limits.maxRegisters, bits ? MODBUS_MAX_BITS : MODBUS_MAX_REGISTERS);
  const gap = Math.max(0, bits ? limits.maxBitGap : limits.maxGap);
  const sorted = [...tags].sort(byAddress);
  const blocks: BlockRead[] = [];
  let start = -1;
  let end = -1;
  let members: number[] = [];
  const flush = () => {
    if (members.length > 0) blocks.push({ device, area, intervalMs, start, count: end - start, tags: members });
  };
  for (const t of sorted) {
    const tEnd = t.start + t.width;
    if (members.length > 0 && t.start - end <= gap && Math.max(end, tEnd) - start <= max) {
      end = Math.max(end, tEnd);
      members.push(t.index);
      continue;
    }
    flush();
    start = t.start;
    end = tEnd;
    members = [t.index];
  }
  flush();
  return blocks;
}

/**
 * Plans the block reads for every device. Output order: devices as given; inside a device by
 * area (coil, discrete, input, holding), then interval, then address.
 */
export function planBlockReads(devices: readonly PlanDevice[]): BlockRead[] {
  const out: BlockRead[] = [];
  for (const d of devices) {
    for (const area of AREAS) {
      const inArea = d.tags.filter((t) => t.area === area);
      const intervals = [...new Set(inArea.map((t) => t.intervalMs))].sort((a, b) => a - b);
      for (const intervalMs of intervals) {
        out.push(...planGroup(d.device, area, intervalMs, inArea.filter((t) => t.intervalMs === intervalMs), d.limits));
      }
    }
  }
  return out;
}
