import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { zodProblems } from '../model';
import type { AdminToken } from '../site/admin-token';
import type { SiteRuntime } from '../site/site-runtime';
import { DeployRejected } from '../site/site-runtime';
import type { Store } from '../store/store';
import type { StoreErrorCode } from '../store/errors';
import { StoreError } from '../store/errors';
import { ApiError, notFound, sendError, unauthorized } from './api-error';
import type { DashboardOptions } from './dashboard-routes';
import { mountDashboard } from './dashboard-routes';
import { streamEvents } from './event-stream';

/** What the API reads from the site's store; failures are StoreErrors with a code. */
export type SiteQueries = Pick<Store, 'querySeries' | 'listAlarms' | 'ackAlarm' | 'purge'>;

/** HTTP status for each StoreError code. */
const STORE_STATUS: Readonly<Record<StoreErrorCode, number>> = {
  'series-not-found': 404,
  'alarm-not-found': 404,
  'alarm-already-acked': 409,
  'invalid-argument': 400,
  'disk-full': 507,
  'write-failed': 500,
  'store-closed': 503,
  'schema-too-new': 500,
};

export interface AppOptions {
  readonly site: SiteRuntime;
  readonly queries: SiteQueries;
  readonly token: AdminToken;
  readonly logger: Logger;
  readonly version: string;
  /** Largest request body; a bundle with many flows is a few MB at most. Default 20 MB. */
  readonly bodyLimit?: string;
  /** The link to the paired studio, shown in /api/status as `studio`. */
  readonly studio?: () => unknown;
  /** The site dashboard at /dashboard: its data and the viewer accounts. */
  readonly dashboard?: Pick<DashboardOptions, 'store' | 'viewers' | 'appDir'>;
}

type Access = 'public' | 'admin';

export interface RouteSpec {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly access: Access;
  readonly handle: (req: Request, res: Response) => unknown;
}

const millis = z.union([z.coerce.number().int(), z.string().transform((s, ctx) => {
  const t = Date.parse(s);
  if (Number.isNaN(t)) ctx.addIssue({ code: 'custom', message: 'a time in ms since 1970 or ISO 8601', params: { zh: '应为毫秒时间戳或 ISO 8601 时间' } });
  return t;
})]);

const SeriesQuery = z.object({
  device: z.string().min(1),
  tag: z.string().min(1),
  from: millis,
  to: millis,
  maxPoints: z.coerce.number().int().min(2).max(20_000).default(2_000),
}).refine((q) => q.from < q.to, { message: '"from" must be before "to"', params: { zh: '“from” 必须早于 “to”' }, path: ['to'] });

const AlarmsQuery = z.object({
  active: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === '1' || v === 'true')),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});

/** Destroys data on request: a time range, a device, or both; something must be named. */
const PurgeBody = z.object({ from: millis.optional(), to: millis.optional(), device: z.string().min(1).optional() })
  .refine((b) => b.from !== undefined || b.to !== undefined || b.device !== undefined, { message: 'name a range (from, to) or a device', params: { zh: '请指定时间范围（from、to）或设备' } });

