/**
 * A devices service of simulated machines on a virtual clock, for scenario tests: what
 * `DeviceService.open()` gives a modbus-read node, with no socket in between. Each device entry
 * gets a simulated machine (runtime/devices/simulator/machine.ts) writing its registers in the
 * profile's encoding; every poll decodes them on the real path (compile.ts, codec.ts), so a
 * wrong byte order or scale in a profile shows here as it would on site.
 *
 * Time: machines advance in fixed steps of simulated time from the start, whatever the polls
 * do, so the same seed gives the same machines however often (or whether) they are read. Polls
 * run on virtual timers aligned to their interval, as the real poller's grid is.
 *
 * A device that does not answer (a scripted `offline`) goes the way the real one does with the
 * default site settings: its values stale (uncertain) and the device degraded at the first
 * missed round; null and bad after three missed polls of a tag; offline after three missed
 * rounds, when every value is dropped and nothing more is published until it answers again.
 */
import type {
  Clock,
  DeviceHandle,
  DeviceHealth,
  DeviceHealthChange,
  DeviceOpenRequest,
  DeviceService,
  DeviceUpdate,
  DeviceValue,
  DeviceWriteResult,
} from '../../nodes/sdk';
import { NodeConfigError, NodeError } from '../../nodes/sdk';
import type { DeviceEntry, ResolvedTag } from '../model/device-profile';
import { validateDeviceProfile } from '../model/device-profile';
import type { Quality } from '../model/message';
import type { JsonPath } from '../model/problem';
import type { Text } from '../model/text';
import type { CompiledDevice, Decoded, PollGroup } from '../devices/compile';
import { DeviceConfigError, compileDevice, decodeRegisterTag } from '../devices/compile';
import type { ProfileCatalog } from '../devices/profile-catalog';
import { catalogOf } from '../devices/profile-catalog';
import { DEFAULT_DEVICE_SETTINGS } from '../devices/settings';
import { Machine, deviceSeed } from '../devices/simulator/machine';
import { RegisterBank } from '../devices/simulator/register-bank';
import { WriteRefused, encodeWrite } from '../devices/write-op';
import type { DeviceHolds, DeviceScriptEvent } from './device-script';
import { createDeviceScript } from './device-script';

export type { DeviceScriptEvent } from './device-script';

export type SimulatedBehaviour = 'random' | 'steady';

export interface SimulatedDeviceSpec {
  /** The device as a node names it: its profile inline, or an id of `profiles`. */
  readonly entry: DeviceEntry;
  /** The machine's own seed; default: mixed from the service's seed and the device's place. */
  readonly seed?: number;
  /** `random` (default): runs, idles and faults as the profile's simulation says; `steady`: runs until a script says otherwise. */
  readonly behaviour?: SimulatedBehaviour;
  /** Polls at most this often (ms); default the service's `pollMs`, else the profile's intervals. */
  readonly pollMs?: number;
  /** Simulated time per machine step, ms; default the service's `stepMs`. */
  readonly stepMs?: number;
}

export interface SimulatedDevicesOptions {
  /** The virtual clock the engine runs on; the run starts at its current time. */
  readonly clock: Clock;
  /** Default 1. */
  readonly seed?: number;
  /** Devices known up front, in order: their places (1, 2 …) name them in scripts and fix their seeds. Others join when first opened. */
  readonly devices?: readonly SimulatedDeviceSpec[];
  readonly scripts?: readonly DeviceScriptEvent[];
  /** For entries naming their profile by id. */
  readonly profiles?: ProfileCatalog;
  readonly pollMs?: number;
  /** Simulated time per machine step, ms. Default 1000; coarser steps run long tests faster. */
  readonly stepMs?: number;
  /** Tags whose polled values are kept for {@link SimulatedDevices.valueAt} (counters a test compares with). */
  readonly track?: readonly string[];
}

