import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { FlowSchema } from '../../../runtime/model';
import { useLang } from '../i18n/language';
import { activeFlow } from './editor-store';
import type { FlowDoc } from './flow-doc';
import { validationOf } from './flow-validation';
import { nodeTypes } from './node-types';
import { useEditor, useEditorApi } from './use-editor';

/** Flow tabs and the editing commands (each also a keyboard shortcut). */
export function Toolbar() {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const store = useEditorApi();
  // What the bar shows, as plain values: a moved node or a typed key re-renders it only when one of them changes.
  const s = useEditor(useShallow((x) => {
    const flow = activeFlow(x);
    const h = flow ? x.history[flow.id] : undefined;
    return {
      order: x.order, activeId: x.activeId, flow: flow !== undefined, hasNodes: (flow?.nodes.length ?? 0) > 0,
      canUndo: (h?.past.length ?? 0) > 0, canRedo: (h?.future.length ?? 0) > 0,
      selectedNodes: x.selection.nodes.length, selected: x.selection.nodes.length + x.selection.edges.length, clipboard: x.clipboard !== undefined,
      errors: flow ? validationOf(flow, nodeTypes, x.context).problems.filter((p) => p.severity === 'error').length : 0,
    };
  }));
  const names = useEditor(useShallow((x) => x.order.map((id) => x.flows[id]!.name)));
  const file = useRef<HTMLInputElement>(null);
  const errors = s.errors;

  const exportFlow = () => {
    const flow = activeFlow(store.getState());
    if (!flow) return;
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(flow, null, 2)}\n`], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${flow.id}.json`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const importFlow = async (f: File) => {
    try {
      const parsed = FlowSchema.safeParse(JSON.parse(await f.text()));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid flow');
      store.getState().openFlow(parsed.data as unknown as FlowDoc);
    } catch (err) {
      store.getState().notify('flow.importFailed', 'error', { why: (err as Error).message });
    }
  };

  return (
    <div className="editor-bar">
      <div className="flow-tabs" role="tablist">
        {s.order.map((id, i) => (
          <span key={id} role="tab" aria-selected={id === s.activeId} className={`flow-tab${id === s.activeId ? ' active' : ''}`}>
            <button type="button" className="link" onClick={() => store.getState().setActive(id)}>{text(names[i]!)}</button>
            <button type="button" className="link close" aria-label={t('toolbar.close')} title={t('toolbar.close')} onClick={() => store.getState().closeFlow(id)}>×</button>
          </span>
        ))}
        <button type="button" className="link" onClick={() => store.getState().newFlow()}>+ {t('toolbar.new')}</button>
      </div>
      <div className="toolbar" role="toolbar">
        <button type="button" onClick={() => store.getState().undo()} disabled={!s.canUndo} title="Ctrl+Z">↶ {t('toolbar.undo')}</button>
        <button type="button" onClick={() => store.getState().redo()} disabled={!s.canRedo} title="Ctrl+Y">↷ {t('toolbar.redo')}</button>
        <button type="button" onClick={() => store.getState().copy()} disabled={s.selectedNodes === 0} title="Ctrl+C">{t('toolbar.copy')}</button>
        <button type="button" onClick={() => store.getState().paste()} disabled={!s.clipboard || !s.flow} title="Ctrl+V">{t('toolbar.paste')}</button>
        <button type="button" onClick={() => store.getState().deleteSelection()} disabled={s.selected === 0} title="Delete">{t('toolbar.delete')}</button>
        <button type="button" onClick={() => store.getState().autoLayout()} disabled={!s.hasNodes} title="Shift+L">{t('toolbar.layout')}</button>
        <button type="button" onClick={() => store.getState().requestFit()} disabled={!s.flow} title="Shift+F">{t('toolbar.fit')}</button>
        <span className="sep" />
        <button type="button" onClick={() => file.current?.click()}>{t('toolbar.import')}</button>
        <input ref={file} type="file" accept="application/json,.json" hidden onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importFlow(f);
          e.target.value = '';
        }} />
        <button type="button" onClick={exportFlow} disabled={!s.flow}>{t('toolbar.export')}</button>
        <span className="spacer" />
        {s.flow ? (
          <span className={`flow-status ${errors > 0 ? 'error' : 'ok'}`} role="status" title={t('shortcuts')}>
            {errors > 0 ? `⚠ ${t('toolbar.problems', { count: errors })}` : `✓ ${t('toolbar.valid')}`}
          </span>
        ) : null}
      </div>
    </div>
  );
}
