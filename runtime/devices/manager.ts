/**
 * The device manager: the site's devices service. Nodes open handles on the devices they use;
 * the manager keeps one poller per distinct device entry and one line per connection, shared by
 * every handle, and polls while some handle holds a device.
 *
 * Lifetime: the manager belongs to the site process, not to a deployment. Engines come and go;
 * each node's handle holds its devices, and a device nobody holds keeps polling for `lingerMs`
 * before it stops. Switching deployments therefore never interrupts polling, whether the new
 * engine starts before the old one stops (both hold the device for a moment) or just after it
 * (the linger bridges the gap). A handle opened on a device that is already polling gets its
 * latest values at once via `latest()`. `start()`/`stop()` connect and disconnect every line;
 * `configure()` swaps site settings and the site's own device list (`devices`, polled without
 * any node holding them) on a running manager, touching only what changed.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import type {
  DeviceEntry,
  DeviceHandle,
  DeviceHealth,
  DeviceHealthChange,
  DeviceOpenRequest,
  DeviceService,
  DeviceTagInfo,
  DeviceUpdate,
  DeviceValue,
  DeviceWriteResult,
  EventService,
} from '../../nodes/sdk';
import { NodeConfigError, NodeError } from '../../nodes/sdk';
import type { JsonPath } from '../model/problem';
import type { Text } from '../model/text';
import type { CompiledDevice } from './compile';
import { DeviceConfigError, compileDevice } from './compile';
import type { DeviceStats } from './device';
import { DeviceRuntime } from './device';
import { Line } from './line';
import type { LineState } from './line';
import type { ModbusError } from './modbus-client';
import { describeEndpoint, endpointKey } from './modbus-client';
import type { ProfileCatalog } from './profile-catalog';
import { loadProfileCatalog } from './profile-catalog';
import type { DeviceSettings } from './settings';
import { DEFAULT_DEVICE_SETTINGS, mergeSettings } from './settings';
import { WriteRefused, encodeWrite } from './write-op';

export interface DeviceManagerOptions {
  /** Profiles by id; default: the shipped library (templates/profiles). */
  readonly profiles?: ProfileCatalog;
  /** Where device health changes and writes are recorded. */
  readonly events?: EventService;
  readonly logger?: Logger;
  readonly settings?: Partial<DeviceSettings>;
  /** Wall clock for timestamps. */
  readonly now?: () => number;
}

export interface DeviceStatus {
  readonly name: string;
  readonly profile: string;
  readonly endpoint: string;
  readonly unitId: number;
  readonly health: DeviceHealth;
  readonly reason: Text;
  readonly line: LineState;
  /** Requests waiting on the device's line (bounded: one round per poll group at most). */
  readonly queued: number;
  readonly owners: readonly string[];
  readonly probing: boolean;
  readonly stats: Readonly<DeviceStats>;
}

export interface DeviceManager extends DeviceService {
  readonly running: boolean;
  /** Connects every line and starts polling (handles opened before start wait for it). */
  start(): void;
  /** Disconnects every line; handles stay open and polling resumes on the next start. */
  stop(): Promise<void>;
  /** New site settings and/or the site's own device list, applied to a running manager. */
  configure(config: { settings?: Partial<DeviceSettings>; devices?: readonly DeviceEntry[] }): void;
  status(): DeviceStatus[];
}

interface Instance {
  readonly runtime: DeviceRuntime;
  readonly line: Line;
  readonly owners: Map<string, number>;
  refs: number;
  linger: ReturnType<typeof setTimeout> | undefined;
  /** Polls released into the linger: dropped when it ends or when someone takes the device again. */
  lingerPolls: number;
}

function sameLineSettings(a: CompiledDevice, b: CompiledDevice): boolean {
  return JSON.stringify(a.endpoint) === JSON.stringify(b.endpoint);
}

