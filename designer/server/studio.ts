import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type express from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { createNodeRegistry } from '../../nodes/registry';
import { loadProfileCatalog, shippedProfilesDir } from '../../runtime/devices/profile-catalog';
import { loadTemplateLibrary, shippedTemplatesDir } from '../../runtime/library/template-library';
import type { IndustryCatalog, NodeCatalog, ProfileLookup } from '../../runtime/model';
import { checkIndustryCatalog } from '../../runtime/model';
import { VERSION } from '../../runtime/version';
import { ensureFirstAdmin } from './admin-bootstrap';
import { createAuditLog } from './audit-log';
import { createBundleBuilder } from './bundle-builder';
import type { StudioClock } from './clock';
import { systemClock } from './clock';
import type { StudioDataDir } from './data-dir';
import { studioDataDir } from './data-dir';
import type { StudioDb } from './database';
import { openStudioDatabase } from './database';
import { createDeployer } from './deployer';
import { designerStatic, findDesignerDir } from './designer-static';
import { createEnterprises } from './enterprises';
import type { HealthMonitor } from './health-monitor';
import { createHealthMonitor, createHealthRecorder } from './health-monitor';
import { createHeartbeats } from './heartbeats';
import { createHttpApp } from './http-app';
import { createInstances } from './instances';
import type { LimiterOptions } from './login-limiter';
import { createAttemptLimiter } from './login-limiter';
import type { StudioRoute } from './route-table';
import type { PreviewLimits } from './preview-run';
import { createPreviewServices } from './preview-routes';
import { studioRoutes } from './routes';
import { createRuleChecker } from './rule-check';
import { createRuntimeClient } from './runtime-client';
import { ensureSecretBox } from './secret-box';
import type { SessionPolicy } from './sessions';
import { DEFAULT_SESSION_POLICY, createSessions } from './sessions';
import { createSites } from './sites';
import type { StudioKey } from './studio-key';
import { ensureStudioKey } from './studio-key';
import type { ImportReport } from './template-store';
import { createTemplateStore } from './template-store';
import { createUsers } from './users';

export interface StudioOptions {
  /** DATA: studio.db, studio.key/.pub, secret.key, admin-password. Made if missing. */
  readonly dataDir: string;
  /** Template folders to import as published versions at start. Default: the shipped templates/. */
  readonly templatesDir?: string;
  /** Device profile folders. Default: the shipped templates/profiles (and templatesDir/profiles). */
  readonly profileDirs?: readonly string[];
  /** The node types templates may use. Default: the built-in ones. */
  readonly registry?: NodeCatalog;
  readonly logger?: Logger;
  readonly clock?: StudioClock;
  readonly sessions?: Partial<SessionPolicy>;
  readonly loginLimits?: LimiterOptions;
  readonly health?: { readonly intervalMs?: number; readonly batchSize?: number; readonly concurrency?: number; readonly maxAgeMs?: number; readonly statusTimeoutMs?: number };
  readonly deploy?: { readonly concurrency?: number; readonly timeoutMs?: number };
  readonly bodyLimit?: string;
  /** Limits of live previews (preview-run.ts): idle stop, how many, message budgets … */
  readonly previews?: Partial<PreviewLimits>;
  /** The built designer app to serve at /. Default: dist/designer when it was built; null: none. */
  readonly designerDir?: string | null;
}

export interface Studio {
  readonly app: express.Express;
  /** The route table the app serves (tests walk it; the OpenAPI file is made from it). */
  readonly routes: readonly StudioRoute[];
  readonly db: StudioDb;
  readonly dir: StudioDataDir;
  readonly key: StudioKey;
  /** Set on the first start only: print it once. */
  readonly adminPassword?: string;
  readonly imported: ImportReport;
  readonly health: HealthMonitor;
  close(): Promise<void>;
}

function loadIndustries(templatesDir: string | undefined, logger: Logger): IndustryCatalog | undefined {
  for (const dir of [templatesDir, shippedTemplatesDir()]) {
    const file = dir ? join(dir, 'catalog.json') : undefined;
    if (!file || !existsSync(file)) continue;
    const checked = checkIndustryCatalog(JSON.parse(readFileSync(file, 'utf8')));
    if (checked.ok) return checked.catalog;
    logger.warn({ file, problems: checked.problems.length }, 'the industry catalog has problems; industry codes are not checked');
  }
  return undefined;
}

/**
 * The studio server: template library, instances, sites, signed deploys, fleet roll-up, users
 * and audit, on one SQLite file. Listen with `studio.app.listen(…)`; `close()` stops the
 * background health refresh and closes the database.
 */
