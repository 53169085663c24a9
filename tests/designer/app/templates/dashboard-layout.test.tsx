// @vitest-environment jsdom
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import weavingJson from '../../../../templates/weaving-waterjet/template.json';
import { createI18n, registerMessages, setAppI18n } from '../../../../designer/app/i18n/i18n';
import { DashboardLayout } from '../../../../designer/app/templates/dashboard-layout';
import { templatesMessages } from '../../../../designer/app/templates/messages';
import type { VersionSummary } from '../../../../designer/app/templates/template-api';
import { createTemplateStore } from '../../../../designer/app/templates/template-store';
import type { TemplateStore } from '../../../../designer/app/templates/template-store';
import { TemplateStoreProvider, useTemplate } from '../../../../designer/app/templates/use-template';

const i18n = createI18n('zh');
beforeAll(() => {
  setAppI18n(i18n);
  registerMessages('templates', templatesMessages, i18n);
});
afterEach(cleanup);

const weaving = weavingJson as unknown as Record<string, unknown>;
const summary = { id: 'weaving-waterjet', version: '1.4.0', status: 'draft', industry: 'C1751', title: { zh: '织造', en: 'Weaving' }, demands: [], contentHash: 'x', createdAt: '', publishedAt: null } as VersionSummary;

function Page({ flowId }: { flowId: string }) {
  const scenario = useTemplate((s) => s.draft.scenarios.find((x) => x.flowId === flowId))!;
  return <DashboardLayout scenario={scenario} sentIndex={2} readOnly={false} />;
}

const widgets = (store: TemplateStore) => store.getState().draft.scenarios.find((s) => s.key === 'stop-alarms')!.dashboard.widgets;

describe('dashboard layout', () => {
  it('lays the scenario\'s widgets on its grid, moves and resizes them by keyboard, adds one from a node of the flow', () => {
    const store = createTemplateStore({ summary, template: weaving, readme: null });
    render(<I18nextProvider i18n={i18n}><TemplateStoreProvider store={store}><Page flowId="stop-alarms" /></TemplateStoreProvider></I18nextProvider>);
    const grid = document.querySelector('.dash-grid') as HTMLElement;
    expect(grid.style.gridTemplateColumns).toBe('repeat(12, minmax(0, 1fr))');
    const cells = () => Array.from(document.querySelectorAll('.dash-widget')).map((w) => `${w.getAttribute('data-widget')}@${w.getAttribute('data-cell')}`);
    expect(cells()[0]).toBe('stop-alarms@0,0,6,6');
    const first = document.querySelector('.dash-widget[data-widget="stop-alarms"]') as HTMLElement;
    // Grow it one row, then move it right onto the other column: what it covers goes down.
    fireEvent.keyDown(first, { key: 'ArrowDown', shiftKey: true });
    expect(widgets(store)[0]).toMatchObject({ id: 'stop-alarms', h: 7 });
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    const moved = widgets(store);
    expect(moved[0]).toMatchObject({ x: 1, y: 0 });
    const a = moved[0]!;
    for (const b of moved.slice(1)) {
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
    }
    // The form of the selected widget shows its source node from the flow.
    expect((document.querySelector('#wf-node') as HTMLSelectElement).value).toBe('stop-alarm');

    const count = moved.length;
    const kind = document.querySelector('.add-widget select[aria-label="组件类型"]') as HTMLSelectElement;
    const node = document.querySelector('.add-widget select[aria-label="数据来源节点"]') as HTMLSelectElement;
    fireEvent.change(kind, { target: { value: 'gauge' } });
    fireEvent.change(node, { target: { value: 'classify' } });
    fireEvent.click(document.querySelector('.add-widget button')!);
    const added = widgets(store).at(-1)!;
    expect(widgets(store).length).toBe(count + 1);
    expect(added).toMatchObject({ id: 'classify', kind: 'gauge', node: 'classify', w: 4, h: 4 });

    // A widget whose node is gone says so.
    act(() => store.getState().setDashboard('stop-alarms', { ...store.getState().draft.scenarios[2]!.dashboard, widgets: [...widgets(store), { id: 'ghost', kind: 'stat', node: 'nope', x: 0, y: 40, w: 2, h: 2 }] }));
    const ghost = document.querySelector('.dash-widget[data-widget="ghost"]')!;
    expect(ghost.className).toContain('invalid');
    expect(ghost.textContent).toContain('流程中没有节点“nope”');
  });
});
