import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Text } from '../../../runtime/model';
import { ApiError, api } from '../api';
import type { PreviewRequest, TestReport } from '../preview/preview-types';
import { ScenarioTests } from '../preview/scenario-tests';
import { usePreview } from '../preview/use-preview';
import { useUser } from '../shell/session';
import { DeviceGroupsEditor } from './device-groups-editor';
import { EditorHeader } from './editor-header';
import { MetadataForm } from './metadata-form';
import { ParametersEditor } from './parameters-editor';
import { parsePath } from './problem-paths';
import type { SentDocument } from './problem-paths';
import { ProblemsPanel } from './problems-panel';
import { ScenarioView } from './scenario-view';
import { SectionTabs } from './section-tabs';
import { versionPath } from './template-api';
import type { TemplateStore } from './template-store';
import { TemplateStoreProvider, useDirty, useTemplate, useTemplateApi } from './use-template';
import '../editor/editor.css';

/** Problems the page shows on its own fields: a document that does not check, a copy that does not resolve. */
const PAGE_PROBLEMS = new Set(['invalid-template', 'invalid-preview', 'preview-failed', 'version-published', 'version-not-higher', 'path-mismatch']);

/** The inspector field of a node's config path (`devices[0].group` → `devices.0.group`, else the nearest field above it). */
function inspectorField(body: Element, nodeId: string, configPath: string): Element | null {
  const parts = parsePath(configPath);
  for (let n = parts.length; n > 0; n--) {
    const el = body.querySelector(`.inspector[data-node="${CSS.escape(nodeId)}"] [data-field="${CSS.escape(parts.slice(0, n).join('.'))}"]`);
    if (el) return el;
  }
  return null;
}

/** Scrolls to the field, row or node field a problem is about and puts the cursor in it (the inspector may take a moment to show the node). */
function useFocusRequests() {
  const focus = useTemplate((s) => s.focus);
  useEffect(() => {
    if (!focus) return;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = () => {
      const body = document.querySelector('.tpl-body');
      if (!body) return;
      const head = (focus.field ?? '').split(/[.[]/)[0] ?? '';
      const target = focus.section === 'parameters' || focus.section === 'deviceGroups'
        ? body.querySelector(`tr[data-row="${focus.index ?? 0}"]`)
        : focus.section === 'meta' || (focus.section === 'scenario' && focus.part === 'settings')
          ? body.querySelector(`[data-field="${head}"], [data-field="tpl-${head}"], [data-field="sc-${head}"]`)
          : focus.section === 'scenario' && focus.part === 'flow' && focus.nodeId && focus.configPath
            ? inspectorField(body, focus.nodeId, focus.configPath)
            : undefined;
      if (!target) {
        if (++tries < 10) timer = setTimeout(look, 50);
        return;
      }
      target.scrollIntoView({ block: 'center' });
      (target.querySelector('input:not([readonly]), select, textarea') as HTMLElement | null)?.focus();
    };
    timer = setTimeout(look, 0);
    return () => clearTimeout(timer);
  }, [focus]);
}

function Body() {
  const { t } = useTranslation('templates');
  const user = useUser();
  const store = useTemplateApi();
  const section = useTemplate((s) => s.section);
  const summary = useTemplate((s) => s.summary);
  const draft = useTemplate((s) => s.draft);
  const dirty = useDirty();
  const preview = usePreview(store.editor);
  const [showPreview, setShowPreview] = useState(false);
  const sent = useRef<SentDocument | undefined>(undefined);
  const canEdit = user.role === 'contractor';
  const readOnly = !canEdit || summary.status === 'published';
  const ref = `${summary.id}@${summary.version}`;
  useFocusRequests();

  // Leaving with unsaved changes asks first (a reload, a closed tab).
  useEffect(() => {
    if (!dirty) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  /** What to run: the saved version by reference, or the document being edited when it has unsaved changes. */
  const source = (): Pick<PreviewRequest, 'template'> => {
    const doc = store.getState().compose();
    sent.current = doc as unknown as SentDocument;
    return store.getState().isDirty() ? { template: doc } : { template: ref };
  };
  const pageProblems = (err: ApiError): boolean => {
    if (!PAGE_PROBLEMS.has(err.code) || err.details.length === 0) return false;
    store.getState().setProblems(err.code, err.text, err.details, sent.current);
    return true;
  };
  const runTests = async (only?: readonly string[]): Promise<TestReport> => {
    const body = only ? { only } : {};
    try {
      if (store.getState().isDirty()) {
        const doc = store.getState().compose();
        sent.current = doc as unknown as SentDocument;
        return await api.post<TestReport>('/api/template-tests', { template: doc, ...body });
      }
      sent.current = store.getState().compose() as unknown as SentDocument;
      return await api.post<TestReport>(`${versionPath(summary.id, summary.version)}/tests/run`, body);
    } catch (err) {
      if (err instanceof ApiError) pageProblems(err);
      throw err;
    }
  };

  const tests = draft.tests.map((x) => ({ key: String(x.key), title: (x.title ?? { zh: String(x.key), en: String(x.key) }) as Text }));
  const xScenarios = draft.scenarios.filter((s) => s.kind === 'X').map((s) => ({ key: s.key, title: s.title }));
  const groups = draft.deviceGroups.map((g) => ({ key: g.key, label: g.label, ...(g.min === undefined ? {} : { min: g.min }), ...(g.max === undefined ? {} : { max: g.max }) }));

  return (
    <div className="tpl-editor" data-template={ref} data-status={summary.status}>
      <EditorHeader canEdit={canEdit} />
      {readOnly ? <p className="readonly-note">{!canEdit ? t('editor.readOnlyRole') : t('editor.readOnlyPublished')}</p> : null}
      <ProblemsPanel />
      <SectionTabs readOnly={readOnly} />
      <div className={`tpl-body section-${section}`}>
        {section === 'meta' ? <MetadataForm readOnly={readOnly} /> : null}
        {section === 'parameters' ? <ParametersEditor readOnly={readOnly} /> : null}
        {section === 'deviceGroups' ? <DeviceGroupsEditor readOnly={readOnly} /> : null}
        {section === 'tests' ? (
          <div className="tpl-section">
            <ScenarioTests tests={tests} run={runTests} source={{ ref, unsaved: dirty }} />
          </div>
        ) : null}
        {section === 'scenario' ? (
          <ScenarioView
            readOnly={readOnly}
            showPreview={showPreview}
            onTogglePreview={() => setShowPreview(!showPreview)}
            preview={{
              preview,
              source,
              sourceLabel: dirty ? `${ref} · ${t('editor.dirty')}` : ref,
              groups,
              xScenarios,
              parameters: draft.parameters.map((p) => ({ key: p.key, type: p.type, label: p.label, default: p.default, ...(p.unit ? { unit: p.unit } : {}) })),
              onStartError: pageProblems,
              onShowNode: (flowId, nodeId) => {
                store.getState().open('scenario', flowId, 'flow');
                store.editor.getState().select([nodeId]);
              },
            }}
          />
        ) : null}
      </div>
    </div>
  );
}

/** The authoring page of one template version, on its store. */
export function TemplateEditor({ store }: { store: TemplateStore }) {
  return (
    <TemplateStoreProvider store={store}>
      <Body />
    </TemplateStoreProvider>
  );
}
