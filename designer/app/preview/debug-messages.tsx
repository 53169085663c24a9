import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { EditorStore } from '../editor/editor-store';
import { useLang } from '../i18n/language';
import { formatTime, formatValue, prettyValue } from './format';
import { entryCounts, statsKey, visibleEntries } from './preview-events';
import type { DebugEntry, PreviewView } from './preview-events';

const SELECTED = '@selected';

function Entry({ e, onShow }: { e: DebugEntry; onShow?: (flowId: string, nodeId: string) => void }) {
  const { t } = useTranslation('preview');
  const { lang } = useLang();
  const [open, setOpen] = useState(false);
  return (
    <li className={`debug-entry kind-${e.kind}`} data-node={statsKey(e.flowId, e.nodeId)}>
      <div className="entry-head">
        <span className="entry-time">{formatTime(e.at, lang)}</span>
        <span className={`entry-kind kind-${e.kind}`}>{t(`messages.kinds.${e.kind}`)}</span>
        <button type="button" className="link entry-node" title={t('messages.showOnCanvas')} onClick={() => onShow?.(e.flowId, e.nodeId)}>
          {e.nodeId}{e.port && e.port !== 'out' ? ` → ${e.port}` : ''}
        </button>
        {e.device ? <span className="entry-device">{e.device}</span> : null}
        {e.topic ? <span className="entry-topic">{e.topic}</span> : null}
        {e.quality && e.quality !== 'good' ? <span className="entry-quality">{e.quality}</span> : null}
      </div>
      <button type="button" className="entry-value" aria-expanded={open} title={open ? t('messages.collapse') : t('messages.expand')} onClick={() => setOpen(!open)}>
        {open ? <pre>{prettyValue(e.value)}</pre> : <code>{formatValue(e.value)}</code>}
      </button>
      {e.skipped ? <span className="muted small">{t('messages.skipped', { count: e.skipped })}</span> : null}
    </li>
  );
}

/** The messages each node sends (and debug entries, rule logs, node states and errors): filter by node, pause, clear. */
export function DebugMessages({ view, editor, onPause, onClear, onShow }: {
  view: PreviewView;
  editor: EditorStore;
  onPause: (paused: boolean) => void;
  onClear: () => void;
  onShow?: (flowId: string, nodeId: string) => void;
}) {
  const { t } = useTranslation('preview');
  const { text } = useLang();
  const [filter, setFilter] = useState<string>('');
  const activeFlow = useStore(editor, (s) => s.activeId);
  const selectedNode = useStore(editor, (s) => s.selection.nodes[0]);
  const counts = useMemo(() => entryCounts(view.entries), [view.entries]);
  const nodes = view.info?.nodes ?? [];
  const byScenario = useMemo(() => {
    const out = new Map<string, typeof nodes>();
    for (const n of nodes) out.set(n.scenario, [...(out.get(n.scenario) ?? []), n]);
    return out;
  }, [nodes]);

  let where: { flowId?: string; nodeId?: string } = {};
  if (filter === SELECTED) where = activeFlow && selectedNode ? { flowId: activeFlow, nodeId: selectedNode } : { flowId: '\u0000' };
  else if (filter) {
    const [flowId, nodeId] = [filter.slice(0, filter.indexOf('/')), filter.slice(filter.indexOf('/') + 1)];
    where = { flowId, nodeId };
  }
  const list = visibleEntries(view.entries, where);

  return (
    <div className="debug-messages">
      <div className="debug-bar">
        <select aria-label={t('messages.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} className="node-filter">
          <option value="">{t('messages.all', { count: view.entries.length })}</option>
          <option value={SELECTED}>{t('messages.selected')}</option>
          {[...byScenario].map(([scenario, list]) => (
            <optgroup key={scenario} label={scenario}>
              {list.map((n) => {
                const key = statsKey(n.flowId, n.nodeId);
                return <option key={key} value={key}>{n.nodeId}{n.name ? ` · ${text(n.name)}` : ''} ({counts[key] ?? 0})</option>;
              })}
            </optgroup>
          ))}
        </select>
        <button type="button" aria-pressed={view.paused} className={view.paused ? 'active' : ''} onClick={() => onPause(!view.paused)}>
          {view.paused ? t('messages.resume') : t('messages.pause')}
        </button>
        <button type="button" onClick={onClear}>{t('messages.clear')}</button>
      </div>
      {view.paused && view.missedWhilePaused > 0 ? <p className="muted small">{t('messages.missed', { count: view.missedWhilePaused })}</p> : null}
      {list.length === 0 ? <p className="muted empty">{filter ? t('messages.emptyNode') : t('messages.empty')}</p> : (
        <ol className="debug-list" aria-live="off">
          {list.map((e) => <Entry key={e.id} e={e} {...(onShow ? { onShow } : {})} />)}
        </ol>
      )}
    </div>
  );
}
