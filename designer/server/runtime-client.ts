import type { Problem, Text } from '../../runtime/model';

/** Why a call to a site runtime did not give what was asked, in the studio's words. */
export interface RuntimeFailure {
  readonly kind: 'unreachable' | 'timeout' | 'unauthorized' | 'refused' | 'bad-answer';
  /** The runtime's HTTP status, when it answered. */
  readonly status?: number;
  /** The runtime's own error code when it gave one (`stale-sequence`, `invalid-flows` …), else the kind. */
  readonly code: string;
  readonly text: Text;
  /** The runtime's problems, each with its path. */
  readonly details: readonly Problem[];
}

export type RuntimeAnswer<T> = { ok: true; body: T } | { ok: false; failure: RuntimeFailure };

export interface RuntimeStatus {
  readonly site: string | null;
  readonly deployment: { readonly sequence: number; readonly id: string; readonly hash: string; readonly status: string } | null;
  readonly lastKnownGood: { readonly sequence: number; readonly id: string } | null;
  readonly lastSequence: number;
  readonly nodes: readonly { readonly state?: string }[];
}

export interface DeploymentSummary {
  readonly sequence: number;
  readonly id: string;
  readonly hash: string;
  readonly status: string;
}

export interface RuntimeTarget {
  readonly url: string;
  readonly token: string;
}

/** The site runtime's admin API as the studio uses it (see README: the site runtime). */
export interface RuntimeClient {
  status(target: RuntimeTarget, timeoutMs?: number): Promise<RuntimeAnswer<RuntimeStatus>>;
  deploy(target: RuntimeTarget, signedBundle: unknown): Promise<RuntimeAnswer<{ deployment: DeploymentSummary }>>;
  rollback(target: RuntimeTarget): Promise<RuntimeAnswer<{ deployment: DeploymentSummary }>>;
}

export interface RuntimeClientOptions {
  /** For status calls. Default 3 s: a health check must not hold a batch up. */
  readonly statusTimeoutMs?: number;
  /** For deploys and rollbacks, which start a whole engine on the site. Default 60 s. */
  readonly deployTimeoutMs?: number;
}

function failure(kind: RuntimeFailure['kind'], text: Text, extra: Partial<RuntimeFailure> = {}): { ok: false; failure: RuntimeFailure } {
  return { ok: false, failure: { kind, code: extra.code ?? kind, text, details: extra.details ?? [], ...(extra.status === undefined ? {} : { status: extra.status }) } };
}

export function createRuntimeClient(o: RuntimeClientOptions = {}): RuntimeClient {
  const statusTimeout = o.statusTimeoutMs ?? 3_000;
  const deployTimeout = o.deployTimeoutMs ?? 60_000;

  async function call<T>(target: RuntimeTarget, method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<RuntimeAnswer<T>> {
    const url = `${target.url}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${target.token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        return failure('timeout', { zh: `站点运行时 ${target.url} 在 ${timeoutMs} ms 内没有应答`, en: `the site runtime at ${target.url} did not answer within ${timeoutMs} ms` });
      }
      const why = e.cause?.code ?? e.cause?.message ?? e.message;
      return failure('unreachable', { zh: `连不上站点运行时 ${target.url}（${why}）`, en: `cannot reach the site runtime at ${target.url} (${why})` });
    }
    let parsed: unknown;
    const text = await res.text().catch(() => '');
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      return failure('bad-answer', { zh: `${target.url} 的应答不是 JSON（HTTP ${res.status}）：它是开物运行时吗？`, en: `${target.url} answered something other than JSON (HTTP ${res.status}): is it a Kaiwu runtime?` }, { status: res.status });
    }
    if (res.ok) return { ok: true, body: parsed as T };
    const error = (parsed as { error?: { code?: string; text?: Text; details?: Problem[] } } | undefined)?.error;
    if (res.status === 401) {
      return failure('unauthorized', { zh: `站点运行时 ${target.url} 不接受这个管理令牌`, en: `the site runtime at ${target.url} does not accept this admin token` }, { status: 401, code: 'site-token-refused' });
    }
    return failure('refused', {
      zh: `站点运行时拒绝（HTTP ${res.status}${error?.code ? ` ${error.code}` : ''}）：${error?.text?.zh ?? text.slice(0, 200)}`,
      en: `the site runtime refused (HTTP ${res.status}${error?.code ? ` ${error.code}` : ''}): ${error?.text?.en ?? text.slice(0, 200)}`,
    }, { status: res.status, code: error?.code ?? 'refused', details: Array.isArray(error?.details) ? error.details : [] });
  }

  return {
    status: (t, timeoutMs = statusTimeout) => call(t, 'GET', '/api/status', undefined, timeoutMs),
    deploy: (t, signed) => call(t, 'POST', '/api/deployments', signed, deployTimeout),
    rollback: (t) => call(t, 'POST', '/api/deployments/rollback', undefined, deployTimeout),
  };
}
