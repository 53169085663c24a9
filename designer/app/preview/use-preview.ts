/**
 * One preview from the page's side: start it (`POST /api/previews`), follow its event stream
 * (EventSource, the session cookie goes along), stop it, inject messages and script devices.
 * The figures go through `previewReducer`; node stats also go to the flow editor's live map so
 * every node on the canvas shows its counters and badge.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { api } from '../api';
import { useMessages } from '../i18n/i18n';
import type { EditorStore } from '../editor/editor-store';
import { liveMap, sameLive } from './live-stats';
import { previewMessages } from './messages';
import { INITIAL_VIEW, previewReducer } from './preview-events';
import type { PreviewAction, PreviewView } from './preview-events';
import { PREVIEW_EVENTS } from './preview-types';
import type { DeviceStateView, NodeStatsView, PreviewInfo, PreviewRequest } from './preview-types';

/** Stream events are taken in batches this often: up to 200 events a second would otherwise be as many renders. */
const BATCH_MS = 100;

/** Events the server keeps and numbers; the others carry no id (EventSource repeats the last one on them). */
const KEPT = new Set(['message', 'debug', 'log', 'node-state', 'node-error', 'alarm']);

export interface InjectRequest {
  readonly flowId: string;
  readonly nodeId: string;
  readonly port?: string;
  readonly message: { topic?: string; payload?: unknown; device?: string };
}

export type DeviceScript =
  | { readonly state: 'running' | 'idle' | 'fault' | 'auto'; readonly faultCode?: number }
  | { readonly tag: string; readonly value: number | boolean | string | null }
  | { readonly offline: boolean };

export interface PreviewHandle {
  readonly view: PreviewView;
  start(request: PreviewRequest): Promise<PreviewInfo>;
  stop(): Promise<void>;
  inject(request: InjectRequest): Promise<void>;
  script(device: string, command: DeviceScript): Promise<DeviceStateView>;
  dispatch(action: PreviewAction): void;
}

const enc = encodeURIComponent;

export function usePreview(editor?: EditorStore): PreviewHandle {
  const { t } = useMessages('preview', previewMessages);
  const [view, dispatch] = useReducer(previewReducer, INITIAL_VIEW);
  const source = useRef<EventSource | undefined>(undefined);
  const current = useRef<string | undefined>(undefined);
  const pending = useRef<PreviewAction[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    clearTimeout(flushTimer.current);
    flushTimer.current = undefined;
    const actions = pending.current;
    pending.current = [];
    if (actions.length > 0) dispatch({ type: 'batch', actions });
  }, []);
  const queue = useCallback((action: PreviewAction) => {
    pending.current.push(action);
    flushTimer.current ??= setTimeout(flush, BATCH_MS);
  }, [flush]);

  const close = useCallback(() => {
    source.current?.close();
    source.current = undefined;
  }, []);

  const connect = useCallback((info: PreviewInfo) => {
    close();
    const es = new EventSource(info.events);
    source.current = es;
    for (const name of PREVIEW_EVENTS) {
      es.addEventListener(name, (e) => {
        const m = e as MessageEvent<string>;
        let data: unknown;
        try {
          data = JSON.parse(m.data);
        } catch {
          return;
        }
        const id = KEPT.has(name) && m.lastEventId ? Number(m.lastEventId) : undefined;
        queue({ type: 'event', event: name, data, ...(id !== undefined && Number.isFinite(id) ? { id } : {}) });
        // The stream ends after "stopped": do not let the browser reconnect to a preview that is gone.
        if (name === 'stopped' && source.current === es) {
          close();
          flush();
        }
      });
    }
    es.onopen = () => queue({ type: 'connection', up: true });
    es.onerror = () => queue({ type: 'connection', up: false });
  }, [close, queue, flush]);

  const start = useCallback(async (request: PreviewRequest) => {
    close();
    clearTimeout(flushTimer.current);
    flushTimer.current = undefined;
    pending.current = [];
    dispatch({ type: 'starting' });
    try {
      const info = await api.post<PreviewInfo>('/api/previews', request);
      current.current = info.id;
      dispatch({ type: 'started', info });
      connect(info);
      return info;
    } catch (err) {
      dispatch({ type: 'start-failed' });
      throw err;
    }
  }, [connect, close]);

  const stop = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    dispatch({ type: 'stopping' });
    try {
      await api.delete(`/api/previews/${enc(id)}`);
    } finally {
      close();
      flush();
      current.current = undefined;
      dispatch({ type: 'event', event: 'stopped', data: { reason: 'deleted', at: Date.now() } });
    }
  }, [close, flush]);

  const inject = useCallback(async (request: InjectRequest) => {
    const id = current.current;
    if (!id) return;
    await api.post(`/api/previews/${enc(id)}/inject`, request);
  }, []);

  const script = useCallback(async (device: string, command: DeviceScript) => {
    const id = current.current!;
    const answer = await api.post<{ device: DeviceStateView }>(`/api/previews/${enc(id)}/devices/${enc(device)}`, command);
    dispatch({ type: 'device', device: answer.device });
    return answer.device;
  }, []);

  // Leaving the page stops the preview (the studio would stop it after 10 idle minutes anyway).
  useEffect(() => () => {
    close();
    clearTimeout(flushTimer.current);
    const id = current.current;
    if (id) void api.delete(`/api/previews/${enc(id)}`).catch(() => undefined);
  }, [close]);

  // Every node on the canvas shows its counters and badge.
  const title = useCallback((s: NodeStatsView) => t('node.tooltip', {
    state: t(`node.states.${s.state}`, { defaultValue: s.state }), in: s.in, out: s.out, errors: s.errors, dropped: s.dropped, queued: s.queued, mean: s.meanMs.toFixed(1),
  }), [t]);
  useEffect(() => {
    if (!editor) return;
    const next = view.status === 'idle' ? undefined : liveMap(view.stats, title);
    if (!sameLive(editor.getState().live, next)) editor.getState().setLive(next);
  }, [editor, view.stats, view.status, title]);
  useEffect(() => () => editor?.getState().setLive(undefined), [editor]);

  return useMemo(() => ({ view, start, stop, inject, script, dispatch }), [view, start, stop, inject, script]);
}
