// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import weavingJson from '../../../../templates/weaving-waterjet/template.json';
import { createI18n, registerMessages, setAppI18n } from '../../../../designer/app/i18n/i18n';
import { templatesMessages } from '../../../../designer/app/templates/messages';
import { ParametersEditor } from '../../../../designer/app/templates/parameters-editor';
import type { VersionSummary } from '../../../../designer/app/templates/template-api';
import { createTemplateStore } from '../../../../designer/app/templates/template-store';
import { TemplateStoreProvider } from '../../../../designer/app/templates/use-template';

const i18n = createI18n('zh');
beforeAll(() => {
  setAppI18n(i18n);
  registerMessages('templates', templatesMessages, i18n);
});
afterEach(cleanup);

const weaving = weavingJson as unknown as Record<string, unknown>;
const summary = { id: 'weaving-waterjet', version: '1.4.0', status: 'draft', industry: 'C1751', title: { zh: '织造', en: 'Weaving' }, demands: [], contentHash: 'x', createdAt: '', publishedAt: null } as VersionSummary;

describe('parameters editor', () => {
  it('edits typed fields into the draft, counts references in the flows, and shows API problems on the row', () => {
    const store = createTemplateStore({ summary, template: weaving, readme: null });
    render(<I18nextProvider i18n={i18n}><TemplateStoreProvider store={store}><ParametersEditor readOnly={false} /></TemplateStoreProvider></I18nextProvider>);
    const row = document.querySelector('tr[data-key="ratedSpeed"]')!;
    expect(row.textContent).toContain('2 处引用');
    const max = row.querySelector('input[aria-label="最大"]') as HTMLInputElement;
    fireEvent.change(max, { target: { value: '1600' } });
    expect(store.getState().draft.parameters[2]).toMatchObject({ key: 'ratedSpeed', max: 1600 });
    fireEvent.change(max, { target: { value: '' } });
    expect(store.getState().draft.parameters[2]!.max).toBeUndefined();
    // The duration parameter keeps its text; options only for enums.
    const delay = document.querySelector('tr[data-key="stopAlarmDelay"]')!;
    expect((delay.querySelector('input[aria-label="可选值（逗号分隔）"]') as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(screen.getAllByLabelText('类型')[5]!, { target: { value: 'enum' } });
    expect(store.getState().draft.parameters[5]!.type).toBe('enum');

    act(() => store.getState().setProblems('invalid-template', { zh: '模板有错误', en: 'the template has problems' }, [
      { at: 'template.parameters[2].max', message: { zh: '最大值 90 小于最小值 100', en: 'max 90 is below min 100' } },
    ], undefined));
    expect(row.className).toBe('invalid');
    expect((row.querySelector('input[aria-label="最大"]') as HTMLInputElement).getAttribute('aria-invalid')).toBe('true');
    expect((row.querySelector('input[aria-label="最小"]') as HTMLInputElement).getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByRole('alert').textContent).toBe('最大值 90 小于最小值 100');

    fireEvent.click(screen.getByRole('button', { name: '+ 添加参数' }));
    expect(store.getState().draft.parameters.length).toBe(9);
    fireEvent.click(document.querySelector('tr[data-row="8"] button[aria-label="删除"]')!);
    expect(store.getState().draft.parameters.length).toBe(8);
  });
});
