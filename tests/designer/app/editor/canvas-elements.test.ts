import { describe, expect, it } from 'vitest';
import { createCanvasElements } from '../../../../designer/app/editor/canvas-elements';
import { activeFlow, createEditorStore } from '../../../../designer/app/editor/editor-store';
import { onlyMoved, validationOf } from '../../../../designer/app/editor/flow-validation';
import { nodeTypes } from '../../../../designer/app/editor/node-types';

function chain() {
  const store = createEditorStore();
  store.getState().newFlow({ zh: '测试', en: 'Test' });
  const s = () => store.getState();
  s().addNode('timer', { x: 0, y: 0 });
  s().addNode('switch', { x: 200, y: 0 });
  s().addNode('threshold-alarm', { x: 400, y: 0 });
  s().connect({ source: 'timer', sourcePort: 'out', target: 'switch', targetPort: 'in' });
  s().select([]);
  const elements = createCanvasElements();
  const derive = () => {
    const flow = activeFlow(s())!;
    const v = validationOf(flow, nodeTypes, s().context);
    return {
      nodes: elements.nodes(flow.nodes, new Set(s().selection.nodes), v.byNode),
      edges: elements.edges(flow.edges, new Set(s().selection.edges), v.byEdge),
      validation: v,
    };
  };
  return { s, elements, derive };
}

describe('canvas elements (what React Flow gets)', () => {
  it('keeps the objects of unchanged nodes and edges, and the arrays when nothing changed', () => {
    const { s, derive } = chain();
    const a = derive();
    expect(derive().nodes).toBe(a.nodes);
    expect(derive().edges).toBe(a.edges);
    s().select(['switch']);
    const b = derive();
    expect(b.nodes[0]).toBe(a.nodes[0]);
    expect(b.nodes[1]).not.toBe(a.nodes[1]);
    expect(b.nodes[1]!.selected).toBe(true);
    // Only the selection changed: the node's data is the same object.
    expect(b.nodes[1]!.data).toBe(a.nodes[1]!.data);
    expect(b.edges).toBe(a.edges);
  });

  it('hands a node back with its size once React Flow measured it (the minimap draws only nodes with a size)', () => {
    const { elements, derive } = chain();
    const a = derive();
    expect(a.nodes.every((n) => n.measured === undefined)).toBe(true);
    elements.measured.set('timer', { width: 150, height: 60 });
    elements.measured.set('switch', { width: 160, height: 76 });
    const b = derive();
    expect(b.nodes.map((n) => n.measured)).toEqual([{ width: 150, height: 60 }, { width: 160, height: 76 }, undefined]);
    expect(b.nodes[0]!.data).toBe(a.nodes[0]!.data);
    expect(b.nodes[2]).toBe(a.nodes[2]);
    expect(derive().nodes).toBe(b.nodes);
  });

  it('moves a node without re-validating and with its measured size, so React Flow does not hide and re-measure it', () => {
    const { s, elements, derive } = chain();
    const a = derive();
    elements.measured.set('switch', { width: 160, height: 76 });
    s().beginChange('move');
    s().moveNodes([{ id: 'switch', position: { x: 260, y: 40 } }]);
    const b = derive();
    expect(b.validation).toBe(a.validation);
    expect(b.nodes[0]).toBe(a.nodes[0]);
    expect(b.nodes[1]).toMatchObject({ position: { x: 260, y: 40 }, measured: { width: 160, height: 76 } });
    expect(b.nodes[1]!.data).toBe(a.nodes[1]!.data);
    expect(b.edges).toBe(a.edges);
  });

  it('re-validates a config change and shows the problem on that node only; new ports drop the measured size', () => {
    const { s, elements, derive } = chain();
    const a = derive();
    expect(a.nodes[2]!.data.problems).toHaveLength(1);
    elements.measured.set('threshold-alarm', { width: 160, height: 76 });
    s().setConfig('threshold-alarm', ['high'], 80);
    const b = derive();
    expect(b.validation).not.toBe(a.validation);
    expect(b.nodes[2]!.data.problems).toEqual([]);
    expect(b.nodes[2]!.measured).toEqual({ width: 160, height: 76 });
    expect(b.nodes[0]).toBe(a.nodes[0]);
    expect(b.nodes[1]).toBe(a.nodes[1]);
    elements.measured.set('switch', { width: 160, height: 76 });
    s().setConfig('switch', ['rules'], [{ port: 'hot', op: 'gt', value: 50 }, { port: 'cold', op: 'lt', value: 0 }]);
    const c = derive();
    expect(c.nodes[1]!.data.outputs.map((p) => p.name)).toEqual(['hot', 'cold', 'error']);
    expect(c.nodes[1]!.measured).toBeUndefined();
  });

  it('carries a validation over only when nothing but positions changed', () => {
    const { s } = chain();
    const a = activeFlow(s())!;
    s().moveNodes([{ id: 'timer', position: { x: 10, y: 10 } }]);
    const b = activeFlow(s())!;
    expect(onlyMoved(a, b)).toBe(true);
    s().setNodeProps('timer', { name: 'tick' });
    expect(onlyMoved(b, activeFlow(s())!)).toBe(false);
    s().connect({ source: 'switch', sourcePort: 'out', target: 'threshold-alarm', targetPort: 'in' });
    expect(onlyMoved(b, activeFlow(s())!)).toBe(false);
  });
});
