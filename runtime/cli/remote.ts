import type { Lang, Problem } from '../model';
import { describeProblem } from '../model';

export interface Remote {
  readonly url: string;
  readonly token: string | undefined;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export class RemoteError extends Error {}

/** Calls a runtime's API; network failures become a RemoteError that says where and why. */
export async function callApi(remote: Remote, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer> {
  const url = new URL(path, remote.url.endsWith('/') ? remote.url : `${remote.url}/`);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { ...(remote.token ? { Authorization: `Bearer ${remote.token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new RemoteError(`${url.origin}: cannot reach the runtime (${cause}) / 无法连接运行时`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the message.
  }
  return { status: res.status, body: parsed };
}

/** Prints an API error answer: its message and every detail with its path. */
export function printApiError(answer: ApiAnswer, lang: Lang, print: (line: string) => void): void {
  const err = (answer.body as { error?: { code: string; message: string; text?: { zh: string; en: string }; details?: Problem[] } } | null)?.error;
  if (!err) {
    print(`HTTP ${answer.status}: ${typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)}`);
    return;
  }
  print(`HTTP ${answer.status} ${err.code}: ${err.text?.[lang] ?? err.message}`);
  for (const d of err.details ?? []) print(`  ${describeProblem(d, lang)}`);
}