export interface SimulatedDevices extends DeviceService {
  /** Device names in order of their places. */
  readonly names: readonly string[];
  machine(device: string): Machine;
  health(device: string): DeviceHealth | undefined;
  /** The value a tracked tag was last read as at or before `at` (undefined before the first read). */
  valueAt(device: string, tag: string, at: number): DeviceValue | undefined;
  /** Stops every poll; handles stay, silent. */
  close(): void;
  /**
   * Takes a device off the line (true) or brings it back (false) from now on, as a scripted
   * `offline` event does: live previews script devices by hand. A later script boundary
   * recomputes the device's holds from the script.
   */
  setOffline(device: string, offline: boolean): void;
}

const REASONS: Record<DeviceHealth, Text> = {
  connecting: { zh: '正在连接', en: 'connecting' },
  online: { zh: '通讯正常', en: 'answering' },
  degraded: { zh: '应答超时', en: 'answer timed out' },
  offline: { zh: '无应答', en: 'not answering' },
};

interface Subscriber {
  readonly indexes: readonly number[];
  readonly tags: readonly string[];
  readonly onUpdate: Set<(u: DeviceUpdate) => void>;
  readonly onHealth: Set<(c: DeviceHealthChange) => void>;
  latest: DeviceUpdate | undefined;
}

interface SimDevice {
  readonly name: string;
  readonly position: number;
  readonly compiled: CompiledDevice;
  readonly bank: RegisterBank;
  readonly machine: Machine;
  readonly behaviour: SimulatedBehaviour;
  readonly stepMs: number;
  /** Steps taken since the start. */
  steps: number;
  /** The next script boundary not yet applied to it. */
  boundary: number;
  readonly groups: readonly { readonly group: PollGroup; readonly intervalMs: number; readonly fresh: readonly boolean[] }[];
  readonly values: DeviceValue[];
  readonly qualities: Quality[];
  readonly readAt: number[];
  health: DeviceHealth;
  /** Polls in a row each tag was not read. */
  readonly missed: Uint32Array;
  /** Rounds in a row (of any group) the device did not answer. */
  failedRounds: number;
  polls: number;
  readonly subscribers: Set<Subscriber>;
  /** What the script holds it to now. */
  holds: DeviceHolds;
  readonly tracked: Map<string, { ts: number[]; values: DeviceValue[] }>;
}

const NO_HOLDS: DeviceHolds = { state: undefined, tags: new Map(), offline: false };

