import type { z } from 'zod';
import type { JsonPath, Problem, Text } from '../../runtime/model';
import { zodProblems } from '../../runtime/model';
import { ApiError } from '../../runtime/server/api-error';
import type { Role } from './roles';
import { ROLE_TEXT } from './roles';

// The studio answers errors in the runtime's shape, so one client handles both.
export { ApiError, sendError } from '../../runtime/server/api-error';

export const needSession = () => new ApiError(401, 'unauthorized', {
  zh: '请先登录：POST /api/login，然后带上会话 Cookie 或 Authorization: Bearer <令牌>',
  en: 'sign in first: POST /api/login, then send the session cookie or Authorization: Bearer <token>',
});

export const roleForbidden = (role: Role, allowed: readonly Role[]) => new ApiError(403, 'forbidden', {
  zh: `${ROLE_TEXT[role].zh}角色不能执行此操作（允许：${allowed.map((r) => ROLE_TEXT[r].zh).join('、')}）`,
  en: `the ${ROLE_TEXT[role].en} role may not do this (allowed: ${allowed.map((r) => ROLE_TEXT[r].en).join(', ')})`,
});

/** Someone else's resource answers like a missing one, so ids tell nothing. */
export const notFound = (what: Text) => new ApiError(404, 'not-found', { zh: `没有找到${what.zh}`, en: `no such ${what.en}` });

export const conflict = (code: string, text: Text, details: readonly Problem[] = []) => new ApiError(409, code, text, details);

export const unprocessable = (code: string, text: Text, details: readonly Problem[]) => new ApiError(422, code, text, details);

/** Parses a request part with a zod schema; answers 400 with every problem at its path. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (!r.success) {
    throw new ApiError(400, 'invalid-request', {
      zh: where === 'body' ? '请求体不正确' : '查询参数不正确',
      en: where === 'body' ? 'the request body is not valid' : 'the query is not valid',
    }, zodProblems(r.error, [where], 'invalid-request'));
  }
  return r.data;
}

/** Problems re-rooted under `base` (e.g. a template's problems under `template`). */
export function under(base: JsonPath, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ ...p, path: [...base, ...p.path], at: p.at === '(root)' ? base.join('.') : `${base.join('.')}.${p.at}` }));
}

/** The first problem as the error's own text, with a count when there are more. */
export function summarise(lead: Text, problems: readonly Problem[]): Text {
  const first = problems.find((p) => p.severity === 'error') ?? problems[0];
  if (!first) return lead;
  const more = problems.length > 1 ? { zh: `（共 ${problems.length} 个问题）`, en: ` (${problems.length} problems)` } : { zh: '', en: '' };
  return { zh: `${lead.zh}：${first.at} ${first.message.zh}${more.zh}`, en: `${lead.en}: ${first.at} ${first.message.en}${more.en}` };
}

/** Too many attempts: answered 429 with Retry-After. */
export class RateLimited extends ApiError {
  constructor(readonly retryAfterMs: number, text: Text) {
    super(429, 'too-many-attempts', text);
  }
}
