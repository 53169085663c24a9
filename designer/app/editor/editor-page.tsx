import { useEffect, useState } from 'react';
import { api } from '../api';
import type { ProfileInfo } from './editor-context';
import type { EditorStore } from './editor-store';
import { createEditorStore } from './editor-store';
import { keepDrafts, loadDrafts } from './flow-drafts';
import { FlowEditor } from './flow-editor';
import './editor.css';

let pageStore: EditorStore | undefined;

/** The page's store lives as long as the app: leaving the page and coming back keeps the work. */
function editorStore(): EditorStore {
  if (!pageStore) {
    pageStore = createEditorStore({ flows: loadDrafts() });
    if (pageStore.getState().order.length === 0) pageStore.getState().newFlow();
    keepDrafts(pageStore);
  }
  return pageStore;
}

/** /editor: flows on their own (kept in this browser), with the studio's device profiles. */
export default function EditorPage() {
  const [store] = useState(editorStore);
  useEffect(() => {
    let live = true;
    api.get<{ profiles: ProfileInfo[] }>('/api/device-profiles').then((a) => {
      if (!live) return;
      const s = store.getState();
      s.setContext({ ...s.context, profiles: Object.fromEntries(a.profiles.map((p) => [p.id, p])) });
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [store]);
  return <FlowEditor store={store} />;
}
