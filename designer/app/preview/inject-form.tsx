import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { ApiError } from '../api';
import type { EditorStore } from '../editor/editor-store';
import { useLang } from '../i18n/language';
import type { PreviewView } from './preview-events';
import { statsKey } from './preview-events';
import type { InjectRequest } from './use-preview';

/** Injects a test message (topic, payload JSON, device) into a node's input; the node selected on the canvas comes first. */
export function InjectForm({ view, editor, inject }: { view: PreviewView; editor: EditorStore; inject: (r: InjectRequest) => Promise<void> }) {
  const { t } = useTranslation('preview');
  const { text } = useLang();
  const nodes = (view.info?.nodes ?? []).filter((n) => n.inputs.length > 0);
  const activeFlow = useStore(editor, (s) => s.activeId);
  const selected = useStore(editor, (s) => s.selection.nodes[0]);
  const [target, setTarget] = useState('');
  const [port, setPort] = useState('');
  const [topic, setTopic] = useState('');
  const [payload, setPayload] = useState('');
  const [device, setDevice] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  // The node selected on the canvas becomes the target.
  useEffect(() => {
    if (activeFlow && selected) {
      const key = statsKey(activeFlow, selected);
      if (nodes.some((n) => statsKey(n.flowId, n.nodeId) === key)) setTarget(key);
    }
  }, [activeFlow, selected, nodes.length]);

  const node = nodes.find((n) => statsKey(n.flowId, n.nodeId) === target);
  const running = view.status === 'running';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!node) return;
    let parsed: unknown;
    if (payload.trim() !== '') {
      try {
        parsed = JSON.parse(payload);
      } catch (err) {
        setResult({ ok: false, text: t('inject.invalidJson', { why: (err as Error).message }) });
        return;
      }
    }
    setBusy(true);
    setResult(undefined);
    try {
      await inject({
        flowId: node.flowId, nodeId: node.nodeId, ...(port ? { port } : {}),
        message: { ...(topic ? { topic } : {}), ...(parsed === undefined ? {} : { payload: parsed }), ...(device ? { device } : {}) },
      });
      setResult({ ok: true, text: t('inject.sent', { node: node.nodeId }) });
    } catch (err) {
      setResult({ ok: false, text: err instanceof ApiError ? [text(err.text), ...err.details.map((d) => `${d.at}: ${text(d.message)}`)].join('\n') : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inject-form form" onSubmit={(e) => void submit(e)}>
      <p className="muted small">{running ? t('inject.title') : t('inject.notRunning')}</p>
      <fieldset className="form" disabled={!running || busy}>
        <div className="field">
          <label htmlFor="inj-node">{t('inject.node')}</label>
          <select id="inj-node" value={target} onChange={(e) => {
            setTarget(e.target.value);
            setPort('');
          }}>
            <option value="">{t('inject.choose')}</option>
            {nodes.map((n) => {
              const key = statsKey(n.flowId, n.nodeId);
              return <option key={key} value={key}>{n.scenario} / {n.nodeId}{n.name ? ` · ${text(n.name)}` : ''} ({n.type})</option>;
            })}
          </select>
        </div>
        {node && node.inputs.length > 1 ? (
          <div className="field">
            <label htmlFor="inj-port">{t('inject.port')}</label>
            <select id="inj-port" value={port} onChange={(e) => setPort(e.target.value)}>
              {node.inputs.map((p) => <option key={p} value={p === node.inputs[0] ? '' : p}>{p}</option>)}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="inj-topic">{t('inject.topic')}</label>
          <input id="inj-topic" value={topic} onChange={(e) => setTopic(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="inj-payload">{t('inject.payload')}</label>
          <textarea id="inj-payload" className="json" rows={4} value={payload} placeholder='{ "value": 42 }' onChange={(e) => setPayload(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="inj-device">{t('inject.device')}</label>
          <select id="inj-device" value={device} onChange={(e) => setDevice(e.target.value)}>
            <option value="">{t('inject.none')}</option>
            {(view.info?.devices ?? []).map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
          </select>
        </div>
        <button type="submit" className="primary" disabled={!node}>{t('inject.send')}</button>
      </fieldset>
      {result ? <p className={result.ok ? 'ok-text' : 'field-error'} role={result.ok ? 'status' : 'alert'} style={{ whiteSpace: 'pre-line' }}>{result.text}</p> : null}
    </form>
  );
}
