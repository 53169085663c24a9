import type { UplinkEndpoint } from '../model';
import type { OutboundRow } from '../store/outbound-queue';
import type { BatchResult, Transport } from './drainer';
import { messageId, withId } from './message-body';

const RETRYABLE = new Set([408, 425, 429]);

/**
 * POSTs batches of messages as JSON to an HTTP endpoint, with an Idempotency-Key per batch so
 * a receiver that saw it already can say so; 2xx means it has them, 408/425/429/5xx and network
 * failures mean later, other 4xx mean this batch will never be taken.
 */
export function createHttpTransport(endpoint: UplinkEndpoint, site: string, password: string | undefined): Transport {
  const auth = endpoint.username && password !== undefined
    ? `Basic ${Buffer.from(`${endpoint.username}:${password}`).toString('base64')}`
    : password !== undefined ? `Bearer ${password}` : undefined;
  const controllers = new Set<AbortController>();
  return {
    ready: () => true,
    waitReady: () => Promise.resolve(),
    async send(rows: readonly OutboundRow[]): Promise<BatchResult> {
      const body = `{"site":${JSON.stringify(site)},"endpoint":${JSON.stringify(endpoint.id)},"messages":[${rows.map((r) => withId(r, site)).join(',')}]}`;
      const controller = new AbortController();
      controllers.add(controller);
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const res = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': `${messageId(site, rows[0]!)}..${rows.at(-1)!.id}`,
            ...(auth ? { Authorization: auth } : {}),
          },
          body,
          signal: controller.signal,
        });
        const text = await res.text().catch(() => '');
        if (res.ok) return { acked: rows, refused: [], retry: false };
        const reason = `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
        if (res.status >= 500 || RETRYABLE.has(res.status)) return { acked: [], refused: [], retry: true, reason };
        return { acked: [], refused: rows, retry: false, reason };
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        return { acked: [], refused: [], retry: true, reason: `${(err as Error).message}${cause ? ` (${cause})` : ''}` };
      } finally {
        clearTimeout(timer);
        controllers.delete(controller);
      }
    },
    async close() {
      for (const c of controllers) c.abort();
    },
  };
}
