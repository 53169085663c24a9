import type { Text } from '../../../runtime/model/text';

/** One problem of an API error: where (`at`, e.g. `body.parameters.speed`) and why, in both languages. */
export interface ApiErrorDetail {
  readonly at: string;
  readonly path?: readonly (string | number)[];
  readonly code?: string;
  readonly message: Text;
}

/**
 * An answer of the studio API that was not a success, parsed from its
 * `{ error: { code, message, text: { zh, en }, details } }` shape. A network failure is status 0,
 * code `network`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(text.en);
    this.name = 'ApiError';
  }

  /** The details whose `at` starts with this prefix (e.g. the fields of one form). */
  detailsAt(prefix: string): ApiErrorDetail[] {
    return this.details.filter((d) => d.at === prefix || d.at.startsWith(`${prefix}.`) || d.at.startsWith(`${prefix}[`));
  }
}

const isText = (v: unknown): v is Text => typeof v === 'object' && v !== null && typeof (v as Text).zh === 'string' && typeof (v as Text).en === 'string';

/** Reads an error body into an ApiError; anything unexpected still gives a readable error. */
export function parseApiError(status: number, body: unknown, statusText = ''): ApiError {
  const e = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!e || typeof e !== 'object') {
    const what = statusText || `HTTP ${status}`;
    return new ApiError(status, 'http', { zh: `服务器应答 ${what}`, en: `the server answered ${what}` });
  }
  const code = typeof e.code === 'string' ? e.code : 'http';
  const message = typeof e.message === 'string' ? e.message : `HTTP ${status}`;
  const text = isText(e.text) ? e.text : { zh: message, en: message };
  const details = Array.isArray(e.details)
    ? e.details.flatMap((d): ApiErrorDetail[] => {
      const r = d as Record<string, unknown>;
      if (!isText(r.message)) return [];
      return [{
        at: typeof r.at === 'string' ? r.at : '',
        message: r.message,
        ...(Array.isArray(r.path) ? { path: r.path as (string | number)[] } : {}),
        ...(typeof r.code === 'string' ? { code: r.code } : {}),
      }];
    })
    : [];
  return new ApiError(status, code, text, details);
}
