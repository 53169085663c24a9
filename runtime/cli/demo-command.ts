import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createStudio } from '../../designer/server/studio';
import { loadProfileCatalog } from '../devices/profile-catalog';
import type { Simulator } from '../devices/simulator/simulator';
import { startSimulator } from '../devices/simulator/simulator';
import { SimulationSettingsSchema } from '../devices/simulator/sim-settings';
import type { Lang } from '../model';
import { dataDir, ensureDataDir } from '../site/data-dir';
import { startSiteService } from '../site/site-service';
import { trustKey } from '../site/trusted-keys';
import { addViewer } from '../site/viewers';
import { pairCommand } from './pair-command';
import { untilSignal } from './signals';
import { shippedExamplesDir } from '../library/shipped-examples';
import { startupDone } from './startup-heap';

export interface DemoOptions {
  readonly lang: Lang;
  /** Where studio and site keep their data; default a fresh temporary folder, removed at the end. */
  readonly data?: string;
  /** The studio's port (0: any free one); the site's is the next free one. */
  readonly studioPort: number;
  readonly sitePort: number;
  readonly host: string;
  /** The sample firm under examples/ to run. */
  readonly example: string;
  /** Stop by itself after this many seconds (0: until Ctrl-C). */
  readonly forSec: number;
  readonly logLevel: string;
}

/** The examples folder of this installation. */
function examplesDir(): string {
  const dir = shippedExamplesDir();
  if (!dir) throw new DemoError('the examples folder was not found next to this installation');
  return dir;
}


class DemoError extends Error {}

