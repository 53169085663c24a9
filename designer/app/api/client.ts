import { ApiError, parseApiError } from './api-error';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Query parameters; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
}

type Listener = (error: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when any request answers 401 (the session ended): the shell goes back to the login page. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function url(path: string, query: RequestOptions['query']): string {
  const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  return q.length === 0 ? path : `${path}?${new URLSearchParams(q.map(([k, v]) => [k, String(v)])).toString()}`;
}

/**
 * Calls the studio API on the same origin with the session cookie. Resolves with the parsed
 * JSON (undefined for 204), rejects with an {@link ApiError}.
 */
export async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', { zh: '无法连接工作室服务器', en: 'cannot reach the studio server' });
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const error = parseApiError(res.status, data, res.statusText);
    if (res.status === 401 && path !== '/api/login') for (const l of unauthorizedListeners) l(error);
    throw error;
  }
  return data as T;
}

/** The studio API, one method per HTTP verb: `api.get<Me>('/api/me')`. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};
