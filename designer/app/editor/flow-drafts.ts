import type { EditorStore } from './editor-store';
import type { FlowDoc } from './flow-doc';

const KEY = 'kaiwu.designer.drafts';

/** Flows kept in this browser between visits (the template editor saves them to the studio). */
export function loadDrafts(): FlowDoc[] {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as { flows?: FlowDoc[] }) : undefined;
    return Array.isArray(parsed?.flows) ? parsed.flows : [];
  } catch {
    return [];
  }
}

/** Saves the open flows after each change (at most every half second). */
export function keepDrafts(store: EditorStore): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.flows === prev.flows && s.order === prev.order) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        globalThis.localStorage?.setItem(KEY, JSON.stringify({ flows: s.order.map((id) => s.flows[id]) }));
      } catch {
        // Storage full or off: the drafts live as long as the page.
      }
    }, 500);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
