import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { LineChartConfig } from '../../nodes/dashboard/line-chart/definition';
import type { AlarmListConfig } from '../../nodes/dashboard/alarm-list/definition';
import { SEVERITIES } from '../../nodes/dashboard/alarm-list/definition';
import { zodProblems } from '../model';
import type { SiteRuntime } from '../site/site-runtime';
import { precompressedAssets } from './precompressed-assets';
import type { ViewerAccess, ViewerSession } from '../site/viewers';
import { StoreError } from '../store/errors';
import type { StoreErrorCode } from '../store/errors';
import type { StoredAlarm } from '../store/alarm-log';
import type { Store } from '../store/store';
import { ApiError, notFound, sendError } from './api-error';
import { createLiveHub } from './dashboard-live';
import type { LiveHub } from './dashboard-live';
import type { Pages } from './dashboard-pages';
import { buildPages } from './dashboard-pages';
import { buildReport, productionDate, reportCsv } from './dashboard-report';

/** What the dashboard reads of the site's store. */
export type DashboardStore = Pick<Store, 'querySeries' | 'queryRollups' | 'listSeries' | 'listAlarms' | 'ackAlarm' | 'flush'>;

export interface DashboardOptions {
  readonly site: Pick<SiteRuntime, 'dashboardSource' | 'inspect' | 'subscribe' | 'status'>;
  readonly store: DashboardStore;
  readonly viewers: ViewerAccess;
  readonly logger: { warn(o: object, m: string): void; error(o: object, m: string): void };
  /** The built app (`dist/dashboard`); found beside the code when not given. */
  readonly appDir?: string;
}

export interface DashboardMount {
  readonly live: LiveHub;
  close(): void;
}

export const SESSION_COOKIE = 'kaiwu_viewer';
const MOUNTED = Symbol.for('kaiwu.dashboard');
/** Failed logins from one address before it has to wait. */
const LOGIN_TRIES = 10;
const LOGIN_LOCK_MS = 5 * 60_000;

const STORE_STATUS: Partial<Record<StoreErrorCode, number>> = { 'series-not-found': 404, 'alarm-not-found': 404, 'alarm-already-acked': 409, 'invalid-argument': 400, 'store-closed': 503 };

const loginRequired = () => new ApiError(401, 'login-required', { zh: '请先登录看板', en: 'please log in to the dashboard' });
const forbidden = () => new ApiError(403, 'not-allowed', { zh: '此账户无权确认报警', en: 'this account may not acknowledge alarms' });

const millis = z.coerce.number().int().min(0);
const SeriesQuery = z.object({
  key: z.string().min(3),
  series: z.string().min(1),
  /** For a per-device line: its device. */
  device: z.string().max(128).optional(),
  from: millis,
  to: millis,
  maxPoints: z.coerce.number().int().min(4).max(20_000).default(2_000),
}).refine((q) => q.from < q.to, { message: '"from" must be before "to"', params: { zh: '“from” 必须早于 “to”' }, path: ['to'] });
const AlarmsQuery = z.object({
  key: z.string().optional(),
  active: z.enum(['0', '1']).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const LoginBody = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1_000) });
