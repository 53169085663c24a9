import type { Request, Response } from 'express';
import { mergePatches } from '../../nodes/dashboard/widget-patch';
import type { WidgetEvent } from '../../nodes/dashboard/widget-patch';
import type { RuntimeEvent } from '../site/site-runtime';

/** Widget changes go to a browser at most this often, merged per widget. */
export const LIVE_FLUSH_MS = 250;
const HEARTBEAT_MS = 15_000;

export interface LiveHello {
  /** Changes when the runtime process restarts: the browser then reloads its views. */
  readonly boot: string;
  readonly sequence: number | null;
  /** Server time, so a browser with a wrong clock still draws "now" right. */
  readonly now: number;
}

interface Client {
  readonly res: Response;
  pending: Map<string, WidgetEvent>;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The socket buffer is full: merge until it drains. */
  blocked: boolean;
}

export interface LiveHub {
  /** Serves one browser's event stream until it goes away. */
  serve(req: Request, res: Response, hello: LiveHello): void;
  /** Tells every browser to reload something (e.g. `alarms` after an acknowledgement). */
  broadcast(event: string, data: unknown): void;
  clients(): number;
  close(): void;
}

/**
 * One subscription to the site runtime, fanned out to every open dashboard. Widget events are
 * merged per widget and browser and written every {@link LIVE_FLUSH_MS}, as one chunk; a
 * browser that cannot keep up gets fewer, larger updates instead of a growing backlog.
 */
export function createLiveHub(subscribe: (listener: (e: RuntimeEvent) => void) => () => void, shown: (key: string) => boolean): LiveHub {
  const clients = new Set<Client>();

  const write = (c: Client, event: string, data: unknown) => {
    if (!c.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) c.blocked = true;
  };

  function flush(c: Client) {
    c.timer = undefined;
    if (c.blocked || c.pending.size === 0) return;
    const batch = [...c.pending].map(([k, e]) => ({ k, s: e.seq, f: e.from, p: e.patch }));
    c.pending = new Map();
    write(c, 'w', batch);
  }

  function queue(c: Client, key: string, event: WidgetEvent) {
    const before = c.pending.get(key);
    c.pending.set(key, before ? { seq: event.seq, from: before.from, patch: mergePatches(before.patch, event.patch) } : event);
    if (c.timer === undefined && !c.blocked) c.timer = setTimeout(() => flush(c), LIVE_FLUSH_MS);
  }

  const off = subscribe((e) => {
    if (clients.size === 0) return;
    if (e.type === 'node-event') {
      if (e.kind !== 'widget') return;
      const key = `${e.flowId}/${e.nodeId}`;
      if (!shown(key)) return;
      const event = e.data as WidgetEvent;
      for (const c of clients) queue(c, key, event);
      return;
    }
    if (e.type === 'deployment') for (const c of clients) write(c, 'deployment', { event: e.event, sequence: e.sequence });
  });

  return {
    serve(req, res, hello) {
      res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      const c: Client = { res, pending: new Map(), timer: undefined, blocked: false };
      // A quick retry: after a runtime restart the page is back within a couple of seconds.
      res.write('retry: 1500\n\n');
      write(c, 'hello', hello);
      res.on('drain', () => {
        c.blocked = false;
        if (c.pending.size > 0 && c.timer === undefined) c.timer = setTimeout(() => flush(c), LIVE_FLUSH_MS);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      clients.add(c);
      req.on('close', () => {
        clearInterval(heartbeat);
        if (c.timer !== undefined) clearTimeout(c.timer);
        clients.delete(c);
      });
    },
    broadcast(event, data) {
      for (const c of clients) write(c, event, data);
    },
    clients: () => clients.size,
    close() {
      off();
      for (const c of clients) {
        if (c.timer !== undefined) clearTimeout(c.timer);
        c.res.end();
      }
      clients.clear();
    },
  };
}