export function createDeviceManager(options: DeviceManagerOptions = {}): DeviceManager {
  let catalog = options.profiles;
  const profiles = () => (catalog ??= loadProfileCatalog());
  const log = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? (() => Date.now());
  let settings = mergeSettings(DEFAULT_DEVICE_SETTINGS, options.settings);
  const getSettings = () => settings;
  const instances = new Map<string, Instance>();
  const lines = new Map<string, Line>();
  let running = false;
  let siteHandle: DeviceHandle | undefined;

  const record = (kind: string, source: string, data: Record<string, unknown>) => {
    try {
      options.events?.append({ kind, source, at: now(), data });
    } catch (err) {
      log.warn({ err: String(err) }, 'event service failed');
    }
  };

  const onHealth = (device: DeviceRuntime, change: DeviceHealthChange) => {
    if (change.from === 'connecting' && change.to === 'online') log.info({ device: device.name }, 'device online');
    else log.warn({ device: device.name, from: change.from, to: change.to, reason: change.reason.en }, 'device health changed');
    record('device-health', 'devices', { device: device.name, from: change.from, to: change.to, reason: change.reason });
  };

  const onSplit = (device: DeviceRuntime, block: { area: string; start: number; count: number }, into: readonly { start: number; count: number }[]) => {
    log.warn({ device: device.name, area: block.area, start: block.start, count: block.count, into: into.length }, 'device refused a block spanning unmapped registers; reading its tags in smaller blocks');
    record('device-plan-split', 'devices', { device: device.name, area: block.area, start: block.start, count: block.count, into: into.map((b) => ({ start: b.start, count: b.count })) });
  };

  function lineFor(compiled: CompiledDevice): Line {
    const key = endpointKey(compiled.endpoint);
    let line = lines.get(key);
    if (!line) {
      line = new Line({
        endpoint: compiled.endpoint,
        pipeline: compiled.pipeline,
        settings: getSettings,
        onState: (l, state, why) => {
          if (state === 'backoff') log.warn({ line: l.label, reason: why?.text.en }, 'line down; reconnecting with backoff');
          else if (state === 'open') log.info({ line: l.label }, 'line open');
        },
      });
      lines.set(key, line);
      if (running) line.start();
    } else {
      // The smallest pipeline asked for: a device that cannot take more must not get more.
      line.pipeline = line.rtu ? 1 : Math.min(line.pipeline, compiled.pipeline);
    }
    return line;
  }

  function acquire(compiled: CompiledDevice, owner: string, poll: boolean): Instance {
    let inst = instances.get(compiled.key);
    if (!inst) {
      const runtime = new DeviceRuntime(compiled, getSettings, now, onHealth, onSplit);
      const line = lineFor(compiled);
      inst = { runtime, line, owners: new Map(), refs: 0, linger: undefined, lingerPolls: 0 };
      instances.set(compiled.key, inst);
      line.add(runtime);
    }
    if (inst.linger) {
      clearTimeout(inst.linger);
      inst.linger = undefined;
      inst.runtime.polls -= inst.lingerPolls;
      inst.lingerPolls = 0;
    }
    inst.refs++;
    inst.owners.set(owner, (inst.owners.get(owner) ?? 0) + 1);
    if (poll) {
      inst.runtime.polls++;
      inst.line.tick();
    }
    return inst;
  }

  function release(inst: Instance, owner: string, poll: boolean): void {
    inst.refs--;
    const n = (inst.owners.get(owner) ?? 1) - 1;
    if (n <= 0) inst.owners.delete(owner);
    else inst.owners.set(owner, n);
    if (inst.refs > 0) {
      if (poll) inst.runtime.polls--;
      return;
    }
    // Keep polling a while: the next deployment may want the same device.
    if (poll) inst.lingerPolls++;
    clearTimeout(inst.linger);
    inst.linger = setTimeout(() => {
      inst.linger = undefined;
      inst.runtime.polls -= inst.lingerPolls;
      inst.lingerPolls = 0;
      if (inst.refs > 0) return;
      instances.delete(inst.runtime.compiled.key);
      inst.line.remove(inst.runtime);
      if (inst.line.devices.size === 0) {
        lines.delete(endpointKey(inst.line.endpoint));
        void inst.line.close();
      }
    }, settings.lingerMs);
    inst.linger.unref?.();
  }

  function open(request: DeviceOpenRequest): DeviceHandle {
    const devicesPath: JsonPath = request.paths?.devices ?? ['devices'];
    const tagsPath: JsonPath = request.paths?.tags ?? ['tags'];
    const poll = request.poll !== false;
    const compiled: CompiledDevice[] = request.devices.map((entry, i) => {
      try {
        return compileDevice(entry, profiles());
      } catch (err) {
        if (err instanceof DeviceConfigError) throw new NodeConfigError([...devicesPath, i, ...err.path], err.text, 'device-config');
        throw err;
      }
    });
    // Devices on one line must agree on how to reach it.
    compiled.forEach((c, i) => {
      const others = [...compiled.slice(0, i), ...[...instances.values()].map((x) => x.runtime.compiled)];
      const clash = others.find((o) => endpointKey(o.endpoint) === endpointKey(c.endpoint) && !sameLineSettings(o, c));
      if (clash) {
        throw new NodeConfigError([...devicesPath, i, 'serial'], {
          zh: `设备 “${c.name}” 与 “${clash.name}” 使用同一条线路 ${describeEndpoint(c.endpoint)}，但串口参数不同（${describeEndpoint(clash.endpoint)}）`,
          en: `device "${c.name}" shares ${describeEndpoint(c.endpoint)} with "${clash.name}" but with other line settings (${describeEndpoint(clash.endpoint)})`,
        }, 'device-config');
      }
    });
    const wanted = request.tags && request.tags.length > 0 ? request.tags : undefined;
    const indexes: (number[] | undefined)[] = compiled.map((c, i) => {
      if (!wanted) return undefined;
      return wanted.map((key, j) => {
        const tag = c.byKey.get(key);
        if (!tag) {
          throw new NodeConfigError([...tagsPath, j], {
            zh: `设备 “${c.name}” 的模型 ${c.profile.id} 没有点位 “${key}”`,
            en: `device "${c.name}" (profile ${c.profile.id}) has no tag "${key}"`,
          }, i === 0 ? 'unknown-tag' : 'unknown-tag');
        }
        return tag.index;
      });
    });

    const owner = request.owner;
    const held = compiled.map((c) => acquire(c, owner, poll));
    const subs = held.map((inst, i) => inst.runtime.subscribe(indexes[i]));
    const byName = new Map(held.map((inst, i) => [inst.runtime.name, { inst, sub: subs[i]! }]));
    let closed = false;

    const find = (device: string) => {
      const found = byName.get(device);
      if (!found) throw new NodeError({ zh: `设备 “${device}” 不在此节点的设备组中`, en: `device "${device}" is not in this node's device group` });
      return found;
    };

    const handle: DeviceHandle = {
      devices: held.map((x) => x.runtime.name),
      onUpdate(listener: (u: DeviceUpdate) => void) {
        for (const s of subs) s.onUpdate.add(listener);
        return () => {
          for (const s of subs) s.onUpdate.delete(listener);
        };
      },
      onHealth(listener: (c: DeviceHealthChange) => void) {
        for (const s of subs) s.onHealth.add(listener);
        return () => {
          for (const s of subs) s.onHealth.delete(listener);
        };
      },
      latest: (device) => byName.get(device)?.sub.latest,
      health: (device) => byName.get(device)?.inst.runtime.health,
      tagInfo(device, tag): DeviceTagInfo | undefined {
        return byName.get(device)?.inst.runtime.compiled.byKey.get(tag)?.info;
      },
      async write(device: string, tag: string, value: DeviceValue): Promise<DeviceWriteResult> {
        if (closed) throw new NodeError({ zh: '设备句柄已关闭', en: 'the device handle is closed' });
        const { inst } = find(device);
        let encoded;
        try {
          encoded = encodeWrite(inst.runtime.compiled, tag, value);
        } catch (err) {
          if (err instanceof WriteRefused) {
            record('device-write', owner, { device, tag, value, ok: false, error: err.text });
            throw new NodeError(err.text);
          }
          throw err;
        }
        try {
          await inst.line.write(inst.runtime, encoded.op);
        } catch (err) {
          const text = (err as ModbusError).text ?? { zh: String(err), en: String(err) };
          record('device-write', owner, { device, tag, value, raw: encoded.raw, ok: false, error: text });
          throw new NodeError({ zh: `写入 ${device}.${tag} 失败：${text.zh}`, en: `writing ${device}.${tag} failed: ${text.en}` });
        }
        const at = now();
        record('device-write', owner, { device, tag, value, raw: encoded.raw, ok: true });
        log.info({ device, tag, value, owner }, 'device write');
        return { device, tag, value, raw: encoded.raw, at };
      },
      close() {
        if (closed) return;
        closed = true;
        held.forEach((inst, i) => {
          inst.runtime.unsubscribe(subs[i]!);
          release(inst, owner, poll);
        });
      },
    };
    return handle;
  }

  const manager: DeviceManager = {
    open,
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      for (const line of lines.values()) line.start();
    },
    async stop() {
      if (!running) return;
      running = false;
      await Promise.all([...lines.values()].map((l) => l.close()));
    },
    configure(config) {
      if (config.settings) settings = mergeSettings(settings, config.settings);
      if (config.devices) {
        const before = siteHandle;
        siteHandle = config.devices.length > 0 ? open({ owner: 'site', devices: config.devices }) : undefined;
        before?.close();
      }
    },
    status() {
      return [...instances.values()].map((inst) => {
        const r = inst.runtime;
        return {
          name: r.name,
          profile: r.compiled.profile.id,
          endpoint: describeEndpoint(r.compiled.endpoint),
          unitId: r.compiled.unitId,
          health: r.health,
          reason: r.healthReason,
          line: inst.line.state,
          queued: inst.line.queued,
          owners: [...inst.owners.keys()],
          probing: r.probing,
          stats: { ...r.stats },
        };
      });
    },
  };
  return manager;
}
