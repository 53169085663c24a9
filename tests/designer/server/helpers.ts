import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Studio, StudioOptions } from '../../../designer/server/studio';
import { createStudio } from '../../../designer/server/studio';
import { createNodeRegistry } from '../../../nodes/registry';
import { defineNode, port, z } from '../../../nodes/sdk';
import { DeviceGroupSchema } from '../../../runtime/model';
import { dataDir } from '../../../runtime/site/data-dir';
import { trustKey } from '../../../runtime/site/trusted-keys';
import type { TestSite } from '../../helpers/site';
import { startTestSite } from '../../helpers/site';

const fixtures = new URL('../../fixtures/templates/', import.meta.url);
export const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

/** A node that takes a device group, as device-reading nodes do (the same test node as the model tests). */
export const deviceList = defineNode({
  type: 'device-list', version: 1, category: 'device', icon: 'd', title: { zh: '设备', en: 'Devices' }, summary: { zh: '测试', en: 'test' },
  inputs: [], outputs: [port('out', '输出', 'out')], config: z.object({ devices: DeviceGroupSchema }),
}, () => ({}));
export const registry = createNodeRegistry([deviceList]);

/** The fixture template laid out as a shipped folder: newest in template.json, older in versions/. */
export function templateFolders(): { templatesDir: string; profileDirs: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'kaiwu-studio-templates-'));
  const folder = join(root, 'oven-watch');
  mkdirSync(join(folder, 'versions'), { recursive: true });
  copyFileSync(new URL('oven-1.3.0.json', fixtures), join(folder, 'template.json'));
  copyFileSync(new URL('oven-1.2.0.json', fixtures), join(folder, 'versions', '1.2.0.json'));
  writeFileSync(join(folder, 'README.md'), '# 烘箱温度监控 Oven temperature watch\n\n测试用模板。A template for tests.\n');
  const profiles = join(root, 'profiles');
  mkdirSync(profiles);
  copyFileSync(new URL('test-oven.profile.json', fixtures), join(profiles, 'test-oven.json'));
  return { templatesDir: root, profileDirs: [profiles] };
}

// Parsed JSON whose shape each test asserts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  readonly status: number;
  readonly body: Json;
  readonly headers: Headers;
}

export interface Client {
  readonly token: string | undefined;
  api(method: string, path: string, body?: unknown): Promise<Answer>;
}

export interface RunningStudio {
  readonly studio: Studio;
  readonly url: string;
  readonly dataDir: string;
  readonly admin: Client;
  /** A client without a session. */
  readonly anonymous: Client;
  login(username: string, password: string): Promise<Client>;
  /** Makes a user (as admin) and signs in as it. */
  user(username: string, role: string, enterprise?: string): Promise<Client & { id: number }>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';

export function client(url: string, token: string | undefined): Client {
  return {
    token,
    async api(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

/** A studio on a temp data folder, listening on 127.0.0.1:0, with the fixture templates. */
export async function startStudio(options: Partial<StudioOptions> = {}): Promise<RunningStudio> {
  const folders = templateFolders();
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kaiwu-studio-'));
  const studio = await createStudio({
    dataDir: dir, ...folders, registry, logger: pino({ level: 'silent' }), health: { intervalMs: 0 }, ...options,
  });
  const server: Server = await new Promise((resolve) => {
    const s = studio.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = async (username: string, password: string) => {
    const r = await client(url, undefined).api('POST', '/api/login', { username, password, client: 'api' });
    if (r.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(r.body)}`);
    return client(url, r.body.token as string);
  };
  const admin = studio.adminPassword ? await login('admin', studio.adminPassword) : client(url, undefined);
  return {
    studio, url, dataDir: dir, admin, anonymous: client(url, undefined), login,
    async user(username, role, enterprise) {
      const r = await admin.api('POST', '/api/users', { username, role, password: PASSWORD, ...(enterprise ? { enterprise } : {}) });
      if (r.status !== 201) throw new Error(`user ${username}: ${JSON.stringify(r.body)}`);
      return { ...(await login(username, PASSWORD)), id: r.body.user.id as number };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await studio.close();
    },
  };
}

/** A real site runtime that knows the test node and trusts this studio's key. */
export async function startTrustingSite(studio: Studio, options: { probationMs?: number } = {}): Promise<TestSite> {
  const site = await startTestSite({ extraNodes: [deviceList], ...options });
  trustKey(dataDir(site.root), studio.key.publicFile);
  return site;
}

/** An instance body for the oven template (1.2.0 unless told), for the test sites' id. */
export function ovenInstance(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    template: 'oven-watch@1.2.0',
    site: 'test-site',
    scenarios: ['energy', 'report'],
    parameters: { highC: 240, shiftLead: '李师傅' },
    devices: { ovens: [{ name: 'oven-1', host: '192.168.1.21', unitId: 1 }, { name: 'oven-2', host: '192.168.1.22', unitId: 2 }] },
    ...over,
  };
}

/**
 * Puts `count` sites straight into the studio's database, the way a big fleet would look after
 * months of registrations: spread over enterprises, with health and deployments. For fleet tests
 * and the benchmark (registering through the API needs a live runtime per site).
 */
export function seedSites(studio: Studio, count: number, o: { enterprises?: readonly string[]; prefix?: string } = {}): string[] {
  const db = studio.db;
  const names = o.enterprises ?? ['湖州某涂装厂', '嘉兴某热处理厂'];
  const ensure = db.prepare('INSERT OR IGNORE INTO enterprises (name, created_at) VALUES (?, 0)');
  for (const n of names) ensure.run(n);
  const ids = db.prepare('SELECT id, name FROM enterprises').all() as { id: number; name: string }[];
  const byName = new Map(ids.map((e) => [e.name, e.id]));
  const health = ['ok', 'ok', 'ok', 'degraded', 'down', 'unknown'];
  const insert = db.prepare(`INSERT INTO sites (id, name, url, token_sealed, enterprise_id, runtime_site, last_sequence, registered_via, created_at,
    deployed_bundle_hash, deployed_instance_hash, deployed_template, deployed_sequence, deployed_at, health, health_checked_at, runtime_hash, runtime_sequence)
    VALUES (?, ?, ?, 'v1:seeded', ?, ?, ?, 'register', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const out: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `${o.prefix ?? 'st_seed'}${String(i).padStart(6, '0')}`;
      const deployed = i % 5 !== 0;
      const hash = `sha256:${String(i).padStart(64, '0')}`;
      const h = health[i % health.length]!;
      insert.run(id, `车间 ${String(i).padStart(5, '0')}`, `http://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8420`, byName.get(names[i % names.length]!)!, `site-${i}`, deployed ? 3 : 0,
        deployed ? hash : null, deployed ? 'sha256:instance' : null, deployed ? 'oven-watch@1.2.0' : null, deployed ? 3 : null, deployed ? 1_700_000_000_000 : null,
        h, h === 'unknown' ? null : 1_700_000_000_000, h === 'unknown' ? null : deployed && i % 7 !== 0 ? hash : '', h === 'unknown' ? null : 3);
      out.push(id);
    }
  })();
  return out;
}
