import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
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

/**
 * A slice of the editor state that keeps its last value while `equal` says the new one is the
 * same, so the component does not re-render: `useEditorWith(nodeById, sameButPosition)`.
 */
export function useEditorWith<T>(selector: (s: EditorState) => T, equal: (a: T, b: T) => boolean): T {
  const store = useEditorApi();
  const last = useRef<{ value: T } | undefined>(undefined);
  const snapshot = () => {
    const next = selector(store.getState());
    if (last.current && (last.current.value === next || equal(last.current.value, next))) return last.current.value;
    last.current = { value: next };
    return next;
  };
  return useSyncExternalStore(store.subscribe, snapshot, snapshot);
}
