/**
 * The authoring page's store: the template draft being edited (without flows, which live in the
 * embedded flow editor's store), what was last saved (for "unsaved changes"), the API's problems
 * with where each belongs, and which tab is open. Plain data and the actions that change it.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { ApiErrorDetail } from '../api';
import type { Text } from '../../../runtime/model';
import type { EditorContext } from '../editor/editor-context';
import type { EditorStore } from '../editor/editor-store';
import { createEditorStore } from '../editor/editor-store';
import type { FlowDoc } from '../editor/flow-doc';
import type { LocatedProblem, ProblemPlace, SentDocument } from './problem-paths';
import { locateAll } from './problem-paths';
import type { VersionSummary } from './template-api';
import type { DashboardDraft, DeviceGroupDraft, ParameterDraft, ScenarioDraft, TemplateDraft } from './template-doc';
import { composeTemplate, moveItem, newScenario, splitTemplate } from './template-doc';

export type Section = 'meta' | 'parameters' | 'deviceGroups' | 'scenario' | 'tests';
export type ScenarioView = 'flow' | 'dashboard' | 'settings';

export interface ProblemsState {
  readonly code: string;
  readonly text: Text;
  readonly list: readonly LocatedProblem[];
  /** The document the problems were found in (names scenarios and nodes by index). */
  readonly sent: SentDocument | undefined;
}

/** Asks a field (or a node) to be shown: bumped `seq` each time. */
export interface FocusRequest extends ProblemPlace {
  readonly seq: number;
}

export interface TemplateState {
  readonly draft: TemplateDraft;
  readonly summary: VersionSummary;
  readonly readme: string | null;
  readonly saved: { readonly draft: TemplateDraft; readonly flows: Readonly<Record<string, FlowDoc>> };
  readonly section: Section;
  readonly scenarioView: ScenarioView;
  readonly problems: ProblemsState | undefined;
  readonly focus: FocusRequest | undefined;

  update(change: (d: TemplateDraft) => TemplateDraft): void;
  setMeta<K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]): void;
  setParameter(index: number, patch: Partial<ParameterDraft>): void;
  addParameter(): void;
  removeParameter(index: number): void;
  moveParameter(index: number, to: number): void;
  setGroup(index: number, patch: Partial<DeviceGroupDraft>): void;
  addGroup(profile?: string): void;
  removeGroup(index: number): void;
  moveGroup(index: number, to: number): void;
  setScenario(flowId: string, patch: Partial<ScenarioDraft>): void;
  setDashboard(flowId: string, dashboard: DashboardDraft): void;
  addScenario(kind?: 'N' | 'X'): string;
  removeScenario(flowId: string): void;
  moveScenario(flowId: string, by: number): void;
  open(section: Section, flowId?: string, view?: ScenarioView): void;
  setScenarioView(view: ScenarioView): void;
  setProblems(code: string, text: Text, details: readonly ApiErrorDetail[], sent: SentDocument | undefined): void;
  clearProblems(): void;
  /** Opens the tab, item and node a problem is about. */
  goTo(place: ProblemPlace): void;
  /** The template document as it stands (draft + flows). */
  compose(): Record<string, unknown>;
  markSaved(summary: VersionSummary): void;
  isDirty(): boolean;
}

export type TemplateStore = StoreApi<TemplateState> & { readonly editor: EditorStore };

/** The flow editor's context from the draft: parameters and device groups to bind to. */
export function contextOf(draft: TemplateDraft, profiles: EditorContext['profiles']): EditorContext {
  return {
    parameters: draft.parameters.map((p) => ({ required: true, ...p })) as EditorContext['parameters'],
    deviceGroups: draft.deviceGroups.map((g) => ({ min: 1, max: 1000, ...g })) as EditorContext['deviceGroups'],
    profiles,
  };
}

/** The flow id of the scenario a problem's index names in the sent document. */
export function flowIdOfPlace(place: ProblemPlace, sent: SentDocument | undefined): string | undefined {
  if (place.section !== 'scenario' || place.index === undefined) return undefined;
  const s = sent?.scenarios[place.index] as { flow?: { id?: unknown } } | undefined;
  return typeof s?.flow?.id === 'string' ? s.flow.id : undefined;
}

