import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Text } from '../../../runtime/model';
import { ApiError } from '../api';
import type { EditorStore } from '../editor/editor-store';
import { useLang } from '../i18n/language';
import { useMessages } from '../i18n/i18n';
import { AlarmList } from './alarm-list';
import { DebugMessages } from './debug-messages';
import { formatTime } from './format';
import { InjectForm } from './inject-form';
import { previewMessages } from './messages';
import type { PreviewRequest } from './preview-types';
import { SimulatedDevices } from './simulated-devices';
import type { PreviewHandle } from './use-preview';
import './preview.css';

export const SPEEDS = [1, 10, 60, 300, 1000] as const;

export interface PreviewPanelProps {
  readonly preview: PreviewHandle;
  readonly editor: EditorStore;
  /** What to run: `{ template }` (a ref or a document) or `{ instance }`. */
  readonly source: () => Pick<PreviewRequest, 'template' | 'instance'>;
  /** Says what runs (a saved version, the unsaved draft, an instance). */
  readonly sourceLabel: string;
  /** Device groups whose simulated device count can be chosen (templates; an instance brings its own). */
  readonly groups?: readonly { readonly key: string; readonly label: Text; readonly min?: number; readonly max?: number }[];
  /** X scenarios that may run besides the N ones (all by default). */
  readonly xScenarios?: readonly { readonly key: string; readonly title: Text }[];
  /** Parameters the preview may run with other values than the defaults (or the instance's). */
  readonly parameters?: readonly PreviewParameter[];
  /** Errors of a start the page shows itself (problems on its fields); true when it took it. */
  readonly onStartError?: (err: ApiError) => boolean;
  /** Shows a node on the canvas (switching to its scenario). */
  readonly onShowNode?: (flowId: string, nodeId: string) => void;
}

type Tab = 'messages' | 'alarms' | 'devices' | 'inject';

export interface PreviewParameter {
  readonly key: string;
  readonly type: string;
  readonly label: Text;
  readonly default?: unknown;
  readonly unit?: string;
}

/** A parameter value typed in a field, as its type wants it ('' = no override). */
export function parameterValue(type: string, text: string): unknown {
  const s = text.trim();
  if (s === '') return undefined;
  if (type === 'number' || type === 'integer') return Number.isFinite(Number(s)) ? Number(s) : s;
  if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
  if (type === 'duration' && /^\d+$/.test(s)) return Number(s);
  return text;
}

