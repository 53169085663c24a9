import express from 'express';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { ApiError, RateLimited, needSession, parseRequest, roleForbidden, sendError } from './errors';
import type { StudioRoute } from './route-table';
import type { Session, Sessions } from './sessions';

export const SESSION_COOKIE = 'kaiwu_session';

export interface HttpAppOptions {
  readonly routes: readonly StudioRoute[];
  readonly sessions: Sessions;
  readonly logger: Logger;
  /** Largest JSON body; a template with many scenarios or a CSV of 1,000 devices fits well. Default 5 MB. */
  readonly bodyLimit?: string;
  /** The designer page app (`designerStatic`), served for what is not under /api. */
  readonly designer?: Router;
}

/** The session token of a request: the Bearer header (API clients) or the cookie (the browser). */
export function sessionToken(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? '';

/**
 * The studio's HTTP face: every route comes from the table, a session is checked before the
 * body is read, one error shape, no stack traces, a log line per request (the route pattern,
 * never a path with a pairing code or a query with a secret in it).
 */
export function createHttpApp(o: HttpAppOptions): express.Express {
  const app = express();
  const limit = o.bodyLimit ?? '5mb';
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const t0 = performance.now();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      o.logger.info({ method: req.method, route: route ?? req.path, status: res.statusCode, ms: Math.round(performance.now() - t0), user: (res.locals.session as Session | undefined)?.actor.username }, 'request');
    });
    next();
  });

  const json = express.json({ limit });
  const authenticate = (route: StudioRoute): RequestHandler => (req, res, next) => {
    if (typeof route.access === 'string') return next();
    const session = o.sessions.lookup(sessionToken(req));
    if (!session) return next(needSession());
    if (!route.access.includes(session.actor.role)) return next(roleForbidden(session.actor.role, route.access));
    res.locals.session = session;
    next();
  };

  for (const route of o.routes) {
    const handler: RequestHandler = async (req, res, next) => {
      try {
        const session = res.locals.session as Session | undefined;
        const reply = await route.handle({
          req, res, ip: clientIp(req), params: req.params as Record<string, string>, session, actor: session?.actor,
          body: route.body ? parseRequest(route.body, req.body, 'body') : undefined,
          query: route.query ? parseRequest(route.query, req.query, 'query') : undefined,
        });
        if (res.headersSent) return;
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v as string | string[]);
        if (reply.body === undefined) res.status(reply.status ?? 204).end();
        else res.status(reply.status ?? route.status).json(reply.body);
      } catch (err) {
        next(err);
      }
    };
    app[route.method](route.path, authenticate(route), json, handler);
  }

  if (o.designer) app.use(o.designer);

  // Unknown API paths: without a session they say nothing about what exists.
  app.use((req, _res, next) => {
    if (!o.sessions.lookup(sessionToken(req))) return next(needSession());
    next(new ApiError(404, 'not-found', { zh: `没有这个接口：${req.method} ${req.path}`, en: `no such route: ${req.method} ${req.path}` }));
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof RateLimited) res.setHeader('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
    if (err instanceof ApiError) return sendError(res, err);
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return sendError(res, new ApiError(413, 'body-too-large', { zh: `请求体超过 ${limit}`, en: `the body is larger than ${limit}` }));
    if (type === 'entity.parse.failed') return sendError(res, new ApiError(400, 'invalid-json', { zh: `请求体不是合法的 JSON：${(err as Error).message}`, en: `the body is not valid JSON: ${(err as Error).message}` }));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, new ApiError(415, 'unsupported-encoding', { zh: '不支持的编码', en: 'unsupported encoding' }));
    o.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : err, route: (req.route as { path?: string } | undefined)?.path ?? req.path }, 'request failed');
    return sendError(res, new ApiError(500, 'internal', { zh: '工作室内部错误，详见服务日志', en: 'internal error; see the studio log' }));
  });
  return app;
}