export function createTemplateStore(answer: { summary: VersionSummary; template: Record<string, unknown>; readme: string | null }, profiles: EditorContext['profiles'] = {}): TemplateStore {
  const { draft, flows } = splitTemplate(answer.template);
  const editor = createEditorStore({ flows, context: contextOf(draft, profiles) });
  let focusSeq = 0;

  const store = createStore<TemplateState>()((set, get) => {
    const withScenario = (flowId: string, change: (s: ScenarioDraft) => ScenarioDraft) => get().update((d) => ({
      ...d, scenarios: d.scenarios.map((s) => (s.flowId === flowId ? change(s) : s)),
    }));
    return {
      draft,
      summary: answer.summary,
      readme: answer.readme,
      saved: { draft, flows: editor.getState().flows },
      section: 'meta',
      scenarioView: 'flow',
      problems: undefined,
      focus: undefined,

      update(change) {
        const next = change(get().draft);
        if (next === get().draft) return;
        set({ draft: next });
      },
      setMeta(key, value) {
        get().update((d) => ({ ...d, [key]: value }));
      },
      setParameter(index, patch) {
        get().update((d) => ({ ...d, parameters: d.parameters.map((p, i) => (i === index ? { ...p, ...patch } as ParameterDraft : p)) }));
      },
      addParameter() {
        get().update((d) => {
          const taken = new Set(d.parameters.map((p) => p.key));
          let n = d.parameters.length + 1;
          while (taken.has(`param${n}`)) n++;
          return { ...d, parameters: [...d.parameters, { key: `param${n}`, type: 'number', label: { zh: `参数 ${n}`, en: `Parameter ${n}` }, required: true }] };
        });
      },
      removeParameter(index) {
        get().update((d) => ({ ...d, parameters: d.parameters.filter((_, i) => i !== index) }));
      },
      moveParameter(index, to) {
        get().update((d) => ({ ...d, parameters: moveItem(d.parameters, index, to) }));
      },
      setGroup(index, patch) {
        get().update((d) => ({ ...d, deviceGroups: d.deviceGroups.map((g, i) => (i === index ? { ...g, ...patch } as DeviceGroupDraft : g)) }));
      },
      addGroup(profile = '') {
        get().update((d) => {
          const taken = new Set(d.deviceGroups.map((g) => g.key));
          let n = d.deviceGroups.length + 1;
          while (taken.has(`group${n}`)) n++;
          return { ...d, deviceGroups: [...d.deviceGroups, { key: `group${n}`, profile, label: { zh: `设备组 ${n}`, en: `Device group ${n}` }, min: 1, max: 100 }] };
        });
      },
      removeGroup(index) {
        get().update((d) => ({ ...d, deviceGroups: d.deviceGroups.filter((_, i) => i !== index) }));
      },
      moveGroup(index, to) {
        get().update((d) => ({ ...d, deviceGroups: moveItem(d.deviceGroups, index, to) }));
      },
      setScenario(flowId, patch) {
        withScenario(flowId, (s) => ({ ...s, ...patch }));
        // The flow carries the scenario's title as its name.
        if (patch.title) {
          const flow = editor.getState().flows[flowId];
          if (flow) editor.setState({ flows: { ...editor.getState().flows, [flowId]: { ...flow, name: patch.title } } });
        }
      },
      setDashboard(flowId, dashboard) {
        withScenario(flowId, (s) => ({ ...s, dashboard }));
      },
      addScenario(kind = 'X') {
        const { scenario, flow } = newScenario(get().draft, kind, Object.keys(editor.getState().flows));
        editor.getState().openFlow(flow);
        get().update((d) => ({ ...d, scenarios: [...d.scenarios, scenario] }));
        set({ section: 'scenario', scenarioView: 'settings' });
        return scenario.flowId;
      },
      removeScenario(flowId) {
        const d = get().draft;
        const index = d.scenarios.findIndex((s) => s.flowId === flowId);
        if (index < 0) return;
        get().update((x) => ({ ...x, scenarios: x.scenarios.filter((s) => s.flowId !== flowId) }));
        editor.getState().closeFlow(flowId);
        const next = get().draft.scenarios[Math.min(index, get().draft.scenarios.length - 1)];
        if (next) editor.getState().setActive(next.flowId);
        else set({ section: 'meta' });
      },
      moveScenario(flowId, by) {
        const d = get().draft;
        const index = d.scenarios.findIndex((s) => s.flowId === flowId);
        get().update((x) => ({ ...x, scenarios: moveItem(x.scenarios, index, index + by) }));
        // The editor's own flow order follows the scenarios.
        editor.setState({ order: get().draft.scenarios.map((s) => s.flowId).filter((id) => editor.getState().flows[id]) });
      },
      open(section, flowId, view) {
        if (section === 'scenario' && flowId) editor.getState().setActive(flowId);
        set({ section, ...(view ? { scenarioView: view } : {}) });
      },
      setScenarioView(view) {
        set({ scenarioView: view });
      },
      setProblems(code, text, details, sent) {
        set({ problems: { code, text, list: locateAll(details, sent), sent } });
      },
      clearProblems() {
        set({ problems: undefined });
      },
      goTo(place) {
        const s = get();
        if (place.section === 'scenario') {
          const flowId = flowIdOfPlace(place, s.problems?.sent);
          if (!flowId || !editor.getState().flows[flowId]) return;
          const view: ScenarioView = place.part === 'flow' ? 'flow' : place.part === 'dashboard' ? 'dashboard' : 'settings';
          s.open('scenario', flowId, view);
          if (place.nodeId && editor.getState().flows[flowId]!.nodes.some((n) => n.id === place.nodeId)) {
            editor.getState().select([place.nodeId]);
          }
        } else if (place.section === 'meta' || place.section === 'parameters' || place.section === 'deviceGroups' || place.section === 'tests') {
          s.open(place.section);
        }
        set({ focus: { ...place, seq: ++focusSeq } });
      },
      compose() {
        return composeTemplate(get().draft, editor.getState().flows);
      },
      markSaved(summary) {
        set({ summary, saved: { draft: get().draft, flows: editor.getState().flows } });
      },
      isDirty() {
        const s = get();
        return s.draft !== s.saved.draft || editor.getState().flows !== s.saved.flows;
      },
    };
  });

  // The editor binds fields to the draft's parameters and device groups as they change.
  store.subscribe((s, prev) => {
    if (s.draft.parameters !== prev.draft.parameters || s.draft.deviceGroups !== prev.draft.deviceGroups) {
      editor.getState().setContext(contextOf(s.draft, editor.getState().context.profiles));
    }
  });
  const first = draft.scenarios[0];
  if (first) editor.getState().setActive(first.flowId);
  return Object.assign(store, { editor });
}