/** A JSON client for the studio's API, as one user. */
function studioClient(base: string) {
  let token: string | undefined;
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) as Record<string, unknown> : {};
    if (!res.ok) throw new DemoError(`${method} ${path}: HTTP ${res.status} ${JSON.stringify((parsed as { error?: unknown }).error ?? parsed)}`);
    return parsed;
  }
  return {
    call,
    async login(username: string, password: string) {
      token = undefined;
      token = (await call('POST', '/api/login', { username, password, client: 'api' })).token as string;
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('listening', () => {
      const a = server.address() as AddressInfo;
      resolve(`http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    });
    server.once('error', reject);
  });
}

/**
 * `kaiwu demo` (what `npm start` runs): a studio with the shipped templates, a sample firm's
 * machines simulated over Modbus TCP, and a site runtime paired with the studio, on which the
 * studio deploys the sample firm's copy of its template. Everything a new user needs to look
 * at is printed: addresses, users and passwords.
 */
export async function demoCommand(o: DemoOptions, print: (line: string) => void): Promise<number> {
  const zh = o.lang === 'zh';
  const signalled = untilSignal();
  const root = o.data ?? mkdtempSync(join(tmpdir(), 'kaiwu-demo-'));
  mkdirSync(root, { recursive: true });
  const logger = pino({ level: o.logLevel, base: { part: 'demo' } }, pino.destination(2));
  const stops: (() => Promise<unknown> | unknown)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    if (!o.data) rmSync(root, { recursive: true, force: true });
  };
  try {
    const example = join(examplesDir(), o.example);
    if (!existsSync(join(example, 'simulator.json'))) throw new DemoError(`${example}: no simulator.json (examples: ${readdirSync(examplesDir()).join(', ')})`);
    const settings = SimulationSettingsSchema.parse(JSON.parse(readFileSync(join(example, 'simulator.json'), 'utf8')));
    const sample = JSON.parse(readFileSync(join(example, 'instance.json'), 'utf8')) as { template: string; enterprise: string; site: string; devices: Record<string, Record<string, unknown>[]> } & Record<string, unknown>;

    // 1. The sample firm's machines, on free ports.
    const sim: Simulator = await startSimulator({
      devices: settings.devices.map((d) => ({ profile: d.profile, count: d.count, ...(d.name ? { name: d.name } : {}) })),
      catalog: loadProfileCatalog(), portBase: 0, host: '127.0.0.1', ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    });
    stops.push(() => sim.close());

    // 2. The studio, with the shipped templates.
    const studio = await createStudio({ dataDir: join(root, 'studio'), logger: logger.child({ part: 'studio' }) });
    stops.push(() => studio.close());
    const studioServer = studio.app.listen(o.studioPort, o.host);
    const studioUrl = await listen(studioServer);
    stops.push(() => {
      studioServer.close();
      studioServer.closeAllConnections();
    });

    // 3. The site runtime, trusting the studio's key.
    const siteDir = dataDir(join(root, 'site'));
    ensureDataDir(siteDir);
    trustKey(siteDir, studio.key.publicFile);
    // The site dashboard needs a viewer login: one for the demo, with the demo users' password.
    const password = `demo-${randomBytes(6).toString('base64url')}`;
    await addViewer(siteDir, 'viewer', password, { canAck: true, now: Date.now() });
    const site = await startSiteService({ dir: siteDir, port: o.sitePort, host: o.host, logger: logger.child({ part: 'site' }), probationMs: 10_000, heartbeatMs: 5_000 });
    stops.push(() => site.close());

    // 4. Users, pairing, the sample firm's instance bound to the site, deployed by the studio.
    const admin = studioClient(studioUrl);
    await admin.login('admin', studio.adminPassword ?? readFileSync(studio.dir.adminPassword, 'utf8').trim());
    await admin.call('POST', '/api/users', { username: 'contractor', role: 'contractor', password });
    await admin.call('POST', '/api/users', { username: 'engineer', role: 'field-engineer', password });
    await admin.call('POST', '/api/users', { username: 'enterprise', role: 'enterprise', enterprise: sample.enterprise, password });
    const { code } = await admin.call('POST', '/api/pairing-codes', { name: zh ? '示范车间' : 'Demonstration workshop', enterprise: sample.enterprise }) as { code: string };
    const paired = await pairCommand(code, { data: siteDir.root, studio: studioUrl, url: site.url, lang: o.lang }, () => undefined);
    if (paired !== 0) throw new DemoError('pairing the demo site with the demo studio failed');

    const [templateId, version] = sample.template.split('@') as [string, string];
    const template = (await admin.call('GET', `/api/templates/${templateId}/versions/${version}`)) as { template: { deviceGroups: { key: string; profile: string }[] } };
    const groups = template.template.deviceGroups;
    const byProfile = new Map<string, { host: string; port: number }[]>();
    for (const d of sim.devices) {
      const e = d.entry() as { host?: string; port?: number; profile: string };
      byProfile.set(e.profile, [...(byProfile.get(e.profile) ?? []), { host: e.host ?? '127.0.0.1', port: e.port ?? 502 }]);
    }
    // The sample's devices, each pointed at a simulated machine of its group's profile.
    const devices = Object.fromEntries(Object.entries(sample.devices).map(([group, entries]) => {
      const profile = groups.find((g) => g.key === group)?.profile ?? '';
      const machines = byProfile.get(profile) ?? [];
      return [group, entries.map((e, i) => ({ ...e, ...(machines[i] ?? {}) }))];
    }));
    const contractor = studioClient(studioUrl);
    await contractor.login('contractor', password);
    const created = await contractor.call('POST', '/api/instances', {
      template: sample.template, sample: true, enterprise: sample.enterprise, site: sample.site, name: zh ? '示范样本' : 'Demonstration sample',
      scenarios: sample.scenarios, parameters: sample.parameters, devices, overrides: sample.overrides,
    }) as { instance: { id: string } };
    const fleet = await admin.call('GET', '/api/fleet') as { sites: { id: string }[] };
    const siteId = fleet.sites[0]!.id;
    await contractor.call('PUT', `/api/sites/${siteId}/instance`, { instanceId: created.instance.id });
    const deployed = await admin.call('POST', `/api/sites/${siteId}/deploy`) as { deployment?: { sequence: number; template: string } };

    const running = site.site.status();
    const lines = zh
      ? [
          '',
          '开物演示已启动 Kaiwu demo running',
          `  工作室（设计器、模板库、机队）：${studioUrl}`,
          `    用户 admin / ${studio.adminPassword ?? '(见 admin-password 文件)'}；contractor、engineer、enterprise / ${password}`,
          `  站点运行时：${site.url}（管理令牌 ${site.token.generated ?? readFileSync(siteDir.adminToken, 'utf8').trim()}）`,
          `  看板：${site.url}/dashboard/（用户 viewer / ${password}）`,
          `  模拟设备：${sim.devices.length} 台（${settings.devices.map((d) => `${d.profile} × ${d.count}`).join('，')}），Modbus TCP 127.0.0.1`,
          `  已部署：${deployed.deployment?.template ?? sample.template}（序号 ${running.deployment?.sequence ?? '?'}，${running.nodes.length} 个节点），站点已与工作室配对，每 5 秒心跳`,
          `  数据目录：${root}${o.data ? '' : '（退出时删除）'}`,
          o.forSec > 0 ? `  ${o.forSec} 秒后自动停止` : '  Ctrl-C 停止',
          '',
        ]
      : [
          '',
          'Kaiwu demo running',
          `  studio (designer, library, fleet): ${studioUrl}`,
          `    users admin / ${studio.adminPassword ?? '(see the admin-password file)'}; contractor, engineer, enterprise / ${password}`,
          `  site runtime: ${site.url} (admin token ${site.token.generated ?? readFileSync(siteDir.adminToken, 'utf8').trim()})`,
          `  dashboard: ${site.url}/dashboard/ (user viewer / ${password})`,
          `  simulated machines: ${sim.devices.length} (${settings.devices.map((d) => `${d.profile} × ${d.count}`).join(', ')}), Modbus TCP on 127.0.0.1`,
          `  deployed: ${deployed.deployment?.template ?? sample.template} (sequence ${running.deployment?.sequence ?? '?'}, ${running.nodes.length} nodes); the site is paired with the studio, a heartbeat every 5 s`,
          `  data: ${root}${o.data ? '' : ' (removed at the end)'}`,
          o.forSec > 0 ? `  stops by itself in ${o.forSec} s` : '  Ctrl-C stops it',
          '',
        ];
    for (const l of lines) print(l);

    // What happens on the site, as it happens: deployments and node faults.
    const unsubscribe = site.site.subscribe((e) => {
      const at = new Date().toTimeString().slice(0, 8);
      if (e.type === 'deployment') print(`${at} ${zh ? '部署' : 'deployment'} ${e.id} ${e.event}${e.reason ? `: ${e.reason[o.lang]}` : ''}`);
      if (e.type === 'node-state' && e.state === 'error') print(`${at} ${e.flowId}/${e.nodeId} ${zh ? '故障' : 'fault'}${e.text ? `: ${e.text}` : ''}`);
    });
    stops.push(unsubscribe);
    startupDone();
    const timer = o.forSec > 0 ? new Promise((r) => setTimeout(r, o.forSec * 1000).unref()) : new Promise(() => undefined);
    await Promise.race([signalled, timer]);
    print(zh ? '正在停止…' : 'stopping…');
    await stopAll();
    print(zh ? '已停止 stopped' : 'stopped');
    return 0;
  } catch (err) {
    await stopAll();
    if (err instanceof DemoError) {
      print(`${zh ? '演示无法启动' : 'the demo could not start'}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
