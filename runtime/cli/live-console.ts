import type { Engine, EngineEvent, NodeStats } from '../engine/engine';
import type { Lang } from '../model';

function time(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function short(value: unknown, max = 160): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** One line an event, for a person watching a flow run in a terminal. */
export function formatEvent(event: EngineEvent, lang: Lang): string | undefined {
  switch (event.type) {
    case 'node-event': {
      if (event.kind === 'debug') {
        const e = event.data as { topic?: string; device?: string; quality?: string; value?: unknown; skipped?: number };
        const tags = [e.topic, e.device, e.quality && e.quality !== 'good' ? e.quality : undefined].filter(Boolean).join(' ');
        const skipped = e.skipped ? (lang === 'zh' ? ` （略过 ${e.skipped} 条）` : ` (${e.skipped} skipped)`) : '';
        return `${time(event.at)} ${event.flowId}/${event.nodeId} ${tags ? `[${tags}] ` : ''}${short(e.value)}${skipped}`;
      }
      if (event.kind === 'log') {
        const e = event.data as { level: string; text: string };
        return `${time(event.at)} ${event.flowId}/${event.nodeId} log.${e.level}: ${short(e.text, 300)}`;
      }
      return undefined;
    }
    case 'node-error':
      return `${time(event.at)} ${event.flowId}/${event.nodeId} ⚠ ${event.error}`;
    case 'node-state':
      return event.state === 'error' || event.state === 'warning'
        ? `${time(event.at)} ${event.flowId}/${event.nodeId} ${lang === 'zh' ? '状态' : 'state'} ${event.state}${event.text ? `: ${event.text}` : ''}`
        : undefined;
    case 'engine':
      return undefined;
  }
}

/** Columns a string takes in a terminal: CJK characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, width: number, left: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return left ? s + fill : fill + s;
}

/** A counters table: what each node received, sent, failed and dropped, and how long it took. */
export function formatStats(stats: readonly NodeStats[], lang: Lang): string {
  const head = lang === 'zh'
    ? ['节点', '类型', '状态', '收到', '发出', '错误', '丢弃', '排队', '平均 ms', 'p99 ms']
    : ['node', 'type', 'state', 'in', 'out', 'errors', 'dropped', 'queued', 'mean ms', 'p99 ms'];
  const rows = stats.map((s) => [
    `${s.flowId}/${s.nodeId}`, s.type, s.state, String(s.in), String(s.out), String(s.errors), String(s.dropped), String(s.queued),
    s.meanMs.toFixed(3), s.p99Ms.toFixed(3),
  ]);
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => displayWidth(r[i]!))));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i]!, i < 3)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** Prints live events and, every `statsEverySec`, the counters, until the returned stop is called. */
export function attachConsole(engine: Engine, options: { lang: Lang; statsEverySec: number; quiet: boolean }, out: (line: string) => void): () => void {
  const off = options.quiet ? () => undefined : engine.subscribe((event) => {
    const line = formatEvent(event, options.lang);
    if (line !== undefined) out(line);
  });
  const timer = options.statsEverySec > 0 ? setInterval(() => out(formatStats(engine.stats(), options.lang)), options.statsEverySec * 1000) : undefined;
  timer?.unref();
  return () => {
    off();
    if (timer) clearInterval(timer);
  };
}