export function createSimulatedDevices(options: SimulatedDevicesOptions): SimulatedDevices {
  const clock = options.clock;
  const start = clock.now();
  const seed = options.seed ?? 1;
  const catalog = options.profiles ?? catalogOf([]);
  const script = createDeviceScript(options.scripts ?? [], start);
  const track = new Set(options.track ?? []);
  const devices = new Map<string, SimDevice>();
  const order: SimDevice[] = [];
  const specs = new Map((options.devices ?? []).map((s) => [s.entry.name, s]));
  /** One virtual timer per poll interval, shared by every device polled at it. */
  const timers = new Map<number, unknown>();
  let closed = false;
  const scratch: Decoded = { value: null, quality: 'bad' };

  function tagsOf(compiled: CompiledDevice): readonly ResolvedTag[] {
    const p = compiled.profile;
    const found = catalog.get(p.id);
    if (found && found.profile === p) return found.tags;
    const v = validateDeviceProfile(p);
    if (!v.ok) throw new Error(`invalid profile ${p.id}`);
    return v.tags;
  }

  function register(entry: DeviceEntry, spec: SimulatedDeviceSpec | undefined, path: JsonPath): SimDevice {
    let compiled: CompiledDevice;
    try {
      compiled = compileDevice(entry, catalog);
    } catch (err) {
      if (err instanceof DeviceConfigError) throw new NodeConfigError([...path, ...err.path], err.text, 'device-config');
      throw err;
    }
    const position = order.length + 1;
    const bank = new RegisterBank();
    const machine = new Machine(compiled.profile, tagsOf(compiled), bank, spec?.seed ?? deviceSeed(seed, position - 1));
    const behaviour = spec?.behaviour ?? 'random';
    if (behaviour === 'steady') machine.force('running');
    const pollMs = spec?.pollMs ?? options.pollMs ?? 0;
    const n = compiled.tags.length;
    const d: SimDevice = {
      name: compiled.name,
      position,
      compiled,
      bank,
      machine,
      behaviour,
      stepMs: spec?.stepMs ?? options.stepMs ?? 1000,
      steps: 0,
      boundary: 0,
      groups: compiled.groups.map((group) => {
        const fresh = new Array<boolean>(n).fill(false);
        for (const b of group.blocks) for (const t of b.tags) fresh[t.index] = true;
        return { group, intervalMs: Math.max(group.intervalMs, pollMs, 10), fresh: Object.freeze(fresh) };
      }),
      values: new Array<DeviceValue>(n).fill(null),
      qualities: new Array<Quality>(n).fill('bad'),
      readAt: new Array<number>(n).fill(0),
      health: 'connecting',
      missed: new Uint32Array(n),
      failedRounds: 0,
      polls: 0,
      subscribers: new Set(),
      holds: NO_HOLDS,
      tracked: new Map([...track].filter((t) => compiled.byKey.has(t)).map((t) => [t, { ts: [], values: [] }])),
    };
    devices.set(d.name, d);
    order.push(d);
    applyHolds(d, start);
    // Devices that join late catch up, so every machine's time is the clock's.
    advance(d, clock.now());
    return d;
  }

  // Known devices take their places first, whoever opens them.
  for (const spec of options.devices ?? []) register(spec.entry, spec, ['devices']);

  function applyHolds(d: SimDevice, t: number): void {
    const next = script.holdsAt(d, t);
    const prev = d.holds;
    d.holds = next;
    const m = d.machine;
    if (next.state?.state !== prev.state?.state || next.state?.faultCode !== prev.state?.faultCode) {
      if (next.state) m.force(next.state.state, next.state.faultCode === undefined ? {} : { faultCode: next.state.faultCode });
      else if (d.behaviour === 'steady') m.force('running');
      else m.release('running');
    }
    for (const key of prev.tags.keys()) if (!next.tags.has(key)) m.unhold(key);
    for (const [key, value] of next.tags) if (prev.tags.get(key) !== value) m.hold(key, value);
  }

  /**
   * Steps a machine up to `now`, applying scripted holds as their times come. Machines step only
   * when read (or looked at): a step is the same whenever it is taken, so this saves time and
   * changes nothing — as long as events fall on step boundaries, as whole-second times do.
   */
  function advance(d: SimDevice, now: number): void {
    const due = Math.floor((now - start) / d.stepMs);
    const b = script.boundaries;
    while (d.steps < due) {
      const t = start + d.steps * d.stepMs;
      if (d.boundary < b.length && b[d.boundary]! <= t) {
        while (d.boundary < b.length && b[d.boundary]! <= t) d.boundary++;
        applyHolds(d, t);
      }
      d.machine.step(d.stepMs / 1000);
      d.steps++;
    }
    if (d.boundary < b.length && b[d.boundary]! <= now) {
      while (d.boundary < b.length && b[d.boundary]! <= now) d.boundary++;
      applyHolds(d, now);
    }
  }

  function setHealth(d: SimDevice, to: DeviceHealth, at: number): void {
    const from = d.health;
    if (from === to) return;
    d.health = to;
    const change: DeviceHealthChange = { device: d.name, from, to, reason: REASONS[to], at };
    for (const sub of d.subscribers) for (const l of sub.onHealth) l(change);
  }

  function publish(d: SimDevice, at: number, fresh: readonly boolean[]): void {
    for (const sub of d.subscribers) {
      const u: DeviceUpdate = {
        device: d.name,
        ts: at,
        health: d.health,
        tags: sub.tags,
        values: sub.indexes.map((i) => d.values[i]!),
        qualities: sub.indexes.map((i) => d.qualities[i]!),
        readAt: sub.indexes.map((i) => d.readAt[i]!),
        fresh: sub.indexes.map((i) => fresh[i]!),
      };
      sub.latest = u;
      for (const l of sub.onUpdate) l(u);
    }
  }

  /** One poll round of one group of a device. */
  function poll(d: SimDevice, g: SimDevice['groups'][number], at: number): void {
    advance(d, at);
    const s = DEFAULT_DEVICE_SETTINGS;
    if (d.holds.offline) {
      const silent = d.health === 'offline';
      d.failedRounds++;
      for (const b of g.group.blocks) {
        for (const t of b.tags) {
          const missed = ++d.missed[t.index]!;
          if (missed >= s.badAfterMissed) {
            d.values[t.index] = null;
            d.qualities[t.index] = 'bad';
          } else if (missed >= s.staleAfterMissed && d.qualities[t.index] === 'good') d.qualities[t.index] = 'uncertain';
        }
      }
      if (d.failedRounds >= s.offlineAfterFailed) {
        // Offline: only probed from now on, no value is current.
        d.values.fill(null);
        d.qualities.fill('bad');
        setHealth(d, 'offline', at);
      } else setHealth(d, 'degraded', at);
      // An offline device is only probed: nothing is published until it answers.
      if (!silent) publish(d, at, g.fresh.map(() => false));
      return;
    }
    d.failedRounds = 0;
    for (const b of g.group.blocks) {
      if (b.area === 'coil' || b.area === 'discrete') {
        const bits = d.bank.bits(b.area);
        for (const t of b.tags) {
          d.values[t.index] = bits[t.start] === 1;
          d.qualities[t.index] = 'good';
          d.readAt[t.index] = at;
          d.missed[t.index] = 0;
        }
        continue;
      }
      const bytes = d.bank.getBytes(b.area, b.start, b.count);
      for (const t of b.tags) {
        decodeRegisterTag(t, b, bytes, scratch);
        d.values[t.index] = scratch.value;
        d.qualities[t.index] = scratch.quality;
        d.readAt[t.index] = at;
        d.missed[t.index] = 0;
      }
    }
    for (const [key, rec] of d.tracked) {
      const i = d.compiled.byKey.get(key)!.index;
      if (!g.fresh[i] || d.qualities[i] === 'bad') continue;
      rec.ts.push(at);
      rec.values.push(d.values[i]!);
    }
    setHealth(d, 'online', at);
    publish(d, at, g.fresh);
  }

  function arm(intervalMs: number): void {
    if (closed || timers.has(intervalMs)) return;
    const now = clock.now();
    const due = (Math.floor(now / intervalMs) + 1) * intervalMs;
    timers.set(intervalMs, clock.setTimeout(() => tick(intervalMs), due - now));
  }

  function tick(intervalMs: number): void {
    timers.delete(intervalMs);
    const now = clock.now();
    let any = false;
    for (const d of order) {
      if (d.polls <= 0) continue;
      for (const g of d.groups) {
        if (g.intervalMs !== intervalMs) continue;
        any = true;
        poll(d, g, now);
      }
    }
    if (any) arm(intervalMs);
  }

  /** A device starts polling: its first round at once, then on the grid. */
  function startPolling(d: SimDevice): void {
    if (closed) return;
    clock.setTimeout(() => {
      if (closed || d.polls <= 0) return;
      const now = clock.now();
      for (const g of d.groups) poll(d, g, now);
      for (const g of d.groups) arm(g.intervalMs);
    }, 0);
  }

  function open(request: DeviceOpenRequest): DeviceHandle {
    const devicesPath: JsonPath = request.paths?.devices ?? ['devices'];
    const tagsPath: JsonPath = request.paths?.tags ?? ['tags'];
    const poll = request.poll !== false;
    const held = request.devices.map((entry, i) => devices.get(entry.name) ?? register(entry, specs.get(entry.name), [...devicesPath, i]));
    const wanted = request.tags && request.tags.length > 0 ? request.tags : undefined;
    const subs = held.map((d) => {
      const indexes = wanted
        ? wanted.map((key, j) => {
          const tag = d.compiled.byKey.get(key);
          if (!tag) {
            throw new NodeConfigError([...tagsPath, j], {
              zh: `设备 “${d.name}” 的模型 ${d.compiled.profile.id} 没有点位 “${key}”`,
              en: `device "${d.name}" (profile ${d.compiled.profile.id}) has no tag "${key}"`,
            }, 'unknown-tag');
          }
          return tag.index;
        })
        : d.compiled.tags.map((t) => t.index);
      const sub: Subscriber = { indexes, tags: Object.freeze(indexes.map((i) => d.compiled.tags[i]!.key)), onUpdate: new Set(), onHealth: new Set(), latest: undefined };
      return sub;
    });
    held.forEach((d, i) => {
      d.subscribers.add(subs[i]!);
      if (poll && d.polls++ === 0) startPolling(d);
    });
    const byName = new Map(held.map((d, i) => [d.name, { d, sub: subs[i]! }]));
    let open = true;

    return {
      devices: held.map((d) => d.name),
      onUpdate(listener) {
        for (const s of subs) s.onUpdate.add(listener);
        return () => {
          for (const s of subs) s.onUpdate.delete(listener);
        };
      },
      onHealth(listener) {
        for (const s of subs) s.onHealth.add(listener);
        return () => {
          for (const s of subs) s.onHealth.delete(listener);
        };
      },
      latest: (device) => byName.get(device)?.sub.latest,
      health: (device) => byName.get(device)?.d.health,
      tagInfo: (device, tag) => byName.get(device)?.d.compiled.byKey.get(tag)?.info,
      write(device, tag, value): Promise<DeviceWriteResult> {
        const found = byName.get(device);
        if (!open) return Promise.reject(new NodeError({ zh: '设备句柄已关闭', en: 'the device handle is closed' }));
        if (!found) return Promise.reject(new NodeError({ zh: `设备 “${device}” 不在此节点的设备组中`, en: `device "${device}" is not in this node's device group` }));
        const d = found.d;
        if (d.holds.offline) return Promise.reject(new NodeError({ zh: `写入 ${device}.${tag} 失败：设备无应答`, en: `writing ${device}.${tag} failed: the device does not answer` }));
        let encoded;
        try {
          encoded = encodeWrite(d.compiled, tag, value);
        } catch (err) {
          if (err instanceof WriteRefused) return Promise.reject(new NodeError(err.text));
          throw err;
        }
        const op = encoded.op;
        if (op.kind === 'coil') {
          d.bank.coils[op.address] = op.value ? 1 : 0;
          d.machine.noteWrite('coil', op.address, 1);
        } else if (op.kind === 'mask') {
          const regs = d.bank.holding;
          regs[op.address] = (regs[op.address]! & op.andMask) | (op.orMask & ~op.andMask & 0xffff);
          d.machine.noteWrite('holding', op.address, 1);
        } else {
          d.bank.setBytes('holding', op.address, op.bytes);
          d.machine.noteWrite('holding', op.address, op.bytes.length / 2);
        }
        return Promise.resolve({ device, tag, value, raw: encoded.raw, at: clock.now() });
      },
      close() {
        if (!open) return;
        open = false;
        held.forEach((d, i) => {
          d.subscribers.delete(subs[i]!);
          if (poll) d.polls--;
        });
      },
    };
  }

  const find = (device: string): SimDevice => {
    const d = devices.get(device);
    if (!d) throw new Error(`no simulated device "${device}"`);
    return d;
  };

  return {
    open,
    get names() {
      return order.map((d) => d.name);
    },
    machine(device) {
      const d = find(device);
      advance(d, clock.now());
      return d.machine;
    },
    health: (device) => devices.get(device)?.health,
    valueAt(device, tag, at) {
      const rec = devices.get(device)?.tracked.get(tag);
      if (!rec || rec.ts.length === 0 || rec.ts[0]! > at) return undefined;
      let lo = 0;
      let hi = rec.ts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (rec.ts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      return rec.values[lo];
    },
    setOffline(device, offline) {
      const d = find(device);
      advance(d, clock.now());
      d.holds = { ...d.holds, offline };
    },
    close() {
      closed = true;
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
    },
  };
}