const AckBody = z.object({ comment: z.string().max(1_000).optional() });
const ReportQuery = z.object({
  page: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  period: z.union([z.literal('day'), z.coerce.number().int().min(0).max(5)]).default('day'),
  format: z.enum(['json', 'csv']).default('json'),
  lang: z.enum(['zh', 'en']).default('zh'),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, where: 'query' | 'body'): T {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (!r.success) throw new ApiError(400, 'invalid-request', { zh: `请求的 ${where} 参数不正确`, en: `the request ${where} is not valid` }, zodProblems(r.error, [where], 'invalid-request'));
  return r.data;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** The built app beside the sources (`dist/dashboard`) or beside the bundled CLI (`dist/*.mjs`). */
function findAppDir(): string | undefined {
  for (const rel of ['../../dist/dashboard/', './dashboard/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<string, number>;

function alarmFilter(config: AlarmListConfig | undefined): (a: StoredAlarm) => boolean {
  if (!config) return () => true;
  const codes = config.codes && config.codes.length > 0 ? new Set(config.codes) : undefined;
  const devices = config.devices && config.devices.length > 0 ? new Set(config.devices) : undefined;
  const min = SEVERITY_RANK[config.minSeverity] ?? 0;
  return (a) => (!codes || codes.has(a.code)) && (!devices || (a.device !== undefined && devices.has(a.device))) && (SEVERITY_RANK[a.severity] ?? 0) >= min;
}

/**
 * Mounts the site dashboard on the runtime's app: the built app at `/dashboard` and its JSON
 * API at `/dashboard/api/…`, for viewer sessions (cookie) or the open kiosk. The admin API
 * under `/api` does not look at the cookie, and a viewer session is no Bearer token, so
 * neither reaches the other's routes. Mounting twice does nothing.
 */
export function mountDashboard(app: express.Express, o: DashboardOptions): DashboardMount | undefined {
  const locals = app.locals as Record<symbol, unknown>;
  if (locals[MOUNTED]) return undefined;
  const boot = randomBytes(8).toString('hex');
  const appDir = o.appDir ?? findAppDir();

  let cached: Pages | undefined;
  const pages = (): Pages => {
    const source = o.site.dashboardSource();
    if (!cached || cached.sequence !== (source?.sequence ?? null)) cached = buildPages(source);
    return cached;
  };
  const live = createLiveHub((l) => o.site.subscribe(l), (key) => pages().byKey.has(key));
  const failures = new Map<string, { count: number; until: number }>();

  const who = (req: Request): ViewerSession | undefined => o.viewers.session(cookie(req, SESSION_COOKIE)) ?? o.viewers.kiosk(req.socket.remoteAddress);
  const viewer = (req: Request): ViewerSession => {
    const s = who(req);
    if (!s) throw loginRequired();
    return s;
  };

  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));
  api.use((req, _res, next) => {
    // Cookies ride along with cross-site requests; JSON bodies do not without CORS, which we never allow.
    if (req.method === 'POST' && !req.is('application/json')) return next(new ApiError(415, 'json-required', { zh: '请求体须为 JSON', en: 'the body must be JSON' }));
    next();
  });

  const route = (method: 'get' | 'post', path: string, handle: (req: Request, res: Response) => unknown) => {
    api[method](path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        await handle(req, res);
      } catch (err) {
        next(err);
      }
    });
  };

  route('get', '/me', (req, res) => {
    const s = who(req);
    if (!s) throw loginRequired();
    res.json({ name: s.name, canAck: s.canAck, kiosk: s.kiosk, expiresAt: Number.isFinite(s.expiresAt) ? s.expiresAt : null });
  });

  route('post', '/login', async (req, res) => {
    const ip = req.socket.remoteAddress ?? '';
    const f = failures.get(ip);
    if (f && f.count >= LOGIN_TRIES && f.until > Date.now()) {
      throw new ApiError(429, 'too-many-attempts', { zh: '登录失败次数过多，请稍后再试', en: 'too many failed logins; try again later' });
    }
    const body = parse(LoginBody, req.body, 'body');
    const result = await o.viewers.login(body.name, body.password);
    if (!result) {
      failures.set(ip, { count: (f && f.until > Date.now() ? f.count : 0) + 1, until: Date.now() + LOGIN_LOCK_MS });
      throw new ApiError(401, 'wrong-login', { zh: '用户名或密码不正确', en: 'wrong name or password' });
    }
    failures.delete(ip);
    const maxAge = Math.max(1, Math.floor((result.session.expiresAt - Date.now()) / 1000));
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(result.token)}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`);
    res.json({ name: result.session.name, canAck: result.session.canAck, kiosk: false, expiresAt: result.session.expiresAt });
  });

  route('post', '/logout', (req, res) => {
    o.viewers.logout(cookie(req, SESSION_COOKIE));
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0`);
    res.json({ ok: true });
  });

  route('get', '/pages', (req, res) => {
    viewer(req);
    const p = pages();
    res.json({ site: o.site.status().site, sequence: p.sequence, boot, now: Date.now(), pages: p.pages });
  });

  route('get', '/views', (req, res) => {
    viewer(req);
    const keys = String(req.query.keys ?? '').split(',').filter((k) => pages().byKey.has(k));
    const views: Record<string, unknown> = {};
    for (const key of keys) {
      const slash = key.indexOf('/');
      const snapshot = o.site.inspect(key.slice(0, slash), key.slice(slash + 1));
      if (snapshot !== undefined) views[key] = snapshot;
    }
    res.json({ sequence: pages().sequence, views });
  });

  route('get', '/series', (req, res) => {
    viewer(req);
    const q = parse(SeriesQuery, req.query, 'query');
    const widget = pages().byKey.get(q.key);
    const series = widget?.kind === 'line-chart' ? (widget.config as LineChartConfig).series.find((s) => s.key === q.series) : undefined;
    // Only series a dashboard shows: a viewer cannot read arbitrary device data.
    if (!series?.history) throw notFound(`history of ${q.key} ${q.series}`);
    // A per-device line names its device; the tag is still the one the widget shows.
    const device = series.perDevice ? q.device ?? '' : series.history.device ?? series.device ?? '';
    const answer = o.store.querySeries({ device, tag: series.history.tag, from: q.from, to: q.to, maxPoints: q.maxPoints });
    res.json({
      from: answer.from, to: answer.to, source: answer.source, downsampled: answer.downsampled,
      ...(answer.bucketMs === undefined ? {} : { bucketMs: answer.bucketMs }),
      // Pairs rather than objects: a week of data is a third smaller on the wire.
      points: answer.points.map((p) => [p.ts, p.quality === 'bad' ? null : p.value]),
    });
  });

  route('get', '/alarms', (req, res) => {
    viewer(req);
    const q = parse(AlarmsQuery, req.query, 'query');
    const widget = q.key !== undefined ? pages().byKey.get(q.key) : undefined;
    const keep = alarmFilter(widget?.kind === 'alarm-list' ? (widget.config as AlarmListConfig) : undefined);
    // An alarm raised a moment ago may still sit in the write buffer.
    o.store.flush();
    const active = q.active === undefined ? undefined : q.active === '1';
    const all = o.store.listAlarms({ ...(active === undefined ? {} : { active }), limit: Math.min(10_000, q.limit * 5) });
    res.json({ alarms: all.filter(keep).slice(0, q.limit) });
  });

  route('post', '/alarms/:id/ack', (req, res) => {
    const s = viewer(req);
    if (!s.canAck) throw forbidden();
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw notFound(`alarm ${String(req.params.id)}`);
    const body = parse(AckBody, req.body, 'body');
    // Who acknowledged is the logged-in account, never a name the browser sends.
    const alarm = o.store.ackAlarm(id, body.comment ? { by: s.name, comment: body.comment } : { by: s.name });
    live.broadcast('alarms', { id, by: s.name });
    res.json({ alarm });
  });

  route('get', '/report', (req, res) => {
    viewer(req);
    const q = parse(ReportQuery, req.query, 'query');
    const page = pages().pages.find((p) => p.id === q.page);
    if (!page) throw notFound(`page ${q.page}`);
    const spec = page.report;
    const date = q.date ?? productionDate(spec, Date.now());
    if (q.period !== 'day' && q.period >= spec.shifts.length) throw notFound(`shift ${q.period}`);
    const report = buildReport(o.store, spec, date, q.period);
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="report-${encodeURIComponent(page.id)}-${date}-${q.period}.csv"`);
      res.send(reportCsv(report, q.lang));
      return;
    }
    res.json({ page: page.id, report });
  });

  route('get', '/live', (req, res) => {
    viewer(req);
    live.serve(req, res, { boot, sequence: pages().sequence, now: Date.now() });
  });

  api.use((req, _res, next) => next(notFound(`${req.method} /dashboard/api${req.path}`)));
  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) return sendError(res, err);
    if (err instanceof StoreError) return sendError(res, new ApiError(STORE_STATUS[err.code] ?? 500, err.code, err.text));
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return sendError(res, new ApiError(400, 'invalid-json', { zh: '请求体不是合法的 JSON', en: 'the body is not valid JSON' }));
    if (type === 'entity.too.large') return sendError(res, new ApiError(413, 'body-too-large', { zh: '请求体过大', en: 'the body is too large' }));
    o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'dashboard request failed');
    return sendError(res, new ApiError(500, 'internal', { zh: '运行时内部错误，详见运行时日志', en: 'internal error; see the runtime log' }));
  });

  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    next();
  });
  router.use('/api', api);
  if (appDir) {
    const index = readFileSync(join(appDir, 'index.html'), 'utf8');
    // Hashed file names: cached for good; index.html is always asked for again. Files compressed
    // at build time go out as they are to browsers that take them (a phone on the shop Wi-Fi).
    const assets = precompressedAssets(join(appDir, 'assets'));
    router.use('/assets', (req, res, next) => {
      const name = assets.nameOf(req);
      if (name === undefined || !assets.send(req, res, name)) next();
    });
    router.use('/assets', express.static(join(appDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
    router.use(express.static(appDir, { index: false, maxAge: 0 }));
    router.get(/.*/, (req, res) => {
      if (req.originalUrl === '/dashboard') return res.redirect(301, '/dashboard/');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'self'");
      res.type('html').send(index);
    });
  } else {
    router.get(/.*/, (_req, res) => {
      res.status(503).type('text/plain; charset=utf-8').send('看板尚未构建：请运行 npm run build\nThe dashboard is not built: run npm run build\n');
    });
  }
  app.use('/dashboard', router);
  locals[MOUNTED] = true;
  return { live, close: () => live.close() };
}
