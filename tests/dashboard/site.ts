import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DASHBOARD_NODE_TYPES } from '../../nodes/dashboard/node-types';
import { createNodeRegistry } from '../../nodes/registry';
import type { AnyNodeType } from '../../nodes/sdk';
import { createApp } from '../../runtime/server/app';
import type { DashboardMount } from '../../runtime/server/dashboard-routes';
import { mountDashboard } from '../../runtime/server/dashboard-routes';
import { ensureAdminToken } from '../../runtime/site/admin-token';
import { dataDir, ensureDataDir } from '../../runtime/site/data-dir';
import type { SiteRuntime } from '../../runtime/site/site-runtime';
import { createSiteRuntime } from '../../runtime/site/site-runtime';
import { trustKey } from '../../runtime/site/trusted-keys';
import type { ViewerAccess } from '../../runtime/site/viewers';
import { addViewer, openViewerAccess, setKiosk } from '../../runtime/site/viewers';
import type { Store } from '../../runtime/store/store';
import { createStore } from '../../runtime/store/store';
import type { Signer } from '../helpers/site';
import { makeSigner } from '../helpers/site';

export const ADMIN_TOKEN = 'dashboard-admin-token-0123456789';

/** A site runtime with the dashboard mounted, on 127.0.0.1, in this process; it can be restarted on the same folder and port. */
export interface DashboardSite {
  readonly url: string;
  readonly root: string;
  readonly signer: Signer;
  site: SiteRuntime;
  store: Store;
  viewers: ViewerAccess;
  mount: DashboardMount | undefined;
  /** Signs and deploys flows with their dashboard pages. */
  deploy(flows: unknown[], dashboards?: unknown[]): Promise<void>;
  /** Stops everything but the data folder, then starts again on the same port. */
  restart(options?: { downMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export async function startDashboardSite(options: { extraNodes?: AnyNodeType[]; viewers?: { name: string; password: string; canAck: boolean }[]; kiosk?: boolean; port?: number } = {}): Promise<DashboardSite> {
  const root = mkdtempSync(join(tmpdir(), 'kaiwu-dash-'));
  const dir = dataDir(root);
  ensureDataDir(dir);
  const signer = makeSigner();
  trustKey(dir, signer.publicFile);
  for (const v of options.viewers ?? []) await addViewer(dir, v.name, v.password, { canAck: v.canAck, now: Date.now() });
  if (options.kiosk) setKiosk(dir, { open: true, allow: [] });
  const logger = pino({ level: 'silent' });
  let sequence = 0;
  let server: Server;
  let port = options.port ?? 0;

  async function boot(s: DashboardSite | undefined) {
    const store = createStore({ file: dir.database, flushMs: 20 });
    const site = createSiteRuntime({ dir, registry: createNodeRegistry([...widgetNodes(), ...(options.extraNodes ?? [])]), store, logger, probationMs: 60_000, site: 'test-site' });
    await site.start();
    const app = createApp({ site, queries: store, token: ensureAdminToken(dir, ADMIN_TOKEN), logger, version: 'test' });
    const viewers = openViewerAccess(dir);
    const mount = mountDashboard(app, { site, store, viewers, logger });
    server = await new Promise<Server>((resolve, reject) => {
      const srv = app.listen(port, '127.0.0.1', () => resolve(srv));
      srv.once('error', reject);
    });
    port = (server.address() as AddressInfo).port;
    if (s) Object.assign(s, { site, store, viewers, mount });
    return { site, store, viewers, mount };
  }

  async function shutdown(s: DashboardSite) {
    s.mount?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await s.site.stop();
    s.store.close();
  }

  const first = await boot(undefined);
  const handle: DashboardSite = {
    url: `http://127.0.0.1:${port}`,
    root,
    signer,
    ...first,
    async deploy(flows, dashboards = []) {
      sequence++;
      await handle.site.deploy(signer.sign(flows, sequence, { dashboards }));
    },
    async restart(o = {}) {
      await shutdown(handle);
      if (o.downMs) await new Promise((r) => setTimeout(r, o.downMs));
      await boot(handle);
    },
    close: () => shutdown(handle),
  };
  return handle;
}

/** The widget node types the built-in registry does not have yet (all of them until nodes/index.ts lists them). */
export function widgetNodes(): AnyNodeType[] {
  const builtins = createNodeRegistry();
  return DASHBOARD_NODE_TYPES.filter((t) => builtins.get(t.definition.type) === undefined);
}
