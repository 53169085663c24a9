// Keeps the store in step with the runtime: pages, widget views, and the live stream.
import { applyPatch } from '../../nodes/dashboard/widget-patch';
import type { WidgetPatch, WidgetSnapshot } from '../../nodes/dashboard/widget-patch';
import { BASE, HttpError, api } from './api';
import type { DashStore, WidgetState } from './store';

interface LiveBatchItem {
  readonly k: string;
  readonly s: number;
  readonly f: number;
  readonly p: WidgetPatch;
}

interface Hello {
  readonly boot: string;
  readonly sequence: number | null;
  readonly now: number;
}

const RETRY_MS = [1_000, 2_000, 4_000, 8_000, 10_000];

const widgetKeys = (store: DashStore) => [...new Set((store.getState().pages ?? []).flatMap((p) => p.widgets.map((w) => w.key).filter((k): k is string => k !== undefined)))];

/**
 * Connects the dashboard to its runtime and keeps it connected: after a network drop or a
 * runtime restart it reconnects by itself, and reloads what it may have missed (the views, or
 * the pages too when the runtime restarted or deployed something new).
 */
export function connect(store: DashStore, onLoginNeeded: () => void): () => void {
  let source: EventSource | undefined;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let gapTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  /** Patches for widgets whose snapshot is on its way, applied once it is there. */
  let waiting: Map<string, LiveBatchItem[]> | undefined;
  const gaps = new Set<string>();

  const set = store.setState;

  async function loadPages() {
    const answer = await api.pages();
    set({ site: answer.site, sequence: answer.sequence, boot: answer.boot, pages: answer.pages, offset: answer.now - Date.now(), loadError: undefined });
  }

  async function loadViews(keys: readonly string[]) {
    if (keys.length === 0) return;
    waiting ??= new Map();
    for (const k of keys) if (!waiting.has(k)) waiting.set(k, []);
    try {
      const answer = await api.views(keys);
      if (answer.sequence !== store.getState().sequence) {
        // Something new was deployed meanwhile: start over with its pages.
        await loadPages();
        await loadViews(widgetKeys(store));
        return;
      }
      const views: Record<string, WidgetState> = { ...store.getState().views };
      for (const k of keys) {
        const snap = answer.views[k] as WidgetSnapshot | undefined;
        let state: WidgetState | undefined = snap ? { seq: snap.seq, view: snap.view } : undefined;
        for (const item of waiting?.get(k) ?? []) {
          if (state && item.s > state.seq && item.f <= state.seq + 1) state = { seq: item.s, view: applyPatch(state.view, item.p) };
        }
        waiting?.delete(k);
        if (state) views[k] = state;
      }
      set({ views });
    } finally {
      for (const k of keys) waiting?.delete(k);
      if (waiting?.size === 0) waiting = undefined;
    }
  }

  function onBatch(items: readonly LiveBatchItem[]) {
    const current = store.getState().views;
    let views: Record<string, WidgetState> | undefined;
    for (const item of items) {
      const pending = waiting?.get(item.k);
      if (pending) {
        pending.push(item);
        continue;
      }
      const before = (views ?? current)[item.k];
      if (!before || item.s <= before.seq) continue;
      if (item.f > before.seq + 1) {
        // Patches were missed (a reconnect, a busy moment): read the widget again.
        gaps.add(item.k);
        continue;
      }
      views ??= { ...current };
      views[item.k] = { seq: item.s, view: applyPatch(before.view, item.p) };
    }
    if (views) set({ views });
    if (gaps.size > 0 && gapTimer === undefined) {
      gapTimer = setTimeout(() => {
        gapTimer = undefined;
        const keys = [...gaps];
        gaps.clear();
        void loadViews(keys).catch(() => undefined);
      }, 300);
    }
  }

  async function onHello(hello: Hello) {
    const s = store.getState();
    retry = 0;
    set({ offset: hello.now - Date.now() });
    try {
      if (s.pages === undefined || hello.boot !== s.boot || hello.sequence !== s.sequence) await loadPages();
      await loadViews(widgetKeys(store));
      set({ connection: 'live', loadError: undefined });
    } catch (err) {
      set({ loadError: (err as Error).message });
    }
  }

  function open() {
    if (stopped) return;
    set({ connection: store.getState().connection === 'live' ? 'lost' : store.getState().connection });
    const es = new EventSource(`${BASE}/live`);
    source = es;
    es.addEventListener('hello', (e) => void onHello(JSON.parse((e as MessageEvent<string>).data) as Hello));
    es.addEventListener('w', (e) => onBatch(JSON.parse((e as MessageEvent<string>).data) as LiveBatchItem[]));
    es.addEventListener('deployment', () => {
      void loadPages().then(() => loadViews(widgetKeys(store))).catch(() => undefined);
    });
    es.addEventListener('alarms', () => set({ alarmsVersion: store.getState().alarmsVersion + 1 }));
    es.onerror = () => {
      set({ connection: 'lost' });
      // The browser retries a dropped stream by itself; a refused one (runtime restarting, login gone) is ours to retry.
      if (es.readyState !== EventSource.CLOSED) return;
      es.close();
      const wait = RETRY_MS[Math.min(retry++, RETRY_MS.length - 1)]!;
      retryTimer = setTimeout(() => {
        api.me().then(open, (err: unknown) => {
          if (err instanceof HttpError && err.status === 401) onLoginNeeded();
          else open();
        });
      }, wait);
    };
  }

  open();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(gapTimer);
    source?.close();
  };
}
