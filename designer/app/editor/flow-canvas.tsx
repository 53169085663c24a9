import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { createCanvasElements } from './canvas-elements';
import { activeFlow } from './editor-store';
import type { CanvasNode } from './flow-node';
import { FlowNodeView } from './flow-node';
import { DRAG_TYPE } from './palette';
import { useEditor, useEditorApi } from './use-editor';
import { useValidation } from './use-validation';

const NODE_TYPES = { kaiwu: FlowNodeView };
// Props React Flow compares by reference: made once, so a re-render of the canvas (each drag
// step) does not hand React Flow new ones to store and re-subscribe to.
const MULTI_SELECT_KEYS = ['Control', 'Meta'];
const DEFAULT_VIEWPORT = { x: 0, y: 0, zoom: 1 };
const PRO_OPTIONS = { hideAttribution: true };
const onDragOver = (e: DragEvent) => {
  if (e.dataTransfer.types.includes(DRAG_TYPE)) {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }
};

function Canvas() {
  const store = useEditorApi();
  const flow = useEditor(activeFlow);
  const selection = useEditor((s) => s.selection);
  const fitRequest = useEditor((s) => s.fitRequest);
  const validation = useValidation();
  const rf = useReactFlow();

  // Only the nodes and edges that changed get new objects (see canvas-elements.ts).
  const [elements] = useState(createCanvasElements);
  // Bumped when React Flow reports sizes, so the measured nodes are handed back with them.
  const [measures, setMeasures] = useState(0);
  const nodes = useMemo(() => elements.nodes(flow?.nodes ?? [], new Set(selection.nodes), validation.byNode), [elements, flow?.nodes, selection.nodes, validation, measures]);
  const edges = useMemo(() => elements.edges(flow?.edges ?? [], new Set(selection.edges), validation.byEdge), [elements, flow?.edges, selection.edges, validation]);

  useEffect(() => {
    if (fitRequest > 0) requestAnimationFrame(() => void rf.fitView({ padding: 0.2, maxZoom: 1 }));
  }, [fitRequest, rf]);
  // A flow opened with nodes is shown whole, at most at 100 %.
  useEffect(() => {
    if ((store.getState().flows[store.getState().activeId ?? '']?.nodes.length ?? 0) > 0) requestAnimationFrame(() => void rf.fitView({ padding: 0.2, maxZoom: 1 }));
  }, [rf, store]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    const s = store.getState();
    let sized = false;
    for (const c of changes) {
      if (c.type !== 'dimensions' || !c.dimensions) continue;
      const was = elements.measured.get(c.id);
      if (was?.width === c.dimensions.width && was.height === c.dimensions.height) continue;
      elements.measured.set(c.id, c.dimensions);
      sized = true;
    }
    if (sized) setMeasures((n) => n + 1);
    const moves = changes.flatMap((c) => (c.type === 'position' && c.position ? [{ id: c.id, position: c.position }] : []));
    if (moves.length > 0) s.moveNodes(moves);
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length > 0) {
      const next = new Set(s.selection.nodes);
      for (const c of selects) {
        if (c.type !== 'select') continue;
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      s.select([...next], s.selection.edges);
    }
  }, [store, elements]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const s = store.getState();
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length === 0) return;
    const next = new Set(s.selection.edges);
    for (const c of selects) {
        if (c.type !== 'select') continue;
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
    s.select(s.selection.nodes, [...next]);
  }, [store]);

  const onConnect = useCallback((c: Connection) => {
    store.getState().connect({ source: c.source, sourcePort: c.sourceHandle ?? 'out', target: c.target, targetPort: c.targetHandle ?? 'in' });
  }, [store]);

  const onDrop = useCallback((e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_TYPE);
    if (!type) return;
    e.preventDefault();
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    store.getState().addNode(type, { x: p.x - 80, y: p.y - 20 });
  }, [rf, store]);

  const onNodeDragStart = useCallback(() => store.getState().beginChange('move'), [store]);
  const onPaneClick = useCallback(() => store.getState().select([], []), [store]);

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={onNodeDragStart}
        onPaneClick={onPaneClick}
        deleteKeyCode={null}
        panActivationKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        defaultViewport={DEFAULT_VIEWPORT}
        minZoom={0.1}
        maxZoom={2}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable ariaLabel="minimap" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** The canvas of the active flow (React Flow over the store's flow document). */
export function FlowCanvas() {
  return (
    <ReactFlowProvider>
      <Canvas />
    </ReactFlowProvider>
  );
}
