import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Text } from '../../runtime/model';
import type { Actor, Role } from './roles';
import type { Session } from './sessions';

/**
 * Who may call a route: anyone (health, login), the holder of a one-time pairing code (a site
 * runtime pairing itself, which has no studio account), a paired runtime with its heartbeat
 * token, or a signed-in user of these roles.
 */
export type Access = 'public' | 'pairing-code' | 'site-heartbeat' | readonly Role[];

export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

export interface BaseContext {
  readonly req: Request;
  readonly res: Response;
  readonly ip: string;
  readonly params: Readonly<Record<string, string>>;
  readonly session: Session | undefined;
}

export interface Context<B, Q> extends BaseContext {
  readonly actor: Actor;
  readonly body: B;
  readonly query: Q;
}

export interface OpenContext<B, Q> extends BaseContext {
  readonly body: B;
  readonly query: Q;
}

export interface StudioRoute {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly access: Access;
  readonly summary: Text;
  /** The success status, for the API description. */
  readonly status: number;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  handle(ctx: BaseContext & { actor: Actor | undefined; body: unknown; query: unknown }): Promise<Reply> | Reply;
}

interface Spec<B, Q> {
  readonly summary: Text;
  readonly status?: number;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
}

/** A route for signed-in users of these roles. */
export function guarded<B = undefined, Q = undefined>(method: StudioRoute['method'], path: string, roles: readonly Role[], spec: Spec<B, Q>, handle: (ctx: Context<B, Q>) => Promise<Reply> | Reply): StudioRoute {
  return {
    method, path, access: roles, summary: spec.summary, status: spec.status ?? 200,
    ...(spec.body ? { body: spec.body } : {}), ...(spec.query ? { query: spec.query } : {}),
    handle: (ctx) => handle({ ...ctx, actor: ctx.actor!, body: ctx.body as B, query: ctx.query as Q }),
  };
}

/** A route without a session (health, login, pairing). */
export function open<B = undefined, Q = undefined>(method: StudioRoute['method'], path: string, access: 'public' | 'pairing-code' | 'site-heartbeat', spec: Spec<B, Q>, handle: (ctx: OpenContext<B, Q>) => Promise<Reply> | Reply): StudioRoute {
  return {
    method, path, access, summary: spec.summary, status: spec.status ?? 200,
    ...(spec.body ? { body: spec.body } : {}), ...(spec.query ? { query: spec.query } : {}),
    handle: (ctx) => handle({ ...ctx, body: ctx.body as B, query: ctx.query as Q }),
  };
}
