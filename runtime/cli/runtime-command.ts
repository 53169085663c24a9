import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createNodeRegistry } from '../../nodes/registry';
import type { Lang } from '../model';
import { createApp } from '../server/app';
import { ensureAdminToken } from '../site/admin-token';
import { acquireLock, dataDir, ensureDataDir } from '../site/data-dir';
import { createSiteRuntime } from '../site/site-runtime';
import { createStore } from '../store/store';
import { createDeviceManager } from '../devices/manager';
import { createUplink } from '../uplink/uplink';
import { startHeartbeat } from '../site/heartbeat';
import { readSecret } from '../site/secrets';
import { VERSION } from '../version';
import { untilSignal } from './signals';

export interface RuntimeOptions {
  readonly data: string;
  readonly port: number;
  readonly host: string;
  readonly site?: string;
  readonly probationSec: number;
  /** Seconds between heartbeats to the paired studio; default the studio's (30). */
  readonly heartbeatSec?: number;
  readonly logLevel: string;
  readonly lang: Lang;
}

/**
 * `kaiwu runtime`: the site service. Resumes its deployment, serves the admin API on loopback
 * unless told otherwise, and stops cleanly on SIGINT/SIGTERM.
 */
export async function runtimeCommand(o: RuntimeOptions, print: (line: string) => void): Promise<number> {
  const signalled = untilSignal();
  const dir = dataDir(o.data);
  ensureDataDir(dir);
  const release = acquireLock(dir);
  const logger = pino({ level: o.logLevel, base: { part: 'runtime' } }, pino.destination(2));
  const token = ensureAdminToken(dir, process.env.KAIWU_ADMIN_TOKEN);
  if (token.generated) {
    print(o.lang === 'zh'
      ? `管理令牌（只显示这一次，也已写入 ${dir.adminToken}，权限 0600）：${token.generated}`
      : `admin token (shown once; also written to ${dir.adminToken}, mode 0600): ${token.generated}`);
  }
  const store = createStore({ file: dir.database, logger: logger.child({ part: 'store' }) });
  const devices = createDeviceManager({ events: store, logger: logger.child({ part: 'devices' }) });
  devices.start();
  // The site id is the runtime's once a bundle pinned it; until then nothing is deployed and nothing goes up.
  let siteId = o.site ?? 'unpinned';
  const uplink = createUplink({ store, site: () => siteId, logger: logger.child({ part: 'uplink' }), secrets: (name) => readSecret(dir, name) });
  const site = createSiteRuntime({ dir, registry: createNodeRegistry(), store, logger, devices, uplink, probationMs: o.probationSec * 1000, ...(o.site ? { site: o.site } : {}) });
  site.subscribe((e) => {
    if (e.type === 'deployment') siteId = site.status().site ?? siteId;
  });
  siteId = site.status().site ?? siteId;
  await site.start();
  const heartbeat = startHeartbeat({ dir, status: () => site.status(), version: VERSION, logger: logger.child({ part: 'heartbeat' }), ...(o.heartbeatSec ? { intervalMs: o.heartbeatSec * 1000 } : {}) });
  const app = createApp({ site, queries: store, token, logger, version: VERSION, studio: () => heartbeat.state() });
  const server = app.listen(o.port, o.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  print(`listening http://${host}:${address.port}`);
  const status = site.status();
  print(status.deployment
    ? (o.lang === 'zh' ? `运行部署 ${status.deployment.id}（序号 ${status.deployment.sequence}）` : `running ${status.deployment.id} (sequence ${status.deployment.sequence})`)
    : (o.lang === 'zh' ? '尚无部署：用 kaiwu deploy 部署一个签名的部署包' : 'nothing deployed yet: deploy a signed bundle with kaiwu deploy'));

  await signalled;
  print(o.lang === 'zh' ? '正在停止…' : 'stopping…');
  server.close();
  server.closeAllConnections();
  heartbeat.stop();
  await site.stop();
  await uplink.stop();
  await devices.stop();
  store.close();
  release();
  print(o.lang === 'zh' ? '已停止 stopped' : 'stopped');
  return 0;
}
