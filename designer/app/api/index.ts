export { ApiError, parseApiError } from './api-error';
export type { ApiErrorDetail } from './api-error';
export { api, onUnauthorized, request } from './client';
export type { Method, RequestOptions } from './client';
export type { LoginAnswer, MeAnswer, Role, User } from './types';
