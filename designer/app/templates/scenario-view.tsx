import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { FlowEditor } from '../editor/flow-editor';
import { PreviewPanel } from '../preview/preview-panel';
import type { PreviewPanelProps } from '../preview/preview-panel';
import { DashboardLayout } from './dashboard-layout';
import { ScenarioSettings } from './scenario-settings';
import type { ScenarioView as View } from './template-store';
import { useTemplate, useTemplateApi } from './use-template';

/** The flow editor re-renders from its own store only, not with every preview event the page takes. */
const StableFlowEditor = memo(FlowEditor);

/**
 * One scenario: its flow in the embedded flow editor (with the preview beside the canvas), its
 * dashboard page, or its own settings. The flow editor's own flow tabs are hidden here: the
 * scenario tabs above choose the flow.
 */
export function ScenarioView({ readOnly, showPreview, onTogglePreview, preview }: {
  readOnly: boolean;
  showPreview: boolean;
  onTogglePreview: () => void;
  preview: Omit<PreviewPanelProps, 'editor'>;
}) {
  const { t } = useTranslation('templates');
  const store = useTemplateApi();
  const view = useTemplate((s) => s.scenarioView);
  const scenarios = useTemplate((s) => s.draft.scenarios);
  const sent = useTemplate((s) => s.problems?.sent);
  const activeId = useStore(store.editor, (s) => s.activeId);
  const index = scenarios.findIndex((s) => s.flowId === activeId);
  const scenario = scenarios[index];
  const sentIndex = scenario && sent ? sent.scenarios.findIndex((s) => (s as { flow?: { id?: string } }).flow?.id === scenario.flowId) : index;
  const running = preview.preview.view.status === 'running';

  const sub = (v: View) => (
    <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'active' : ''} data-view={v} onClick={() => store.getState().setScenarioView(v)}>
      {t(`scenario.views.${v}`)}
    </button>
  );
  return (
    <div className="scenario-view">
      <div className="scenario-bar">
        <div className="tabs small-tabs" role="tablist">{sub('flow')}{sub('dashboard')}{sub('settings')}</div>
        {scenario ? <span className={`kind kind-${scenario.kind}`} title={scenario.kind === 'N' ? t('scenario.kindN') : t('scenario.kindX')}>{scenario.kind}</span> : null}
        <span className="spacer" />
        {view === 'flow' ? (
          <button type="button" className={`preview-toggle${showPreview ? ' active' : ''}${running ? ' running' : ''}`} aria-pressed={showPreview} onClick={onTogglePreview}>
            {running ? '● ' : '▶ '}{showPreview ? t('scenario.hidePreview') : t('scenario.preview')}
          </button>
        ) : null}
      </div>
      {!scenario && view !== 'flow' ? <p className="notice">{t('scenario.notScenario')}</p> : null}
      {view === 'flow' ? (
        <div className={`scenario-flow${showPreview ? ' with-preview' : ''}`}>
          {!scenario ? <p className="notice">{t('scenario.notScenario')}</p> : null}
          <div className="embedded-editor"><StableFlowEditor store={store.editor} /></div>
          {showPreview ? <PreviewPanel {...preview} editor={store.editor} /> : null}
        </div>
      ) : null}
      {view === 'dashboard' && scenario ? <DashboardLayout scenario={scenario} sentIndex={sentIndex} readOnly={readOnly} /> : null}
      {view === 'settings' && scenario ? <ScenarioSettings scenario={scenario} index={index} readOnly={readOnly} /> : null}
    </div>
  );
}
