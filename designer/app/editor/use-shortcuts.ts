import { useEffect } from 'react';
import type { EditorStore } from './editor-store';

const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.closest('.monaco-editor') !== null);

/** Keyboard shortcuts of the editor, off while typing in a field or in Monaco. */
export function useShortcuts(store: EditorStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const s = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let done = true;
      if (mod && key === 'z' && !e.shiftKey) s.undo();
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) s.redo();
      else if (mod && key === 'c') s.copy();
      else if (mod && key === 'x') {
        s.copy();
        s.deleteSelection();
      } else if (mod && key === 'v') s.paste();
      else if (mod && key === 'a') s.selectAll();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) s.deleteSelection();
      else if (!mod && e.shiftKey && key === 'l') s.autoLayout();
      else if (!mod && e.shiftKey && key === 'f') s.requestFit();
      else if (e.key === 'Escape') s.select([], []);
      else done = false;
      if (done) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
