import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { EditorState, EditorStore } from './editor-store';

const StoreContext = createContext<EditorStore | undefined>(undefined);

/** Hands the editor's store to the components below (one store per editor). */
export function EditorStoreProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useEditorApi(): EditorStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('editor component outside <EditorStoreProvider>');
  return store;
}

/** A slice of the editor state: `useEditor((s) => s.selection)`. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorApi(), selector);
}
