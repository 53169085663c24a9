import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ApiErrorDetail } from '../api';
import { problemsAt } from './problem-paths';
import type { LocatedProblem, ProblemSection } from './problem-paths';
import type { TemplateState, TemplateStore } from './template-store';

const Context = createContext<TemplateStore | undefined>(undefined);

/** Hands the authoring page's store to the components below. */
export function TemplateStoreProvider({ store, children }: { store: TemplateStore; children: ReactNode }) {
  return <Context.Provider value={store}>{children}</Context.Provider>;
}

export function useTemplateApi(): TemplateStore {
  const store = useContext(Context);
  if (!store) throw new Error('template component outside <TemplateStoreProvider>');
  return store;
}

/** A slice of the authoring state: `useTemplate((s) => s.draft.parameters)`. */
export function useTemplate<T>(selector: (s: TemplateState) => T): T {
  return useStore(useTemplateApi(), selector);
}

/** The API's problems of one field: `useProblems('parameters', 2, 'min')`. */
export function useProblems(section: ProblemSection, index?: number, field?: string): readonly ApiErrorDetail[] {
  const list = useTemplate((s) => s.problems?.list);
  return list ? problemsAt(list, section, index, field) : NONE;
}

const NONE: readonly ApiErrorDetail[] = [];
const NO_PROBLEMS: readonly LocatedProblem[] = [];

/** Every located problem of the last save, publish, preview or test run. */
export function useProblemList(): readonly LocatedProblem[] {
  return useTemplate((s) => s.problems?.list) ?? NO_PROBLEMS;
}

/** Whether the draft or any flow changed since it was loaded or saved. */
export function useDirty(): boolean {
  const store = useTemplateApi();
  const draftDirty = useTemplate((s) => s.draft !== s.saved.draft);
  const savedFlows = useTemplate((s) => s.saved.flows);
  const flowsDirty = useStore(store.editor, (e) => e.flows !== savedFlows);
  return draftDirty || flowsDirty;
}
