/**
 * Scripted device behaviour for scenario tests: events that hold a device in a state, make a tag
 * show a value, or take the device off the line, each for a while. Overlapping events of one
 * kind on one device: the one that started last wins, so a short fault inside a long stop shows.
 */
import type { MachineState } from '../model/device-profile';

export interface DeviceScriptEvent {
  /** ms after the start of the run. */
  readonly at: number;
  /** A device name, or its place among the simulated devices (1 = the first); absent: every device. */
  readonly device?: string | number;
  /** How long it lasts, ms; absent: to the end of the run. */
  readonly forMs?: number;
  readonly state?: MachineState;
  /** With `state: 'fault'`: the code fault-code tags (a stop cause) show. */
  readonly faultCode?: number;
  readonly tag?: string;
  readonly value?: number | boolean | string;
  /** The device does not answer. */
  readonly offline?: boolean;
}

/** What the script holds one device to at one time. */
export interface DeviceHolds {
  readonly state: { readonly state: MachineState; readonly faultCode: number | undefined } | undefined;
  readonly tags: ReadonlyMap<string, number | boolean | string>;
  readonly offline: boolean;
}

export interface DeviceScript {
  /** Absolute times at which some hold begins or ends, ascending. */
  readonly boundaries: readonly number[];
  holdsAt(device: { readonly name: string; readonly position: number }, t: number): DeviceHolds;
}

const NONE: DeviceHolds = { state: undefined, tags: new Map(), offline: false };

/** The script of a run starting at `start` (ms since the epoch). */
export function createDeviceScript(events: readonly DeviceScriptEvent[], start: number): DeviceScript {
  const list = events.map((e, order) => ({ e, order, from: start + e.at, until: e.forMs === undefined ? Infinity : start + e.at + e.forMs }));
  // Later starts win; among equal starts, the later event in the list.
  list.sort((a, b) => a.from - b.from || a.order - b.order);
  const boundaries = [...new Set(list.flatMap((x) => (Number.isFinite(x.until) ? [x.from, x.until] : [x.from])))].sort((a, b) => a - b);
  return {
    boundaries,
    holdsAt(device, t) {
      if (list.length === 0) return NONE;
      let state: DeviceHolds['state'];
      const tags = new Map<string, number | boolean | string>();
      let offline = false;
      for (const { e, from, until } of list) {
        if (from > t) break;
        if (t >= until) continue;
        if (e.device !== undefined && e.device !== device.name && e.device !== device.position) continue;
        if (e.state !== undefined) state = { state: e.state, faultCode: e.faultCode };
        if (e.tag !== undefined && e.value !== undefined) tags.set(e.tag, e.value);
        if (e.offline === true) offline = true;
      }
      return { state, tags, offline };
    },
  };
}
