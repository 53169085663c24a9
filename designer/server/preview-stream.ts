/**
 * Server-Sent Events of one preview, the way the site runtime streams its own
 * (runtime/server/event-stream.ts): a `preview` snapshot first, then the kept events the client
 * has not seen (all of them, or those after `Last-Event-ID` on a reconnect), then live events
 * until the preview stops (`stopped`, then the stream ends) or the client goes away. A client
 * that reads too slowly misses `message`, `debug` and `log` events rather than holding memory.
 */
import type { Request, Response } from 'express';
import type { PreviewSession } from './preview-sessions';

const HEARTBEAT_MS = 15_000;
/** Past this much unsent data, chatty events are left out for this client. */
const SLOW_CLIENT_BYTES = 1024 * 1024;
const CHATTY = new Set(['message', 'debug', 'log']);

/** The last event id a reconnecting client saw: the Last-Event-ID header, or `?after=`. */
export function lastEventId(req: Request): number | undefined {
  const raw = req.headers['last-event-id'] ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
  const n = typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Streams a preview's events to one client. `snapshot` is the first event's data (`preview`);
 * `unwatch` is called once when the stream ends, however it ends.
 */
export function streamPreview(req: Request, res: Response, session: PreviewSession, snapshot: unknown, unwatch: () => void): void {
  res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const write = (event: string, data: unknown, id?: number) => {
    if (CHATTY.has(event) && res.writableLength > SLOW_CLIENT_BYTES) return;
    res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  write('preview', snapshot);
  for (const e of session.run.recent(lastEventId(req))) write(e.event, e.data, e.id);

  let ended = false;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let off: () => void = () => undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    off();
    unwatch();
  };
  if (session.run.stopped) {
    write('stopped', { reason: session.run.stopReason ?? 'deleted', at: session.run.clock().now });
    end();
    res.end();
    return;
  }
  off = session.run.subscribe((e) => {
    write(e.event, e.data, e.id);
    if (e.event === 'stopped') {
      end();
      res.end();
    }
  });
  res.on('close', end);
}
