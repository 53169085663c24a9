import { describe, expect, it } from 'vitest';
import { FlowSchema } from '../../../../runtime/model';
import { activeFlow, createEditorStore } from '../../../../designer/app/editor/editor-store';
import { validateForEditor } from '../../../../designer/app/editor/flow-validation';
import { nodeTypes } from '../../../../designer/app/editor/node-types';
import { EMPTY_CONTEXT } from '../../../../designer/app/editor/editor-context';

function chain() {
  const store = createEditorStore();
  store.getState().newFlow({ zh: '测试', en: 'Test' });
  const s = () => store.getState();
  s().addNode('timer', { x: 0, y: 0 });
  s().addNode('rule', { x: 200, y: 0 });
  s().addNode('threshold-alarm', { x: 400, y: 0 });
  s().addNode('history', { x: 600, y: 0 });
  expect(s().connect({ source: 'timer', sourcePort: 'out', target: 'rule', targetPort: 'in' })).toBeUndefined();
  expect(s().connect({ source: 'rule', sourcePort: 'out', target: 'threshold-alarm', targetPort: 'in' })).toBeUndefined();
  expect(s().connect({ source: 'threshold-alarm', sourcePort: 'alarm', target: 'history', targetPort: 'in' })).toBeUndefined();
  return { store, s };
}

