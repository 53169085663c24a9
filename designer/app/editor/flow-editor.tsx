import { useTranslation } from 'react-i18next';
import { useMessages } from '../i18n/i18n';
import type { EditorStore } from './editor-store';
import { activeFlow } from './editor-store';
import { FlowCanvas } from './flow-canvas';
import { Inspector } from './inspector/inspector';
import { editorMessages } from './messages';
import { NoticeBar } from './notice-bar';
import { Palette } from './palette';
import { RulePanel } from './rule-editor/rule-panel';
import { Toolbar } from './toolbar';
import { EditorStoreProvider, useEditor, useEditorApi } from './use-editor';
import { useShortcuts } from './use-shortcuts';

const PROPERTY_PATHS = ['payload', 'topic', 'device', 'quality', 'ts'];

function EditorBody() {
  const { t } = useTranslation('editor');
  const store = useEditorApi();
  // The id only: a new document (each drag step, each keystroke) does not re-render the editor's frame.
  const flowId = useEditor((s) => activeFlow(s)?.id);
  useShortcuts(store);
  return (
    <div className="flow-editor">
      <Toolbar />
      <div className="editor-main">
        <Palette />
        <div className="editor-center">
          {flowId !== undefined ? <FlowCanvas key={flowId} /> : (
            <div className="canvas empty">
              <button type="button" className="primary" onClick={() => store.getState().newFlow()}>+ {t('toolbar.new')}</button>
            </div>
          )}
          <NoticeBar />
          <RulePanel />
        </div>
        <Inspector />
      </div>
      <datalist id="kaiwu-property-paths">{PROPERTY_PATHS.map((p) => <option key={p} value={p} />)}</datalist>
    </div>
  );
}

/**
 * The flow editor on a store: palette, canvas, inspector, rule editor. Other pages (template
 * authoring) embed it with their own store: `createEditorStore({ flows, context })`.
 */
export function FlowEditor({ store }: { store: EditorStore }) {
  useMessages('editor', editorMessages);
  return (
    <EditorStoreProvider store={store}>
      <EditorBody />
    </EditorStoreProvider>
  );
}
