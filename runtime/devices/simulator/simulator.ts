/**
 * Simulated devices for commissioning drills, template tests and benchmarks: each device a
 * machine (machine.ts) behind a Modbus server (responder.ts) — one TCP port per device, or all
 * of them as units behind one port (a gateway, or an RTU line).
 */
import type { DeviceEntry, DeviceProfile, ResolvedTag } from '../../model/device-profile';
import { validateDeviceProfile } from '../../model/device-profile';
import type { ProfileCatalog } from '../profile-catalog';
import { loadProfileCatalog } from '../profile-catalog';
import { Machine, deviceSeed } from './machine';
import { RegisterBank } from './register-bank';
import type { Fault, Framing, ModbusServer, SimUnit } from './responder';
import { NO_FAULT, serveModbus } from './responder';

export interface SimDeviceSpec {
  /** A profile id of the library, or a whole profile. */
  readonly profile: string | DeviceProfile;
  /** How many devices of this profile. Default 1. */
  readonly count?: number;
  /** Name prefix; devices are `<prefix>-1`, `<prefix>-2` … Default: the profile id. */
  readonly name?: string;
  /** Only the profile's registers exist; others answer "illegal data address". */
  readonly strict?: boolean;
}

export interface SimulatorOptions {
  readonly devices: readonly SimDeviceSpec[];
  readonly host?: string;
  /** First port; device i listens on portBase + i (or all on portBase with `gateway`). 0: free ports. */
  readonly portBase?: number;
  /** `tcp` (Modbus TCP) or `rtu` (raw RTU frames over TCP, as a transparent serial server sends them). */
  readonly framing?: Framing;
  /** All devices behind one port as units 1, 2, 3 … */
  readonly gateway?: boolean;
  readonly seed?: number;
  /** Simulated seconds per real second. */
  readonly speed?: number;
  /** Simulated time step. */
  readonly stepS?: number;
  /** false: time moves only with `advance()` (tests). */
  readonly realtime?: boolean;
  readonly catalog?: ProfileCatalog;
}

export interface SimulatedDevice {
  readonly name: string;
  readonly profile: DeviceProfile;
  readonly host: string;
  readonly port: number;
  readonly unitId: number;
  readonly unit: SimUnit;
  readonly machine: Machine;
  setFault(fault: Fault): void;
  /** How to reach this device, as a device group entry. */
  entry(overrides?: Partial<DeviceEntry>): DeviceEntry;
}

export interface Simulator {
  readonly devices: readonly SimulatedDevice[];
  readonly servers: readonly ModbusServer[];
  device(name: string): SimulatedDevice;
  /** Moves simulated time on by `seconds` (in steps). */
  advance(seconds: number): void;
  close(): Promise<void>;
}

function resolveProfile(spec: SimDeviceSpec, catalog: () => ProfileCatalog): { profile: DeviceProfile; tags: readonly ResolvedTag[] } {
  if (typeof spec.profile !== 'string') {
    const v = validateDeviceProfile(spec.profile);
    if (!v.ok) throw new Error(`invalid profile: ${v.problems.map((p) => `${p.at}: ${p.message.en}`).join('; ')}`);
    return { profile: v.profile, tags: v.tags };
  }
  const found = catalog().get(spec.profile);
  if (!found) throw new Error(`no device profile "${spec.profile}"; known: ${catalog().ids().join(', ')}`);
  return found;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  let catalog = options.catalog;
  const getCatalog = () => (catalog ??= loadProfileCatalog());
  const host = options.host ?? '127.0.0.1';
  const framing = options.framing ?? 'tcp';
  const seed = options.seed ?? 1;
  const stepS = options.stepS ?? 0.1;
  const speed = options.speed ?? 1;

  interface Pending { name: string; profile: DeviceProfile; unit: SimUnit; machine: Machine; unitId: number }
  const pending: Pending[] = [];
  let index = 0;
  for (const spec of options.devices) {
    const { profile, tags } = resolveProfile(spec, getCatalog);
    const count = spec.count ?? 1;
    for (let k = 1; k <= count; k++) {
      const bank = new RegisterBank();
      if (spec.strict) for (const t of tags) bank.map(t.tag.area, t.start, t.width);
      const machine = new Machine(profile, tags, bank, deviceSeed(seed, index));
      const unit: SimUnit = { bank, fault: NO_FAULT, received: 0, answered: 0, onWrite: (area, start, n) => machine.noteWrite(area, start, n) };
      pending.push({ name: `${spec.name ?? profile.id}-${k}`, profile, unit, machine, unitId: options.gateway ? index + 1 : 1 });
      index++;
    }
  }

  const servers: ModbusServer[] = [];
  const devices: SimulatedDevice[] = [];
  const portBase = options.portBase ?? 0;
  try {
    if (options.gateway) {
      const byUnit = new Map(pending.map((p) => [p.unitId, p.unit]));
      servers.push(await serveModbus({ host, port: portBase, framing, lookup: (u) => byUnit.get(u), gateway: framing === 'tcp' }));
    } else {
      for (let i = 0; i < pending.length; i++) {
        const unit = pending[i]!.unit;
        // A Modbus TCP device answers whatever unit id it is sent, as most do.
        servers.push(await serveModbus({ host, port: portBase === 0 ? 0 : portBase + i, framing, lookup: framing === 'tcp' ? () => unit : (u) => (u === 1 ? unit : undefined) }));
      }
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    throw err;
  }
  pending.forEach((p, i) => {
    const server = options.gateway ? servers[0]! : servers[i]!;
    devices.push({
      name: p.name,
      profile: p.profile,
      host,
      port: server.port,
      unitId: p.unitId,
      unit: p.unit,
      machine: p.machine,
      setFault(fault) {
        p.unit.fault = fault;
      },
      entry(overrides = {}) {
        const base: DeviceEntry = { name: p.name, host, port: server.port, unitId: p.unitId, profile: p.profile.id, ...(framing === 'rtu' ? { protocol: 'rtu-over-tcp' as const } : {}) };
        return { ...base, ...overrides };
      },
    });
  });

  let done = 0;
  const advance = (seconds: number) => {
    const steps = Math.round(seconds / stepS);
    for (let s = 0; s < steps; s++) for (const p of pending) p.machine.step(stepS);
    done += steps;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  if (options.realtime !== false) {
    const t0 = performance.now();
    // Steps follow the clock, not the timer: a late timer catches up, so runs stay comparable.
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * speed / stepS);
      const steps = Math.min(due - done, 10_000);
      if (steps > 0) advance(steps * stepS);
      done = Math.max(done, due);
    }, 100);
    timer.unref?.();
  }

  return {
    devices,
    servers,
    device(name) {
      const d = devices.find((x) => x.name === name);
      if (!d) throw new Error(`no simulated device "${name}"`);
      return d;
    },
    advance,
    async close() {
      clearInterval(timer);
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