/** The preview beside the canvas: start and stop, speed, and the debug tabs (messages, alarms, devices, inject). */
export function PreviewPanel({ preview, editor, source, sourceLabel, groups = [], xScenarios = [], parameters = [], onStartError, onShowNode }: PreviewPanelProps) {
  const { t } = useMessages('preview', previewMessages);
  const { text, lang } = useLang();
  const { view } = preview;
  const [speed, setSpeed] = useState<number>(60);
  const [behaviour, setBehaviour] = useState<'random' | 'steady'>('steady');
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [skipX, setSkipX] = useState<ReadonlySet<string>>(new Set());
  const [overrides, setOverrides] = useState<Readonly<Record<string, string>>>({});
  const [tab, setTab] = useState<Tab>('messages');
  const [error, setError] = useState<ApiError | undefined>();
  const running = view.status === 'running' || view.status === 'starting' || view.status === 'stopping';

  const start = async () => {
    setError(undefined);
    const devices = Object.fromEntries(groups.map((g) => [g.key, counts[g.key] ?? Math.max(1, g.min ?? 1)]));
    const values = Object.fromEntries(parameters.flatMap((p) => {
      const v = parameterValue(p.type, overrides[p.key] ?? '');
      return v === undefined ? [] : [[p.key, v]];
    }));
    const request: PreviewRequest = {
      ...source(),
      speed,
      behaviour,
      ...(groups.length > 0 ? { devices } : {}),
      ...(xScenarios.length > 0 ? { scenarios: xScenarios.filter((x) => !skipX.has(x.key)).map((x) => x.key) } : {}),
      ...(Object.keys(values).length > 0 ? { parameters: values } : {}),
    };
    try {
      await preview.start(request);
    } catch (err) {
      if (err instanceof ApiError && onStartError?.(err)) return;
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) }));
    }
  };

  const activeAlarms = Object.keys(view.activeAlarms).length;
  return (
    <aside className="preview-panel" aria-label={t('title')} data-status={view.status}>
      <header className="preview-head">
        <h2>{t('title')}</h2>
        <span className={`preview-status status-${view.status}`} role="status">{t(`status.${view.status}`)}</span>
        <span className="spacer" />
        {running ? (
          <button type="button" className="danger preview-stop" disabled={view.status !== 'running'} onClick={() => void preview.stop()}>■ {t('stop')}</button>
        ) : (
          <button type="button" className="primary preview-start" onClick={() => void start()}>▶ {view.status === 'stopped' ? t('restart') : t('start')}</button>
        )}
      </header>
      <p className="preview-source muted small">{sourceLabel}</p>
      {!running ? (
        <div className="preview-settings">
          <label>{t('speed')}
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
              {SPEEDS.map((s) => <option key={s} value={s}>{t('speedValue', { speed: s })}</option>)}
            </select>
          </label>
          <label>{t('behaviour')}
            <select value={behaviour} onChange={(e) => setBehaviour(e.target.value as 'random' | 'steady')}>
              <option value="steady">{t('behaviours.steady')}</option>
              <option value="random">{t('behaviours.random')}</option>
            </select>
          </label>
          {groups.length > 0 ? (
            <div className="device-counts">
              <span className="muted small">{t('devicesPer')}</span>
              {groups.map((g) => (
                <label key={g.key} className="count">{text(g.label) || g.key}
                  <input type="number" min={1} max={100} value={counts[g.key] ?? Math.max(1, g.min ?? 1)} onChange={(e) => setCounts({ ...counts, [g.key]: Math.max(1, Math.min(100, Math.round(Number(e.target.value)) || 1)) })} />
                </label>
              ))}
            </div>
          ) : null}
          {xScenarios.length > 0 ? (
            <div className="x-scenarios">
              <span className="muted small">{t('xScenarios')}</span>
              {xScenarios.map((x) => (
                <label key={x.key} className="check">
                  <input type="checkbox" checked={!skipX.has(x.key)} onChange={(e) => {
                    const next = new Set(skipX);
                    if (e.target.checked) next.delete(x.key);
                    else next.add(x.key);
                    setSkipX(next);
                  }} />
                  {text(x.title) || x.key}
                </label>
              ))}
            </div>
          ) : null}
          {parameters.length > 0 ? (
            <details className="preview-parameters">
              <summary className="small">{t('parameters', { count: Object.values(overrides).filter((v) => v.trim() !== '').length })}</summary>
              {parameters.map((p) => (
                <label key={p.key} className="param-override" data-param={p.key}>
                  <span title={p.key}>{text(p.label) || p.key}</span>
                  <input
                    value={overrides[p.key] ?? ''}
                    placeholder={p.default === undefined ? '' : `${typeof p.default === 'string' ? p.default : JSON.stringify(p.default)}${p.unit ? ` ${p.unit}` : ''}`}
                    onChange={(e) => setOverrides({ ...overrides, [p.key]: e.target.value })}
                  />
                </label>
              ))}
            </details>
          ) : null}
        </div>
      ) : (
        <div className="preview-clock small">
          {view.clock ? <span>{t('clock', { time: formatTime(view.clock.now, lang) })}</span> : null}
          {view.clock ? <span className="muted"> · {t('speedValue', { speed: view.clock.speed })}{view.clock.effectiveSpeed < view.clock.speed * 0.9 ? ` · ${t('effective', { speed: Math.round(view.clock.effectiveSpeed) })}` : ''}</span> : null}
          {view.disconnected ? <span className="field-error"> · {t('disconnected')}</span> : null}
        </div>
      )}
      {view.stopped && view.status === 'stopped' ? <p className="muted small">{t(`stoppedReason.${view.stopped.reason}`)}</p> : null}
      {error ? (
        <div className="field-error preview-error" role="alert">
          <p>{text(error.text)}</p>
          {error.details.map((d, i) => <p key={i} className="small">{d.at}: {text(d.message)}</p>)}
        </div>
      ) : null}
      <div className="tabs small-tabs" role="tablist">
        {(['messages', 'alarms', 'devices', 'inject'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} data-tab={k} onClick={() => setTab(k)}>
            {t(`tabs.${k}`)}
            {k === 'messages' && view.entries.length > 0 ? <span className="count-badge">{view.entries.length}</span> : null}
            {k === 'alarms' && activeAlarms > 0 ? <span className="count-badge alarm">{activeAlarms}</span> : null}
          </button>
        ))}
      </div>
      <div className="preview-body">
        {tab === 'messages' ? (
          <DebugMessages
            view={view}
            editor={editor}
            onPause={(paused) => preview.dispatch({ type: 'pause', paused })}
            onClear={() => preview.dispatch({ type: 'clear' })}
            {...(onShowNode ? { onShow: onShowNode } : {})}
          />
        ) : null}
        {tab === 'alarms' ? <AlarmList view={view} /> : null}
        {tab === 'devices' ? <SimulatedDevices view={view} script={preview.script} /> : null}
        {tab === 'inject' ? <InjectForm view={view} editor={editor} inject={preview.inject} /> : null}
      </div>
    </aside>
  );
}

/** The preview's texts, for pages that show them outside the panel. */
export function usePreviewMessages() {
  useMessages('preview', previewMessages);
  return useTranslation('preview');
}
