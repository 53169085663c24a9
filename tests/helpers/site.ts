import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createNodeRegistry } from '../../nodes/registry';
import type { AnyNodeType } from '../../nodes/sdk';
import { generateSigningKeys } from '../../runtime/bundle/keys';
import { signBundle } from '../../runtime/bundle/sign-bundle';
import type { Bundle, SignedBundle } from '../../runtime/model';
import { createApp } from '../../runtime/server/app';
import { ensureAdminToken } from '../../runtime/site/admin-token';
import { dataDir, ensureDataDir } from '../../runtime/site/data-dir';
import type { SiteRuntime } from '../../runtime/site/site-runtime';
import { createSiteRuntime } from '../../runtime/site/site-runtime';
import type { Store } from '../../runtime/store/store';
import { createStore } from '../../runtime/store/store';
import { createDeviceManager } from '../../runtime/devices/manager';
import { createUplink } from '../../runtime/uplink/uplink';
import { readSecret } from '../../runtime/site/secrets';

export interface Signer {
  readonly keyId: string;
  readonly publicFile: string;
  readonly privateFile: string;
  sign(flows: unknown[], sequence: number, over?: Partial<Bundle>): SignedBundle;
}

/** A signing key on disk, as `kaiwu keygen` makes one. */
export function makeSigner(folder = mkdtempSync(join(tmpdir(), 'kaiwu-keys-'))): Signer {
  const keys = generateSigningKeys();
  const publicFile = join(folder, `${keys.keyId}.pub`);
  const privateFile = join(folder, `${keys.keyId}.key`);
  writeFileSync(publicFile, keys.publicPem);
  writeFileSync(privateFile, keys.privatePem, { mode: 0o600 });
  const key = createPrivateKey(keys.privatePem);
  return {
    keyId: keys.keyId,
    publicFile,
    privateFile,
    sign: (flows, sequence, over = {}) => signBundle({
      schemaVersion: 1, id: `test-site-${sequence}`, sequence, site: 'test-site', source: { kind: 'flows' }, flows, devices: [], profiles: [], dashboards: [],
      createdAt: new Date(0).toISOString(), ...over,
    }, key),
  };
}

export interface TestSite {
  readonly url: string;
  readonly token: string;
  readonly root: string;
  readonly signer: Signer;
  readonly site: SiteRuntime;
  readonly store: Store;
  readonly app: ReturnType<typeof createApp>;
  // Parsed JSON whose shape each test asserts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A site runtime with a real store and a real HTTP server on 127.0.0.1, in this process. */
export async function startTestSite(options: { probationMs?: number; extraNodes?: AnyNodeType[]; bodyLimit?: string; maxDbBytes?: number; uplinkSeriesEveryMs?: number } = {}): Promise<TestSite> {
  const root = mkdtempSync(join(tmpdir(), 'kaiwu-site-'));
  const dir = dataDir(root);
  ensureDataDir(dir);
  const signer = makeSigner();
  const { trustKey } = await import('../../runtime/site/trusted-keys');
  trustKey(dir, signer.publicFile);
  const token = 'test-admin-token-0123456789';
  const logger = pino({ level: 'silent' });
  const store = createStore({ file: dir.database, flushMs: 20, ...(options.maxDbBytes ? { maxSizeBytes: options.maxDbBytes } : {}) });
  const devices = createDeviceManager({ events: store, logger });
  devices.start();
  const uplink = createUplink({ store, site: () => 'test-site', logger, secrets: (name) => readSecret(dir, name), ...(options.uplinkSeriesEveryMs ? { seriesEveryMs: options.uplinkSeriesEveryMs } : {}) });
  const site = createSiteRuntime({ dir, registry: createNodeRegistry(options.extraNodes ?? []), store, logger, devices, uplink, probationMs: options.probationMs ?? 60_000, site: 'test-site' });
  await site.start();
  const app = createApp({ site, queries: store, token: ensureAdminToken(dir, token), logger, version: 'test', ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, token, root, signer, site, store, app,
    async api(method, path, body, auth = token) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(auth === null ? {} : { Authorization: `Bearer ${auth}` }), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await site.stop();
      await uplink.stop();
      await devices.stop();
      store.close();
    },
  };
}
