import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Edge, FlowNode, Text } from '../../../runtime/model';
import { layoutPositions } from './auto-layout';
import type { Connection, Refusal } from './connect-check';
import { checkConnection } from './connect-check';
import type { EditorContext } from './editor-context';
import { EMPTY_CONTEXT } from './editor-context';
import type { FlowDoc } from './flow-doc';
import { emptyFlow, setIn, uniqueId } from './flow-doc';
import { defaultConfig, nodeTypes } from './node-types';

type Path = readonly (string | number)[];
const HISTORY_LIMIT = 100;

interface History {
  readonly past: readonly FlowDoc[];
  readonly future: readonly FlowDoc[];
  /** What the last change was: typing into the same field again does not add an undo step. */
  readonly lastTag?: string;
}

/** A notice for the user (a refused connection, a failed import); `key` is in the "editor" namespace. */
export interface Notice {
  readonly key: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly kind: 'error' | 'info';
  readonly seq: number;
}

/**
 * The editor's one store: plain data only (flow documents in the project's flow format, the
 * selection, the clipboard, undo history), and the actions that change it. React Flow gets
 * its nodes and edges derived from here, with no callbacks in their data.
 */
export interface EditorState {
  readonly flows: Readonly<Record<string, FlowDoc>>;
  /** Open flows, in tab order. */
  readonly order: readonly string[];
  readonly activeId: string | undefined;
  readonly selection: { readonly nodes: readonly string[]; readonly edges: readonly string[] };
  /** Copied nodes and the edges between them; survives switching flows (copy/paste across flows). */
  readonly clipboard: { readonly nodes: readonly FlowNode[]; readonly edges: readonly Edge[] } | undefined;
  readonly history: Readonly<Record<string, History>>;
  readonly context: EditorContext;
  readonly notice: Notice | undefined;
  /** The code field open in the rule editor. */
  readonly codeField: { readonly nodeId: string; readonly path: Path } | undefined;
  /** Bumped to ask the canvas to fit the view (after layout, open, paste). */
  readonly fitRequest: number;
  /** Live figures of a running preview by `flowId/nodeId`, shown on each node (set by the preview panel; undefined when none runs). */
  readonly live: Readonly<Record<string, NodeLive>> | undefined;

