import type { Response } from 'express';
import type { Problem, Text } from '../model';

/** Every error the API answers, in one shape: `{ error: { code, message, text, details[] } }`. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly text: Text, readonly details: readonly Problem[] = []) {
    super(text.en);
    this.name = 'ApiError';
  }
}

export function sendError(res: Response, err: ApiError): void {
  res.status(err.status).json({ error: { code: err.code, message: err.text.en, text: err.text, details: err.details } });
}

export const unauthorized = () => new ApiError(401, 'unauthorized', {
  zh: '需要管理令牌：请求头 Authorization: Bearer <令牌>（见数据目录下的 admin-token）',
  en: 'an admin token is needed: Authorization: Bearer <token> (see admin-token in the data folder)',
});

export const notFound = (what: string) => new ApiError(404, 'not-found', { zh: `没有这个资源：${what}`, en: `no such resource: ${what}` });
