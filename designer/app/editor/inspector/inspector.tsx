import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../../runtime/model';
import { useLang } from '../../i18n/language';
import { activeFlow } from '../editor-store';
import { sameButPosition } from '../flow-doc';
import { fieldProblems, validationOf } from '../flow-validation';
import { useNodeHelp } from '../node-help';
import { nodeTypes } from '../node-types';
import { useEditor, useEditorApi, useEditorWith } from '../use-editor';
import type { FieldEnv } from './config-field';
import { ConfigField } from './config-field';
import { MarkdownText } from '../../library/ui/markdown-text';
import '../../library/ui/ui.css';
import { configForm } from './schema-fields';

const NO_PROBLEMS: readonly Problem[] = [];

/** The selected node's form, generated from its config schema, with problems as you type. */
export function Inspector() {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const store = useEditorApi();
  const selection = useEditor((s) => s.selection.nodes);
  const context = useEditor((s) => s.context);
  const nodeId = selection.length === 1 ? selection[0] : undefined;
  // The selected node and its problems, kept while only its position changes: dragging it does not re-render the form.
  const node = useEditorWith((s) => (nodeId === undefined ? undefined : activeFlow(s)?.nodes.find((n) => n.id === nodeId)), (a, b) => a !== undefined && b !== undefined && sameButPosition(a, b));
  const problems = useEditor((s) => {
    const flow = activeFlow(s);
    return flow && nodeId !== undefined ? validationOf(flow, nodeTypes, s.context).byNode.get(nodeId) : undefined;
  });
  const flowProblems = useEditor((s) => {
    const flow = activeFlow(s);
    return flow ? validationOf(flow, nodeTypes, s.context).flow : NO_PROBLEMS;
  });
  const [showAdvanced, setShowAdvanced] = useState(false);
  const [tab, setTab] = useState<'config' | 'help'>('config');
  const def = node ? nodeTypes.get(node.type) : undefined;
  const readme = useNodeHelp(node?.type);

  if (!node) {
    return (
      <aside className="inspector" aria-label={t('inspector.config')}>
        <p className="muted">{selection.length > 1 ? t('inspector.many', { count: selection.length }) : t('inspector.empty')}</p>
        {flowProblems.length > 0 ? (
          <section>
            <h3>{t('inspector.flowProblems')}</h3>
            {flowProblems.map((p) => <p key={p.at + p.code} className="field-error">{p.at}: {text(p.message)}</p>)}
          </section>
        ) : null}
      </aside>
    );
  }
  const nodeLevel = (problems ?? []).filter((p) => !p.configPath).map((p) => p.problem);
  const env: FieldEnv = {
    nodeId: node.id,
    config: node.config,
    context,
    showAdvanced,
    problems: (path) => fieldProblems(problems, path),
    setValue: (path, value) => store.getState().setConfig(node.id, path, value),
    openCode: (path) => store.getState().openCode(node.id, path),
  };
  const form = def ? configForm(def.config) : undefined;
  const hasAdvanced = form?.kind === 'object' && form.fields.some((f) => f.advanced);
  const name = typeof node.name === 'string' ? node.name : node.name ? text(node.name) : '';
  return (
    <aside className="inspector" aria-label={t('inspector.config')} data-node={node.id}>
      <header className="inspector-head">
        <span className="node-icon" aria-hidden>{def?.icon ?? '?'}</span>
        <div>
          <h2>{def ? text(def.title) : node.type}</h2>
          <p className="muted small">{node.type} v{node.version}</p>
        </div>
      </header>
      <div className="tabs small-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'config'} className={tab === 'config' ? 'active' : ''} onClick={() => setTab('config')}>{t('inspector.config')}</button>
        <button type="button" role="tab" aria-selected={tab === 'help'} className={tab === 'help' ? 'active' : ''} onClick={() => setTab('help')}>{t('inspector.help')}</button>
      </div>
      {tab === 'help' ? (
        <div className="help-pane">{readme ? <MarkdownText source={readme} /> : def ? <p>{text(def.summary)}</p> : null}</div>
      ) : (
        <form className="form" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={`f-${node.id}-id`}>{t('inspector.id')}</label>
            <input id={`f-${node.id}-id`} value={node.id} readOnly />
          </div>
          <div className="field">
            <label htmlFor={`f-${node.id}-name`}>{t('inspector.name')}</label>
            <input id={`f-${node.id}-name`} value={name} placeholder={t('inspector.namePlaceholder')} onChange={(e) => store.getState().setNodeProps(node.id, { name: e.target.value })} />
          </div>
          <label className="check">
            <input type="checkbox" checked={node.disabled === true} onChange={(e) => store.getState().setNodeProps(node.id, { disabled: e.target.checked })} />
            {t('inspector.disabled')}
          </label>
          {nodeLevel.map((p) => <p key={p.at + p.code} className="field-error" role="alert">{text(p.message)}</p>)}
          {form ? <ConfigField spec={form.label && form.path.length === 0 ? form : { ...form, label: undefined }} value={node.config} env={env} /> : null}
          {hasAdvanced ? (
            <label className="check advanced-toggle">
              <input type="checkbox" checked={showAdvanced} onChange={(e) => setShowAdvanced(e.target.checked)} />
              {t('inspector.advanced')}
            </label>
          ) : null}
        </form>
      )}
    </aside>
  );
}
