import type { Request, Response } from 'express';
import type { RuntimeEvent } from '../site/site-runtime';

/** Debug messages per node and second that go to a live view; the rest are counted as skipped. */
const DEBUG_PER_NODE_PER_SECOND = 10;
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of a runtime: node states, faults, alarms, deployments as they happen, and
 * debug messages coalesced per node so a busy site does not flood the browser.
 */
export function streamEvents(req: Request, res: Response, subscribe: (listener: (e: RuntimeEvent) => void) => () => void): void {
  res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  let id = 0;
  const budget = new Map<string, { second: number; sent: number; skipped: number }>();
  const write = (event: string, data: unknown) => {
    res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const off = subscribe((e) => {
    if (e.type === 'node-event') {
      if (e.kind !== 'debug' && e.kind !== 'log') return;
      const key = `${e.flowId}/${e.nodeId}`;
      const second = Math.floor(e.at / 1000);
      let b = budget.get(key);
      if (!b || b.second !== second) {
        b = { second, sent: 0, skipped: b && b.second !== second ? b.skipped : 0 };
        budget.set(key, b);
      }
      if (b.sent >= DEBUG_PER_NODE_PER_SECOND) {
        b.skipped++;
        return;
      }
      b.sent++;
      const skipped = b.skipped;
      b.skipped = 0;
      write(e.kind, { flowId: e.flowId, nodeId: e.nodeId, at: e.at, data: e.data, ...(skipped ? { skipped } : {}) });
      return;
    }
    if (e.type === 'engine') return;
    write(e.type, e);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    off();
  });
}
