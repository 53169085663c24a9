// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { createEditorStore } from '../../../../../designer/app/editor/editor-store';
import type { EditorStore } from '../../../../../designer/app/editor/editor-store';
import { Inspector } from '../../../../../designer/app/editor/inspector/inspector';
import { editorMessages } from '../../../../../designer/app/editor/messages';
import { EditorStoreProvider } from '../../../../../designer/app/editor/use-editor';
import { createI18n, registerMessages, setAppI18n } from '../../../../../designer/app/i18n/i18n';

const i18n = createI18n('zh');
beforeAll(() => {
  setAppI18n(i18n);
  registerMessages('editor', editorMessages, i18n);
  // No studio here: the help pages are not asked for.
  globalThis.fetch = (() => Promise.reject(new Error('offline'))) as typeof fetch;
});
afterEach(cleanup);

function mount(store: EditorStore) {
  return render(
    <I18nextProvider i18n={i18n}>
      <EditorStoreProvider store={store}><Inspector /></EditorStoreProvider>
    </I18nextProvider>,
  );
}

function withNode(type: string) {
  const store = createEditorStore();
  store.getState().newFlow();
  const id = store.getState().addNode(type, { x: 0, y: 0 })!;
  return { store, id, config: () => store.getState().flows[store.getState().activeId!]!.nodes[0]!.config };
}

describe('inspector', () => {
  it('renders the threshold alarm form from its zod schema: numbers with unit and range, enum, boolean, duration', () => {
    const { store } = withNode('threshold-alarm');
    mount(store);
    expect(screen.getByRole('heading', { name: '越限报警' })).toBeTruthy();
    expect(screen.getByLabelText('上限')).toBeTruthy();
    const severity = screen.getByLabelText('级别') as HTMLSelectElement;
    expect(Array.from(severity.options, (o) => o.value)).toEqual(['info', 'warning', 'critical']);
    expect(severity.value).toBe('warning');
    expect(screen.getByText('范围 0 … ∞')).toBeTruthy();
    // The on delay is a duration: milliseconds typed in a unit of choice.
    const delay = screen.getByLabelText('报警延时') as HTMLInputElement;
    expect(delay.closest('.duration')).toBeTruthy();
    // Advanced fields wait behind the switch.
    expect(screen.queryByLabelText('按设备分别报警')).toBeNull();
    fireEvent.click(screen.getByLabelText('高级'));
    expect(screen.getByLabelText('按设备分别报警')).toBeTruthy();
  });

  it('writes typed values into the flow document and shows validateFlow problems on the field as you type', () => {
    const { store, config } = withNode('threshold-alarm');
    mount(store);
    // A new alarm has no limit: the problem is shown at "high".
    expect(screen.getByLabelText('上限').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('请设置上限、下限或两者')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('上限'), { target: { value: '80' } });
    expect(config().high).toBe(80);
    expect(screen.getByLabelText('上限').getAttribute('aria-invalid')).toBe('false');

    fireEvent.change(screen.getByLabelText('回差'), { target: { value: '-5' } });
    expect(config().hysteresis).toBe(-5);
    expect(screen.getByLabelText('回差').getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('[data-field="hysteresis"] .field-error')?.textContent).toMatch(/0/);
    // Not a number at all: kept as typed, and refused by the schema.
    fireEvent.change(screen.getByLabelText('回差'), { target: { value: 'abc' } });
    expect(config().hysteresis).toBe('abc');
    expect(screen.getByLabelText('回差').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('回差'), { target: { value: '2' } });
    expect(screen.getByLabelText('回差').getAttribute('aria-invalid')).toBe('false');

    fireEvent.change(screen.getByLabelText('级别'), { target: { value: 'critical' } });
    expect(config().severity).toBe('critical');
    // Undo in the store reaches the form.
    act(() => store.getState().undo());
    expect((screen.getByLabelText('级别') as HTMLSelectElement).value).toBe('warning');
  });

  it('binds a field to a template parameter and lets it go', () => {
    const { store, config } = withNode('threshold-alarm');
    store.getState().setContext({ parameters: [{ key: 'highC', type: 'number', label: { zh: '温度上限', en: 'High' }, default: 240, required: false }], deviceGroups: [], profiles: {} });
    mount(store);
    const bind = document.querySelector('[data-field="high"] button.bind') as HTMLButtonElement;
    fireEvent.click(bind);
    expect(config().high).toEqual({ $param: 'highC' });
    expect(screen.getByText('绑定参数：highC')).toBeTruthy();
    // The parameter's default (240) is a valid limit: no problem on the field.
    expect(document.querySelector('[data-field="high"] .field-error')).toBeNull();
    fireEvent.click(screen.getByText('取消绑定'));
    expect(config().high).toBeUndefined();
  });

  it('switches the timer between interval, cron and shifts, with a schedule field for cron', () => {
    const { store, config } = withNode('timer');
    mount(store);
    const mode = screen.getByLabelText('触发方式') as HTMLSelectElement;
    expect(mode.value).toBe('interval');
    fireEvent.change(screen.getByLabelText('间隔'), { target: { value: '5' } });
    expect(config().intervalMs).toBe(5000);
    fireEvent.change(mode, { target: { value: 'cron' } });
    expect(config()).toMatchObject({ mode: 'cron', timezone: 'Asia/Shanghai' });
    const cron = screen.getByLabelText('cron 表达式') as HTMLInputElement;
    expect(cron.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(cron, { target: { value: '*/15 * * * *' } });
    expect(cron.getAttribute('aria-invalid')).toBe('false');
    fireEvent.change(cron, { target: { value: '61 * * * *' } });
    expect(cron.getAttribute('aria-invalid')).toBe('true');
  });

  it('picks a device group of the template and the tags of its profile', () => {
    const { store, config } = withNode('modbus-read');
    store.getState().setContext({
      parameters: [],
      deviceGroups: [{ key: 'ovens', profile: 'test-oven', label: { zh: '烘箱', en: 'Ovens' }, min: 1, max: 10 } as never],
      profiles: { 'test-oven': { id: 'test-oven', title: { zh: '烘箱', en: 'Oven' }, tags: [{ key: 'temp', label: { zh: '温度', en: 'Temperature' }, type: 'float32', unit: '°C', access: 'r' }, { key: 'run', label: { zh: '运行', en: 'Running' }, type: 'bool', access: 'r' }] } },
    });
    mount(store);
    fireEvent.change(screen.getByLabelText('设备组'), { target: { value: 'ovens' } });
    expect(config().devices).toEqual({ $deviceGroup: 'ovens' });
    fireEvent.click(screen.getByLabelText('temp · 温度 (°C)'));
    expect(config().tags).toEqual(['temp']);
  });

  it('says what to do when nothing is selected, and counts a multiple selection', () => {
    const { store } = withNode('timer');
    store.getState().select([]);
    mount(store);
    expect(screen.getByText('选择一个节点查看并修改它的配置')).toBeTruthy();
    act(() => {
      store.getState().addNode('rule', { x: 100, y: 0 });
      store.getState().selectAll();
    });
    expect(screen.getByText('已选择 2 个节点')).toBeTruthy();
  });
});
