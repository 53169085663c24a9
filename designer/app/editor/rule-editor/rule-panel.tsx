import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../i18n/language';
import { activeFlow } from '../editor-store';
import { getIn } from '../flow-doc';
import { nodeTypes } from '../node-types';
import { useEditor, useEditorApi } from '../use-editor';

// Monaco is in this lazy chunk only: the canvas never loads it.
const RuleEditor = lazy(() => import('./rule-editor'));

/** The code field being edited, in Monaco, over the lower part of the canvas. */
export function RulePanel() {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const store = useEditorApi();
  const field = useEditor((s) => s.codeField);
  const flow = useEditor(activeFlow);
  const node = field ? flow?.nodes.find((n) => n.id === field.nodeId) : undefined;
  if (!field || !node) return null;
  const code = getIn(node.config, field.path);
  const outputs = getIn(node.config, ['outputs']);
  const def = nodeTypes.get(node.type);
  return (
    <section className="rule-panel" aria-label={t('rule.title', { node: node.id })}>
      <header>
        <strong>{t('rule.title', { node: node.id })}</strong>
        <span className="muted small">{def ? text(def.title) : node.type} · <code>{t('rule.signature')}</code></span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => store.getState().closeCode()}>{t('rule.close')}</button>
      </header>
      <Suspense fallback={<p className="loading">{t('rule.loading')}</p>}>
        <RuleEditor
          docKey={`${flow!.id}/${node.id}/${field.path.join('.')}`}
          code={typeof code === 'string' ? code : ''}
          outputs={Array.isArray(outputs) && outputs.every((o) => typeof o === 'string') ? (outputs as string[]) : undefined}
          onChange={(next) => store.getState().setConfig(node.id, field.path, next)}
        />
      </Suspense>
    </section>
  );
}
