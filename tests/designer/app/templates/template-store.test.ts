import { describe, expect, it } from 'vitest';
import weavingJson from '../../../../templates/weaving-waterjet/template.json';
import { createTemplateStore } from '../../../../designer/app/templates/template-store';
import type { VersionSummary } from '../../../../designer/app/templates/template-api';

const weaving = weavingJson as unknown as Record<string, unknown>;
const summary: VersionSummary = {
  id: 'weaving-waterjet', version: '1.4.0', status: 'draft', industry: 'C1751', title: { zh: '织造', en: 'Weaving' }, demands: [],
  contentHash: 'sha256:0', createdAt: '2026-11-02T00:00:00.000Z', publishedAt: null,
};
const open = () => createTemplateStore({ summary, template: weaving, readme: null });

describe('template authoring store', () => {
  it('hands the draft\'s parameters and device groups to the embedded editor as they change', () => {
    const store = open();
    const editor = store.editor;
    expect(editor.getState().order).toEqual(['loom-status', 'shift-output', 'stop-alarms', 'energy-per-metre', 'shift-report']);
    expect(editor.getState().activeId).toBe('loom-status');
    expect(editor.getState().context.parameters.map((p) => p.key)).toContain('stopAlarmDelay');
    expect(editor.getState().context.deviceGroups.map((g) => g.key)).toEqual(['looms', 'meters']);
    store.getState().addParameter();
    expect(editor.getState().context.parameters.at(-1)).toMatchObject({ key: 'param9', type: 'number', required: true });
    store.getState().setGroup(0, { key: 'weavers' });
    expect(editor.getState().context.deviceGroups[0]!.key).toBe('weavers');
  });

  it('knows unsaved changes in the draft and in any flow, and composes the document with the editor\'s flows', () => {
    const store = open();
    expect(store.getState().isDirty()).toBe(false);
    store.editor.getState().setActive('stop-alarms');
    store.editor.getState().addNode('debug', { x: 10, y: 10 });
    expect(store.getState().isDirty()).toBe(true);
    const doc = store.getState().compose() as { scenarios: { key: string; flow: { nodes: { type: string }[] } }[] };
    expect(doc.scenarios.find((s) => s.key === 'stop-alarms')!.flow.nodes.some((n) => n.type === 'debug')).toBe(true);
    store.getState().markSaved(summary);
    expect(store.getState().isDirty()).toBe(false);
  });

  it('adds, renames, moves and deletes scenarios together with their flows', () => {
    const store = open();
    const flowId = store.getState().addScenario('X');
    expect(store.getState().section).toBe('scenario');
    expect(store.editor.getState().activeId).toBe(flowId);
    store.getState().setScenario(flowId, { title: { zh: '模具寿命', en: 'Mould life' }, kind: 'N' });
    expect(store.editor.getState().flows[flowId]!.name).toEqual({ zh: '模具寿命', en: 'Mould life' });
    store.getState().moveScenario(flowId, -10);
    expect(store.getState().draft.scenarios[0]!.flowId).toBe(flowId);
    expect(store.editor.getState().order[0]).toBe(flowId);
    store.getState().removeScenario(flowId);
    expect(store.editor.getState().flows[flowId]).toBeUndefined();
    expect(store.getState().draft.scenarios.map((s) => s.key)).not.toContain('scenario-6');
  });

  it('opens the tab and selects the node an API problem is about', () => {
    const store = open();
    const sent = store.getState().compose() as never;
    store.getState().setProblems('invalid-template', { zh: '模板有错误', en: 'the template has problems' }, [
      { at: 'template.scenarios[2].flow.nodes[6].config.high', message: { zh: '应为数字', en: 'a number' } },
      { at: 'template.parameters[2].max', message: { zh: '太小', en: 'too small' } },
    ], sent);
    const [node, param] = store.getState().problems!.list;
    store.getState().goTo(node!.place);
    expect(store.getState().section).toBe('scenario');
    expect(store.getState().scenarioView).toBe('flow');
    expect(store.editor.getState().activeId).toBe('stop-alarms');
    expect(store.editor.getState().selection.nodes).toEqual(['stop-alarm']);
    store.getState().goTo(param!.place);
    expect(store.getState().section).toBe('parameters');
    expect(store.getState().focus).toMatchObject({ section: 'parameters', index: 2, field: 'max' });
  });
});
