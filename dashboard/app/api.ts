// The dashboard's JSON API (runtime/server/dashboard-routes.ts), same origin, session cookie.
import type { AlarmRow, SeriesAnswer } from '../../nodes/dashboard/widget-host';
import type { WidgetSnapshot } from '../../nodes/dashboard/widget-patch';
import type { Report, ReportFigures } from '../../runtime/server/dashboard-report';

export const BASE = '/dashboard/api';

export interface Me {
  readonly name: string;
  readonly canAck: boolean;
  readonly kiosk: boolean;
  readonly expiresAt: number | null;
}

export interface PageWidget {
  readonly id: string;
  readonly kind: string;
  readonly key?: string;
  readonly title?: { zh: string; en: string };
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly config: unknown;
}

export interface ReportSpec {
  readonly shifts: readonly { name: string; start: string }[];
  readonly unit: string;
}

export interface Page {
  readonly id: string;
  readonly scenario?: string;
  readonly title: { zh: string; en: string };
  readonly columns: number;
  readonly widgets: readonly PageWidget[];
  readonly report?: ReportSpec;
}

export interface PagesAnswer {
  readonly site: string | null;
  readonly sequence: number | null;
  readonly boot: string;
  readonly now: number;
  readonly pages: readonly Page[];
}


// What GET /report answers, as the runtime builds it.
export type { Report, ReportFigures as Figures };

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

async function call<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${BASE}${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new HttpError(res.status, error?.code ?? 'http', error?.message ?? res.statusText);
  }
  return data as T;
}

export const api = {
  me: () => call<Me>('/me'),
  login: (name: string, password: string) => call<Me>('/login', { method: 'POST', body: { name, password } }),
  logout: () => call<{ ok: true }>('/logout', { method: 'POST', body: {} }),
  pages: () => call<PagesAnswer>('/pages'),
  views: (keys: readonly string[]) => call<{ sequence: number | null; views: Record<string, WidgetSnapshot> }>(`/views?keys=${keys.map(encodeURIComponent).join(',')}`),
  series: (key: string, series: string, from: number, to: number, maxPoints: number, device?: string) =>
    call<SeriesAnswer>(`/series?key=${encodeURIComponent(key)}&series=${encodeURIComponent(series)}&from=${Math.floor(from)}&to=${Math.ceil(to)}&maxPoints=${maxPoints}${device === undefined ? '' : `&device=${encodeURIComponent(device)}`}`),
  alarms: (key: string, active: boolean, limit: number) =>
    call<{ alarms: AlarmRow[] }>(`/alarms?key=${encodeURIComponent(key)}&active=${active ? 1 : 0}&limit=${limit}`).then((r) => r.alarms),
  ack: (id: number, comment?: string) => call<unknown>(`/alarms/${id}/ack`, { method: 'POST', body: comment ? { comment } : {} }).then(() => undefined),
  report: (page: string, date: string | undefined, period: number | 'day') =>
    call<{ page: string; report: Report }>(`/report?page=${encodeURIComponent(page)}${date ? `&date=${date}` : ''}&period=${period}`).then((r) => r.report),
  reportCsvUrl: (page: string, date: string, period: number | 'day', lang: 'zh' | 'en') =>
    `${BASE}/report?page=${encodeURIComponent(page)}&date=${date}&period=${period}&format=csv&lang=${lang}`,
};
