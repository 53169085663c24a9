/**
 * `kaiwu simulate`: serves simulated Modbus devices that behave like the machines of a profile,
 * for trying a template, a probe or a verify without a factory. Runs until Ctrl-C or --for.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../model/text';
import { UsageError, intFlag, resolveProfileArg, say, table } from '../devices/cli-support';
import type { ProfileCatalog } from '../devices/profile-catalog';
import { loadProfileCatalog } from '../devices/profile-catalog';
import type { SimDeviceSpec, Simulator } from '../devices/simulator/simulator';
import { startSimulator } from '../devices/simulator/simulator';
import { SimulationSettingsSchema } from '../devices/simulator/sim-settings';

export interface SimulateArgs {
  readonly lang: Lang;
  /** A profile id, a profile JSON file, a simulator settings JSON file, or a folder with simulator.json. */
  readonly target: string;
  readonly portBase?: string;
  readonly count?: string;
  readonly seed?: string;
  readonly host?: string;
  /** Raw RTU framing over TCP instead of Modbus TCP. */
  readonly rtu?: boolean;
  /** All devices on one port as units 1…N. */
  readonly gateway?: boolean;
  readonly speed?: string;
  /** Stop after N seconds (0: run until Ctrl-C). */
  readonly for?: string;
  /** Unmapped registers answer "illegal data address". */
  readonly strict?: boolean;
}

interface Plan {
  devices: SimDeviceSpec[];
  catalog: ProfileCatalog;
  portBase?: number;
  seed?: number;
  gateway?: boolean;
  rtu?: boolean;
  speed?: number;
}

function planFrom(target: string): Plan {
  const catalog = loadProfileCatalog();
  let file = target;
  if (existsSync(target) && statSync(target).isDirectory()) {
    file = join(target, 'simulator.json');
    if (!existsSync(file)) throw new UsageError({ zh: `${target} 中没有 simulator.json`, en: `${target} has no simulator.json` });
  }
  if (!catalog.get(target) && existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError({ zh: `${file}：JSON 格式错误（${(err as Error).message}）`, en: `${file}: invalid JSON (${(err as Error).message})` });
    }
    if (raw && typeof raw === 'object' && 'devices' in raw && !('tags' in raw)) {
      const s = SimulationSettingsSchema.safeParse(raw);
      if (!s.success) {
        const i = s.error.issues[0]!;
        throw new UsageError({ zh: `${file}：${i.path.join('.')} ${i.message}`, en: `${file}: ${i.path.join('.')} ${i.message}` });
      }
      return {
        devices: s.data.devices.map((d) => ({ profile: d.profile, count: d.count, ...(d.name ? { name: d.name } : {}), ...(d.strict ? { strict: true } : {}) })),
        catalog,
        ...(s.data.portBase === undefined ? {} : { portBase: s.data.portBase }),
        ...(s.data.seed === undefined ? {} : { seed: s.data.seed }),
        ...(s.data.gateway === undefined ? {} : { gateway: s.data.gateway }),
        ...(s.data.framing === 'rtu' ? { rtu: true } : {}),
        ...(s.data.speed === undefined ? {} : { speed: s.data.speed }),
      };
    }
  }
  const { id, catalog: c } = resolveProfileArg(target, catalog);
  return { devices: [{ profile: c.get(id)!.profile }], catalog: c };
}

/** Runs until SIGINT/SIGTERM or --for; 0 when it stopped cleanly, 1 when it could not start, 2 for bad arguments. */
export async function simulateCommand(args: SimulateArgs, out: (line: string) => void): Promise<number> {
  const lang = args.lang;
  const zh = lang === 'zh';
  let sim: Simulator;
  let forS: number;
  let seed: number;
  let rtu: boolean;
  try {
    const plan = planFrom(args.target);
    const count = args.count === undefined ? undefined : intFlag('count', args.count, 1, 1, 1000);
    const devices = count === undefined ? plan.devices : plan.devices.map((d) => ({ ...d, count }));
    const portBase = intFlag('port-base', args.portBase, plan.portBase ?? 15020, 0, 65_535);
    seed = intFlag('seed', args.seed, plan.seed ?? 1, 0, 2 ** 31);
    const speed = args.speed === undefined ? plan.speed ?? 1 : Number(args.speed);
    if (!(speed > 0 && speed <= 10_000)) throw new UsageError({ zh: '--speed 为 0～10000 之间的数', en: '--speed is a number above 0, at most 10000' });
    forS = intFlag('for', args.for, 0, 0, 31_536_000);
    const total = devices.reduce((n, d) => n + (d.count ?? 1), 0);
    if (!(args.gateway ?? plan.gateway) && portBase !== 0 && portBase + total - 1 > 65_535) {
      throw new UsageError({ zh: `端口 ${portBase}～${portBase + total - 1} 超出范围`, en: `ports ${portBase}–${portBase + total - 1} are out of range` });
    }
    rtu = args.rtu ?? plan.rtu ?? false;
    try {
      sim = await startSimulator({
        devices: devices.map((d) => (args.strict ? { ...d, strict: true } : d)),
        host: args.host ?? '127.0.0.1',
        portBase,
        framing: rtu ? 'rtu' : 'tcp',
        gateway: args.gateway ?? plan.gateway ?? false,
        seed,
        speed,
        catalog: plan.catalog,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out(zh ? `kaiwu simulate：无法启动（${code === 'EADDRINUSE' ? '端口已被占用，换一个 --port-base' : (err as Error).message}）` : `kaiwu simulate: cannot start (${code === 'EADDRINUSE' ? 'a port is in use; pick another --port-base' : (err as Error).message})`);
      return 1;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out(`kaiwu simulate: ${say(lang, err.text)}`);
      return 2;
    }
    throw err;
  }
  const framing = rtu ? 'RTU over TCP' : 'Modbus TCP';
  out(zh ? `模拟 ${sim.devices.length} 台设备（${framing}，种子 ${seed}）：` : `simulating ${sim.devices.length} device(s) (${framing}, seed ${seed}):`);
  const rows = [[zh ? '设备' : 'device', zh ? '地址' : 'address', zh ? '从站' : 'unit', zh ? '模型' : 'profile']];
  for (const d of sim.devices) rows.push([d.name, `${d.host}:${d.port}`, String(d.unitId), d.profile.id]);
  for (const l of table(rows)) out(`  ${l}`);
  const first = sim.devices[0]!;
  out(zh
    ? `试试：kaiwu probe --profile ${first.profile.id} --host ${first.host} --port ${first.port} --unit ${first.unitId}${rtu ? ' --rtu-over-tcp' : ''}。Ctrl-C 停止。`
    : `try: kaiwu probe --profile ${first.profile.id} --host ${first.host} --port ${first.port} --unit ${first.unitId}${rtu ? ' --rtu-over-tcp' : ''}. Ctrl-C stops.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearTimeout(timer);
      resolve();
    };
    const timer = forS > 0 ? setTimeout(stop, forS * 1000) : undefined;
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  out(zh ? '模拟已停止。' : 'simulation stopped.');
  return 0;
}