describe('editor store', () => {
  it('holds flows as plain documents in the flow format, with node defaults filled in', () => {
    const { s } = chain();
    const flow = activeFlow(s())!;
    expect(FlowSchema.safeParse(flow).success).toBe(true);
    expect(flow.nodes.map((n) => n.id)).toEqual(['timer', 'rule', 'threshold-alarm', 'history']);
    expect(flow.nodes[1]).toMatchObject({ type: 'rule', version: 1, config: { code: 'return msg;', outputs: ['out'] } });
    expect(flow.edges).toHaveLength(3);
    // Plain data: it survives JSON unchanged.
    expect(JSON.parse(JSON.stringify(flow))).toEqual(flow);
  });

  it('refuses connections with a reason: to itself, twice, into a node without inputs, to an unknown port, around a cycle', () => {
    const { s } = chain();
    expect(s().connect({ source: 'rule', sourcePort: 'out', target: 'rule', targetPort: 'in' })?.key).toBe('refused.self');
    expect(s().connect({ source: 'timer', sourcePort: 'out', target: 'rule', targetPort: 'in' })?.key).toBe('refused.duplicate');
    expect(s().connect({ source: 'rule', sourcePort: 'out', target: 'timer', targetPort: 'in' })?.key).toBe('refused.noInput');
    expect(s().connect({ source: 'rule', sourcePort: 'nope', target: 'history', targetPort: 'in' })).toMatchObject({ key: 'refused.unknownPort', values: { port: 'nope' } });
    expect(s().connect({ source: 'threshold-alarm', sourcePort: 'out', target: 'rule', targetPort: 'in' })?.key).toBe('refused.cycle');
    expect(s().notice).toMatchObject({ key: 'refused.cycle', kind: 'error' });
    expect(activeFlow(s())!.edges).toHaveLength(3);
    // A rule's own ports follow its config.
    s().setConfig('rule', ['outputs'], ['out', 'hot']);
    expect(s().connect({ source: 'rule', sourcePort: 'hot', target: 'history', targetPort: 'in' })).toBeUndefined();
  });

  it('undoes and redoes; typing into one field is one undo step; a drag is one step', () => {
    const { s } = chain();
    s().setConfig('threshold-alarm', ['high'], 8);
    s().setConfig('threshold-alarm', ['high'], 80);
    s().setConfig('threshold-alarm', ['low'], 10);
    s().undo();
    expect(activeFlow(s())!.nodes[2]!.config).toMatchObject({ high: 80 });
    expect(activeFlow(s())!.nodes[2]!.config.low).toBeUndefined();
    s().undo();
    expect(activeFlow(s())!.nodes[2]!.config.high).toBeUndefined();
    s().redo();
    expect(activeFlow(s())!.nodes[2]!.config.high).toBe(80);

    s().beginChange('move');
    s().moveNodes([{ id: 'timer', position: { x: 10, y: 10 } }]);
    s().moveNodes([{ id: 'timer', position: { x: 50.4, y: 60 } }]);
    expect(activeFlow(s())!.nodes[0]!.position).toEqual({ x: 50, y: 60 });
    s().undo();
    expect(activeFlow(s())!.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('deletes a selection with its edges, and pastes copies into another flow with fresh ids', () => {
    const { s } = chain();
    const first = s().activeId!;
    s().select(['rule', 'threshold-alarm']);
    s().copy();
    const second = s().newFlow();
    s().paste();
    expect(activeFlow(s())!.nodes.map((n) => n.id)).toEqual(['rule', 'threshold-alarm']);
    expect(activeFlow(s())!.edges).toEqual([expect.objectContaining({ source: 'rule', target: 'threshold-alarm' })]);
    s().paste();
    expect(activeFlow(s())!.nodes.map((n) => n.id)).toEqual(['rule', 'threshold-alarm', 'rule-2', 'threshold-alarm-2']);
    expect(activeFlow(s())!.edges[1]).toMatchObject({ source: 'rule-2', target: 'threshold-alarm-2' });
    expect(s().selection.nodes).toEqual(['rule-2', 'threshold-alarm-2']);

    s().setActive(first);
    s().select(['rule']);
    s().deleteSelection();
    const flow = activeFlow(s())!;
    expect(flow.nodes.map((n) => n.id)).toEqual(['timer', 'threshold-alarm', 'history']);
    expect(flow.edges).toEqual([expect.objectContaining({ source: 'threshold-alarm', target: 'history' })]);
    expect(s().flows[second]!.nodes).toHaveLength(4);
  });

  it('lays out a messy graph left to right along its edges', () => {
    const { s } = chain();
    s().moveNodes([{ id: 'timer', position: { x: 900, y: 500 } }, { id: 'history', position: { x: -300, y: 40 } }]);
    s().autoLayout();
    const x = Object.fromEntries(activeFlow(s())!.nodes.map((n) => [n.id, n.position!.x]));
    expect(x.timer).toBeLessThan(x.rule!);
    expect(x.rule).toBeLessThan(x['threshold-alarm']!);
    expect(x['threshold-alarm']).toBeLessThan(x.history!);
  });

  it('validates with the runtime validateFlow: problems by node and config path, parameter references filled with their defaults', () => {
    const { s } = chain();
    const flow = () => activeFlow(s())!;
    let v = validateForEditor(flow(), nodeTypes, EMPTY_CONTEXT);
    expect(v.byNode.get('threshold-alarm')?.map((p) => p.configPath)).toEqual([['high']]);
    s().setConfig('threshold-alarm', ['high'], 80);
    s().setConfig('threshold-alarm', ['hysteresis'], -5);
    v = validateForEditor(flow(), nodeTypes, EMPTY_CONTEXT);
    expect(v.byNode.get('threshold-alarm')?.map((p) => p.configPath)).toEqual([['hysteresis']]);
    expect(v.byNode.get('threshold-alarm')![0]!.problem.message.zh).toBeTruthy();

    s().setConfig('threshold-alarm', ['hysteresis'], { $param: 'band' });
    const context = { ...EMPTY_CONTEXT, parameters: [{ key: 'band', type: 'number' as const, label: { zh: '回差', en: 'Band' }, default: -1, required: false }] };
    expect(validateForEditor(flow(), nodeTypes, context).byNode.get('threshold-alarm')?.map((p) => p.configPath)).toEqual([['hysteresis']]);
    const good = { ...context, parameters: [{ ...context.parameters[0]!, default: 2 }] };
    expect(validateForEditor(flow(), nodeTypes, good).problems).toEqual([]);
    // A reference the editor cannot fill is left to the template check.
    expect(validateForEditor(flow(), nodeTypes, EMPTY_CONTEXT).problems).toEqual([]);
  });
});