const AckBody = z.object({ by: z.string().min(1).max(100).default('admin'), comment: z.string().max(1000).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, where: 'query' | 'body'): T {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (!r.success) {
    throw new ApiError(400, 'invalid-request', { zh: `请求的 ${where} 参数不正确`, en: `the request ${where} is not valid` }, zodProblems(r.error, [where], 'invalid-request'));
  }
  return r.data;
}

/** The routes of the runtime's API. The auth test walks this table, so a new route cannot skip it. */
export function runtimeRoutes(o: AppOptions): RouteSpec[] {
  return [
    { method: 'get', path: '/api/health', access: 'public', handle: (_req, res) => res.json({ ok: true, version: o.version }) },
    { method: 'get', path: '/api/status', access: 'admin', handle: (_req, res) => res.json(o.studio ? { ...o.site.status(), studio: o.studio() } : o.site.status()) },
    { method: 'get', path: '/api/deployments', access: 'admin', handle: (_req, res) => res.json({ deployments: o.site.deployments() }) },
    {
      method: 'post', path: '/api/deployments', access: 'admin',
      handle: async (req, res) => {
        if (req.body === undefined || typeof req.body !== 'object') throw new ApiError(400, 'no-bundle', { zh: '请求体应为签名的部署包（JSON）', en: 'the body must be a signed bundle (JSON)' });
        res.status(201).json({ deployment: await o.site.deploy(req.body) });
      },
    },
    { method: 'post', path: '/api/deployments/rollback', access: 'admin', handle: async (_req, res) => res.json({ deployment: await o.site.rollback() }) },
    {
      method: 'get', path: '/api/series', access: 'admin',
      handle: (req, res) => {
        res.json(o.queries.querySeries(parse(SeriesQuery, req.query, 'query')));
      },
    },
    { method: 'get', path: '/api/alarms', access: 'admin', handle: (req, res) => res.json({ alarms: o.queries.listAlarms(parse(AlarmsQuery, req.query, 'query')) }) },
    {
      method: 'post', path: '/api/alarms/:id/ack', access: 'admin',
      handle: (req, res) => {
        const id = Number(req.params.id);
        if (!Number.isInteger(id) || id < 1) throw notFound(`alarm ${req.params.id}`);
        const body = parse(AckBody, req.body, 'body');
        res.json({ alarm: o.queries.ackAlarm(id, body.comment === undefined ? { by: body.by } : { by: body.by, comment: body.comment }) });
      },
    },
    { method: 'get', path: '/api/events', access: 'admin', handle: (req, res) => streamEvents(req, res, o.site.subscribe) },
    {
      method: 'post', path: '/api/purge', access: 'admin',
      handle: async (req, res) => {
        const body = parse(PurgeBody, req.body, 'body');
        res.json({ purged: await o.queries.purge(body) });
      },
    },
  ];
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** The runtime's HTTP API: admin token on every route but health, JSON errors in one shape. */
export function createApp(o: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const t0 = performance.now();
    res.on('finish', () => o.logger.info({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(performance.now() - t0) }, 'request'));
    next();
  });

  const routes = runtimeRoutes(o);
  const publicPaths = new Set(routes.filter((r) => r.access === 'public').map((r) => `${r.method.toUpperCase()} ${r.path}`));
  app.use('/api', (req, _res, next) => {
    if (publicPaths.has(`${req.method} /api${req.path}`)) return next();
    if (!o.token.matches(bearer(req))) return next(unauthorized());
    next();
  });
  app.use(express.json({ limit: o.bodyLimit ?? '20mb' }));

  for (const route of routes) {
    const handler: RequestHandler = async (req, res, next) => {
      try {
        await route.handle(req, res);
      } catch (err) {
        next(err);
      }
    };
    app[route.method](route.path, handler);
  }

  if (o.dashboard) mountDashboard(app, { ...o.dashboard, site: o.site, logger: o.logger });
  app.use('/api', (req, _res, next) => next(notFound(`${req.method} ${req.originalUrl}`)));

  // Errors: one JSON shape, never a stack trace.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) return sendError(res, err);
    if (err instanceof StoreError) return sendError(res, new ApiError(STORE_STATUS[err.code], err.code, err.text));
    if (err instanceof DeployRejected) {
      return sendError(res, new ApiError(err.status, err.code, {
        zh: err.problems[0] ? `已拒绝：${err.problems[0].message.zh}` : `已拒绝（${err.code}）`,
        en: err.problems[0] ? `refused: ${err.problems[0].message.en}` : `refused (${err.code})`,
      }, err.problems));
    }
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return sendError(res, new ApiError(413, 'body-too-large', { zh: `请求体超过 ${o.bodyLimit ?? '20mb'}`, en: `the body is larger than ${o.bodyLimit ?? '20mb'}` }));
    if (type === 'entity.parse.failed') return sendError(res, new ApiError(400, 'invalid-json', { zh: `请求体不是合法的 JSON：${(err as Error).message}`, en: `the body is not valid JSON: ${(err as Error).message}` }));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, new ApiError(415, 'unsupported-encoding', { zh: '不支持的编码', en: 'unsupported encoding' }));
    o.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : err, url: req.originalUrl }, 'request failed');
    return sendError(res, new ApiError(500, 'internal', { zh: '运行时内部错误，详见运行时日志', en: 'internal error; see the runtime log' }));
  });
  return app;
}
