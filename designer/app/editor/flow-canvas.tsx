import { useCallback, useEffect, useMemo } from 'react';
import type { DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Connection, Edge as RfEdge, EdgeChange, NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { activeFlow } from './editor-store';
import type { CanvasNode } from './flow-node';
import { FlowNodeView } from './flow-node';
import { inputsOf, nodeTypes, outputsOf } from './node-types';
import { DRAG_TYPE } from './palette';
import { useEditor, useEditorApi } from './use-editor';
import { useValidation } from './use-validation';

const NODE_TYPES = { kaiwu: FlowNodeView };

function Canvas() {
  const store = useEditorApi();
  const flow = useEditor(activeFlow);
  const selection = useEditor((s) => s.selection);
  const fitRequest = useEditor((s) => s.fitRequest);
  const validation = useValidation();
  const rf = useReactFlow();

  const nodes = useMemo<CanvasNode[]>(() => {
    const selected = new Set(selection.nodes);
    return (flow?.nodes ?? []).map((n) => {
      const def = nodeTypes.get(n.type);
      return {
        id: n.id,
        type: 'kaiwu',
        position: n.position ?? { x: 0, y: 0 },
        selected: selected.has(n.id),
        data: {
          nodeType: n.type, icon: def?.icon ?? '?', title: def?.title, name: n.name, category: def?.category ?? 'unknown',
          inputs: inputsOf(def), outputs: outputsOf(def, n), disabled: n.disabled === true,
          problems: (validation.byNode.get(n.id) ?? []).map((p) => p.problem.message),
        },
      };
    });
  }, [flow?.nodes, selection.nodes, validation]);

  const edges = useMemo<RfEdge[]>(() => {
    const selected = new Set(selection.edges);
    return (flow?.edges ?? []).map((e) => ({
      id: e.id, source: e.source, sourceHandle: e.sourcePort, target: e.target, targetHandle: e.targetPort,
      selected: selected.has(e.id),
      className: `${validation.byEdge.has(e.id) ? 'edge-problem' : ''}${e.sourcePort === 'error' ? ' edge-error' : ''}`,
      ...(e.sourcePort !== 'out' ? { label: e.sourcePort } : {}),
    }));
  }, [flow?.edges, selection.edges, validation]);

  useEffect(() => {
    if (fitRequest > 0) requestAnimationFrame(() => void rf.fitView({ padding: 0.2, maxZoom: 1 }));
  }, [fitRequest, rf]);
  // A flow opened with nodes is shown whole, at most at 100 %.
  useEffect(() => {
    if ((store.getState().flows[store.getState().activeId ?? '']?.nodes.length ?? 0) > 0) requestAnimationFrame(() => void rf.fitView({ padding: 0.2, maxZoom: 1 }));
  }, [rf, store]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    const s = store.getState();
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
  }, [store]);

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

  return (
    <div className="canvas" onDragOver={(e) => {
      if (e.dataTransfer.types.includes(DRAG_TYPE)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }
    }} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={() => store.getState().beginChange('move')}
        onPaneClick={() => store.getState().select([], [])}
        deleteKeyCode={null}
        panActivationKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        defaultViewport={{ x: 0, y: 0, zoom: 1 }}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
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