export async function createStudio(o: StudioOptions): Promise<Studio> {
  const logger = o.logger ?? pino({ level: 'info', base: { part: 'studio' } });
  const clock = o.clock ?? systemClock;
  const now = () => clock.now();
  const dir = studioDataDir(o.dataDir);
  const key = ensureStudioKey(dir);
  const box = ensureSecretBox(dir);
  const db = openStudioDatabase(dir.database);
  try {
    const catalog = o.registry ?? createNodeRegistry();
    const templatesDir = o.templatesDir ?? shippedTemplatesDir();
    const profileDirs = o.profileDirs ?? [shippedProfilesDir(), templatesDir ? join(templatesDir, 'profiles') : undefined].filter((d, i, all): d is string => d !== undefined && all.indexOf(d) === i);
    const profileCatalog = loadProfileCatalog(profileDirs);
    for (const r of profileCatalog.rejected) logger.warn({ file: r.file, problem: r.problems[0]?.message.en }, 'device profile not loaded');
    const profiles: ProfileLookup = (id) => profileCatalog.get(id)?.profile;
    const industries = loadIndustries(templatesDir, logger);

    const users = createUsers(db, now);
    const enterprises = createEnterprises(db, now);
    const sessionPolicy = { ...DEFAULT_SESSION_POLICY, ...o.sessions };
    const sessions = createSessions(db, now, sessionPolicy);
    const audit = createAuditLog(db, now);
    const templates = createTemplateStore({ db, now, catalog, profiles, ...(industries ? { industries } : {}) });
    const instances = createInstances({ db, now, templates, enterprises, profiles, catalog });
    const client = createRuntimeClient({ ...(o.health?.statusTimeoutMs ? { statusTimeoutMs: o.health.statusTimeoutMs } : {}), ...(o.deploy?.timeoutMs ? { deployTimeoutMs: o.deploy.timeoutMs } : {}) });
    const health = createHealthRecorder(db, now);
    const heartbeats = createHeartbeats(db, now, health);
    const sites = createSites({ db, now, box, client, enterprises, instances, health, heartbeats });
    const builder = createBundleBuilder({ templates, profiles, catalog, key: key.privateKey, now });
    const deployer = createDeployer({ db, now, sites, builder, client, health, ...(o.deploy?.concurrency ? { concurrency: o.deploy.concurrency } : {}) });

    let imported: ImportReport = { imported: [], unchanged: [], conflicts: [], rejected: [] };
    if (templatesDir) {
      imported = templates.importLibrary(loadTemplateLibrary(templatesDir, catalog, profiles));
      for (const r of imported.rejected) logger.warn({ file: r.file, problem: r.problems[0]?.message.en }, 'template not imported');
      for (const ref of imported.conflicts) logger.warn({ template: ref }, 'a shipped template differs from the published version of the same id@version; the studio keeps its published one');
      if (imported.imported.length > 0) {
        audit.write(null, undefined, { action: 'template-import', detail: { imported: imported.imported, conflicts: imported.conflicts } });
      }
    }
    const adminPassword = await ensureFirstAdmin(users, dir);
    const ruleChecker = createRuleChecker();

    const preview = createPreviewServices({ catalog, profiles, logger: logger.child({ part: 'preview' }), now, ...(o.previews ? { limits: o.previews } : {}) });
    const routes = studioRoutes({
      db, now, version: VERSION, users, enterprises, sessions, sessionPolicy, audit, templates, instances, sites, deployer, health, heartbeats, client, key,
      loginLimiter: createAttemptLimiter(now, o.loginLimits),
      pairingLimiter: createAttemptLimiter(now, { maxFailures: 5, maxPerAddress: 20 }),
      ...(industries ? { industries } : {}),
      preview,
      nodeCatalog: { catalog, profiles: () => profileCatalog.ids().map((id) => profileCatalog.get(id)!.profile) },
      ruleChecker,
    });
    const designerDir = o.designerDir === undefined ? findDesignerDir() : o.designerDir ?? undefined;
    const app = createHttpApp({ routes, sessions, logger, designer: designerStatic(designerDir), ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}) });
    const monitor = createHealthMonitor({
      db, now, client, recorder: health, logger,
      target: (id) => {
        const row = sites.row(id);
        return row ? sites.target(row) : undefined;
      },
      ...o.health,
    });
    monitor.start();
    return {
      app, routes, db, dir, key, imported, health: monitor,
      ...(adminPassword ? { adminPassword } : {}),
      async close() {
        await monitor.stop();
        await preview.sessions.close();
        await ruleChecker.close();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