  newFlow(name?: Text): string;
  openFlow(flow: FlowDoc): void;
  closeFlow(id: string): void;
  setActive(id: string): void;
  renameFlow(name: Text): void;
  addNode(type: string, position: { x: number; y: number }): string | undefined;
  /** Positions from a drag; call `beginChange('move')` when the drag starts so it is one undo step. */
  moveNodes(moves: readonly { id: string; position: { x: number; y: number } }[]): void;
  beginChange(tag: string): void;
  connect(c: Connection): Refusal | undefined;
  select(nodes: readonly string[], edges?: readonly string[]): void;
  selectAll(): void;
  deleteSelection(): void;
  deleteEdges(ids: readonly string[]): void;
  setConfig(nodeId: string, path: Path, value: unknown): void;
  setNodeProps(nodeId: string, props: { name?: string | undefined; disabled?: boolean | undefined }): void;
  copy(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  autoLayout(): void;
  requestFit(): void;
  setContext(context: EditorContext): void;
  setLive(live: Readonly<Record<string, NodeLive>> | undefined): void;
  notify(key: string, kind?: Notice['kind'], values?: Readonly<Record<string, string>>): void;
  openCode(nodeId: string, path: Path): void;
  closeCode(): void;
}

/** A node's live figures in a preview: its badge state, messages in/out, errors; `title` is the tooltip, already in the user's language. */
export interface NodeLive {
  readonly state: string;
  readonly in: number;
  readonly out: number;
  readonly errors: number;
  readonly title?: string;
}

export type EditorStore = StoreApi<EditorState>;

/** The active flow, if any. */
export const activeFlow = (s: EditorState): FlowDoc | undefined => (s.activeId ? s.flows[s.activeId] : undefined);

export function createEditorStore(initial: { flows?: readonly FlowDoc[]; context?: EditorContext } = {}): EditorStore {
  let noticeSeq = 0;
  return createStore<EditorState>()((set, get) => {
    /** Replaces the active flow through `change`, recording an undo step (unless `tag` repeats the last one). */
    const commit = (change: (flow: FlowDoc) => FlowDoc, tag?: string) => {
      const s = get();
      const flow = activeFlow(s);
      if (!flow) return;
      const next = change(flow);
      if (next === flow) return;
      const h = s.history[flow.id] ?? { past: [], future: [] };
      const merge = tag !== undefined && h.lastTag === tag;
      const history: History = merge ? { ...h, future: [] } : { past: [...h.past, flow].slice(-HISTORY_LIMIT), future: [], ...(tag ? { lastTag: tag } : {}) };
      set({ flows: { ...s.flows, [flow.id]: next }, history: { ...s.history, [flow.id]: history } });
    };
    const takenIds = (flow: FlowDoc) => new Set(flow.nodes.map((n) => n.id));

    const flows = initial.flows ?? [];
    return {
      flows: Object.fromEntries(flows.map((f) => [f.id, f])),
      order: flows.map((f) => f.id),
      activeId: flows[0]?.id,
      selection: { nodes: [], edges: [] },
      clipboard: undefined,
      history: {},
      context: initial.context ?? EMPTY_CONTEXT,
      notice: undefined,
      codeField: undefined,
      fitRequest: 0,
      live: undefined,

      newFlow(name) {
        const s = get();
        const id = uniqueId('flow-1', new Set(Object.keys(s.flows)).add('flow'));
        const flow = emptyFlow(id, name ?? { zh: `流程 ${s.order.length + 1}`, en: `Flow ${s.order.length + 1}` });
        set({ flows: { ...s.flows, [id]: flow }, order: [...s.order, id], activeId: id, selection: { nodes: [], edges: [] } });
        return id;
      },
      openFlow(flow) {
        const s = get();
        set({ flows: { ...s.flows, [flow.id]: flow }, order: s.order.includes(flow.id) ? s.order : [...s.order, flow.id], activeId: flow.id, selection: { nodes: [], edges: [] }, fitRequest: s.fitRequest + 1 });
      },
      closeFlow(id) {
        const s = get();
        const order = s.order.filter((x) => x !== id);
        const { [id]: _gone, ...rest } = s.flows;
        const { [id]: _h, ...history } = s.history;
        set({ flows: rest, history, order, activeId: s.activeId === id ? order[order.length - 1] : s.activeId, selection: { nodes: [], edges: [] }, codeField: undefined });
      },
      setActive(id) {
        if (get().flows[id]) set({ activeId: id, selection: { nodes: [], edges: [] }, codeField: undefined });
      },
      renameFlow(name) {
        commit((f) => ({ ...f, name }), 'flow-name');
      },
      addNode(type, position) {
        const def = nodeTypes.get(type);
        const flow = activeFlow(get());
        if (!def || !flow) return undefined;
        const id = uniqueId(type, takenIds(flow));
        const node: FlowNode = { id, type, version: def.version, config: defaultConfig(def), position: { x: Math.round(position.x), y: Math.round(position.y) } };
        commit((f) => ({ ...f, nodes: [...f.nodes, node] }));
        set({ selection: { nodes: [id], edges: [] } });
        return id;
      },
      beginChange(tag) {
        // An undo step before a drag: the moves that follow merge into it.
        const s = get();
        const flow = activeFlow(s);
        if (!flow) return;
        const h = s.history[flow.id] ?? { past: [], future: [] };
        set({ history: { ...s.history, [flow.id]: { past: [...h.past, flow].slice(-HISTORY_LIMIT), future: [], lastTag: `${tag}:${noticeSeq++}` } } });
      },
      moveNodes(moves) {
        const at = new Map(moves.map((m) => [m.id, m.position]));
        const s = get();
        const flow = activeFlow(s);
        if (!flow) return;
        const next = { ...flow, nodes: flow.nodes.map((n) => (at.has(n.id) ? { ...n, position: { x: Math.round(at.get(n.id)!.x), y: Math.round(at.get(n.id)!.y) } } : n)) };
        set({ flows: { ...s.flows, [flow.id]: next } });
      },
      connect(c) {
        const flow = activeFlow(get());
        if (!flow) return undefined;
        const refusal = checkConnection(flow, c);
        if (refusal) {
          get().notify(refusal.key, 'error', refusal.values);
          return refusal;
        }
        const id = uniqueId(`e-${c.source}-${c.target}`, new Set(flow.edges.map((e) => e.id)));
        commit((f) => ({ ...f, edges: [...f.edges, { id, ...c }] }));
        return undefined;
      },
      select(nodes, edges = []) {
        const s = get().selection;
        if (s.nodes.length === nodes.length && s.edges.length === edges.length && s.nodes.every((n, i) => n === nodes[i]) && s.edges.every((e, i) => e === edges[i])) return;
        set({ selection: { nodes: [...nodes], edges: [...edges] } });
      },
      selectAll() {
        const flow = activeFlow(get());
        if (flow) set({ selection: { nodes: flow.nodes.map((n) => n.id), edges: flow.edges.map((e) => e.id) } });
      },
      deleteSelection() {
        const { nodes, edges } = get().selection;
        if (nodes.length === 0 && edges.length === 0) return;
        const gone = new Set(nodes);
        const goneEdges = new Set(edges);
        commit((f) => ({ ...f, nodes: f.nodes.filter((n) => !gone.has(n.id)), edges: f.edges.filter((e) => !goneEdges.has(e.id) && !gone.has(e.source) && !gone.has(e.target)) }));
        set({ selection: { nodes: [], edges: [] }, codeField: undefined });
      },
      deleteEdges(ids) {
        const gone = new Set(ids);
        commit((f) => ({ ...f, edges: f.edges.filter((e) => !gone.has(e.id)) }));
      },
      setConfig(nodeId, path, value) {
        commit((f) => ({ ...f, nodes: f.nodes.map((n) => (n.id === nodeId ? { ...n, config: setIn(n.config, path, value) as Record<string, unknown> ?? {} } : n)) }), `config:${nodeId}:${path.join('.')}`);
      },
      setNodeProps(nodeId, props) {
        commit((f) => ({
          ...f,
          nodes: f.nodes.map((n) => {
            if (n.id !== nodeId) return n;
            const next: Record<string, unknown> = { ...n };
            for (const [k, v] of Object.entries(props)) {
              if (v === undefined || v === '' || v === false) delete next[k];
              else next[k] = v;
            }
            return next as FlowNode;
          }),
        }), `props:${nodeId}:${Object.keys(props).join(',')}`);
      },
      copy() {
        const s = get();
        const flow = activeFlow(s);
        if (!flow || s.selection.nodes.length === 0) return;
        const ids = new Set(s.selection.nodes);
        set({ clipboard: { nodes: flow.nodes.filter((n) => ids.has(n.id)), edges: flow.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) } });
      },
      paste() {
        const s = get();
        const flow = activeFlow(s);
        if (!flow || !s.clipboard || s.clipboard.nodes.length === 0) return;
        const taken = takenIds(flow);
        const rename = new Map<string, string>();
        for (const n of s.clipboard.nodes) {
          const id = uniqueId(n.id, taken);
          taken.add(id);
          rename.set(n.id, id);
        }
        const nodes = s.clipboard.nodes.map((n) => ({ ...structuredClone(n), id: rename.get(n.id)!, position: { x: (n.position?.x ?? 0) + 40, y: (n.position?.y ?? 0) + 40 } }));
        const edgeIds = new Set(flow.edges.map((e) => e.id));
        const edges = s.clipboard.edges.map((e) => {
          const id = uniqueId(`e-${rename.get(e.source)}-${rename.get(e.target)}`, edgeIds);
          edgeIds.add(id);
          return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
        });
        commit((f) => ({ ...f, nodes: [...f.nodes, ...nodes], edges: [...f.edges, ...edges] }));
        // The next paste lands further along, like a stack of copies.
        set({ selection: { nodes: nodes.map((n) => n.id), edges: [] }, clipboard: { nodes, edges } });
      },
      undo() {
        const s = get();
        const flow = activeFlow(s);
        const h = flow && s.history[flow.id];
        if (!flow || !h || h.past.length === 0) return;
        const prev = h.past[h.past.length - 1]!;
        set({ flows: { ...s.flows, [flow.id]: prev }, history: { ...s.history, [flow.id]: { past: h.past.slice(0, -1), future: [flow, ...h.future] } }, selection: { nodes: s.selection.nodes.filter((id) => prev.nodes.some((n) => n.id === id)), edges: [] } });
      },
      redo() {
        const s = get();
        const flow = activeFlow(s);
        const h = flow && s.history[flow.id];
        if (!flow || !h || h.future.length === 0) return;
        const next = h.future[0]!;
        set({ flows: { ...s.flows, [flow.id]: next }, history: { ...s.history, [flow.id]: { past: [...h.past, flow], future: h.future.slice(1) } } });
      },
      autoLayout() {
        const s = get();
        const flow = activeFlow(s);
        if (!flow || flow.nodes.length === 0) return;
        const selected = s.selection.nodes.length > 1 ? new Set(s.selection.nodes) : undefined;
        const at = layoutPositions(flow, selected);
        if (selected) {
          // Keep a laid-out selection where it was: shift it to its old top-left corner.
          const old = flow.nodes.filter((n) => selected.has(n.id));
          const dx = Math.min(...old.map((n) => n.position?.x ?? 0)) - Math.min(...[...at.values()].map((p) => p.x));
          const dy = Math.min(...old.map((n) => n.position?.y ?? 0)) - Math.min(...[...at.values()].map((p) => p.y));
          for (const [id, p] of at) at.set(id, { x: p.x + dx, y: p.y + dy });
        }
        commit((f) => ({ ...f, nodes: f.nodes.map((n) => (at.has(n.id) ? { ...n, position: at.get(n.id)! } : n)) }));
        set({ fitRequest: get().fitRequest + 1 });
      },
      requestFit() {
        set({ fitRequest: get().fitRequest + 1 });
      },
      setContext(context) {
        set({ context });
      },
      setLive(live) {
        set({ live });
      },
      notify(key, kind = 'info', values) {
        set({ notice: { key, kind, seq: ++noticeSeq, ...(values ? { values } : {}) } });
      },
      openCode(nodeId, path) {
        set({ codeField: { nodeId, path } });
      },
      closeCode() {
        set({ codeField: undefined });
      },
    };
  });
}
