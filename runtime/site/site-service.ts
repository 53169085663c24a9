import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createNodeRegistry } from '../../nodes/registry';
import { createDeviceManager } from '../devices/manager';
import { createApp } from '../server/app';
import { createStore } from '../store/store';
import { createUplink } from '../uplink/uplink';
import { VERSION } from '../version';
import type { AdminToken } from './admin-token';
import { ensureAdminToken } from './admin-token';
import type { DataDir } from './data-dir';
import { acquireLock, ensureDataDir } from './data-dir';
import { startHeartbeat } from './heartbeat';
import { readSecret } from './secrets';
import { openViewerAccess } from './viewers';
import type { SiteRuntime } from './site-runtime';
import { createSiteRuntime } from './site-runtime';

export interface SiteServiceOptions {
  readonly dir: DataDir;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  /** Pins the site id when none is pinned yet. */
  readonly site?: string;
  readonly probationMs: number;
  /** Overrides the interval the paired studio asked for. */
  readonly heartbeatMs?: number;
  /** The admin token from the environment, if set (else generated once). */
  readonly adminToken?: string;
}

export interface SiteService {
  readonly url: string;
  readonly site: SiteRuntime;
  readonly token: AdminToken;
  close(): Promise<void>;
}

/**
 * The whole site runtime as one service: store, devices, uplink, deployments, heartbeat to the
 * paired studio and the admin API, holding the data folder's lock until closed.
 */
export async function startSiteService(o: SiteServiceOptions): Promise<SiteService> {
  const { dir, logger } = o;
  ensureDataDir(dir);
  const release = acquireLock(dir);
  const token = ensureAdminToken(dir, o.adminToken);
  const store = createStore({ file: dir.database, logger: logger.child({ part: 'store' }) });
  const devices = createDeviceManager({ events: store, logger: logger.child({ part: 'devices' }) });
  devices.start();
  // The site id is the runtime's once a bundle pinned it; until then nothing is deployed and nothing goes up.
  let siteId = o.site ?? 'unpinned';
  const uplink = createUplink({ store, site: () => siteId, logger: logger.child({ part: 'uplink' }), secrets: (name) => readSecret(dir, name) });
  const site = createSiteRuntime({ dir, registry: createNodeRegistry(), store, logger, devices, uplink, probationMs: o.probationMs, ...(o.site ? { site: o.site } : {}) });
  site.subscribe((e) => {
    if (e.type === 'deployment') siteId = site.status().site ?? siteId;
  });
  siteId = site.status().site ?? siteId;
  await site.start();
  const heartbeat = startHeartbeat({ dir, status: () => site.status(), version: VERSION, logger: logger.child({ part: 'heartbeat' }), ...(o.heartbeatMs ? { intervalMs: o.heartbeatMs } : {}) });
  const app = createApp({ site, queries: store, token, logger, version: VERSION, studio: () => heartbeat.state(), dashboard: { store, viewers: openViewerAccess(dir) } });
  // In this order: nothing new comes in, flows stop (and flush), then what they used.
  const stopParts = async () => {
    heartbeat.stop();
    await site.stop();
    await uplink.stop();
    await devices.stop();
    store.close();
    release();
  };
  const server: Server = app.listen(o.port, o.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    await stopParts();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    site,
    token,
    async close() {
      server.close();
      server.closeAllConnections();
      await stopParts();
    },
  };
}
