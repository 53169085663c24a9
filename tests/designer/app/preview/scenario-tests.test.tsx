// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { createI18n, setAppI18n } from '../../../../designer/app/i18n/i18n';
import { ScenarioTests } from '../../../../designer/app/preview/scenario-tests';
import type { TestReport } from '../../../../designer/app/preview/preview-types';

const i18n = createI18n('zh');
beforeAll(() => setAppI18n(i18n));
afterEach(cleanup);

const report: TestReport = {
  template: 'weaving-waterjet@1.4.0', passed: false, elapsedMs: 2100,
  tests: [
    {
      key: 'stop-alarm-cause', title: { zh: '停车超时报警', en: 'Stop alarm' }, passed: true, problems: [],
      expectations: [{ index: 0, kind: 'alarm', passed: true, title: { zh: '经停报警', en: 'warp stop alarm' }, expected: { zh: '至少 1 个', en: 'at least 1' }, actual: { zh: '1 个', en: '1' } }],
      alarms: [], alarmsTotal: 2, nodeErrors: [], nodeErrorsTotal: 0, outputs: [], startAt: 0, durationMs: 10_800_000, elapsedMs: 900, devices: {},
    },
    {
      key: 'efficiency-80', title: { zh: '效率 80%', en: 'Efficiency 80 %' }, passed: false, problems: [],
      expectations: [
        { index: 0, kind: 'output', passed: false, title: { zh: '班效率', en: 'shift efficiency' }, expected: { zh: '在 0.78～0.82 之间', en: 'between 0.78 and 0.82' }, actual: { zh: '最后一个为 0.61', en: 'the last is 0.61' } },
        { index: -1, kind: 'node-errors', passed: true, title: { zh: '节点无错误', en: 'no node errors' }, expected: { zh: '0 个', en: 'none' }, actual: { zh: '0', en: '0' } },
      ],
      alarms: [], alarmsTotal: 0, nodeErrors: [], nodeErrorsTotal: 0, outputs: [], startAt: 0, durationMs: 43_500_000, elapsedMs: 1200, devices: {},
    },
  ],
};

const tests = report.tests.map((t) => ({ key: t.key, title: t.title }));

describe('scenario tests panel', () => {
  it('runs the tests and shows each test and expectation passed or failed, with expected and actual, in zh then en', async () => {
    const asked: (readonly string[] | undefined)[] = [];
    render(
      <I18nextProvider i18n={i18n}>
        <ScenarioTests tests={tests} source={{ ref: 'weaving-waterjet@1.4.0', unsaved: false }} run={async (only) => {
          asked.push(only);
          return only ? { ...report, tests: report.tests.filter((t) => only.includes(t.key)) } : report;
        }} />
      </I18nextProvider>,
    );
    expect(screen.getAllByText('未运行').length).toBe(2);
    expect(screen.getByText('运行已保存的版本 weaving-waterjet@1.4.0')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '▶ 运行全部测试' }));
    });
    expect(asked).toEqual([undefined]);
    expect(screen.getByRole('status').textContent).toBe('1 个通过，1 个未通过，用时 2.1 秒');
    // A failed test opens by itself, the failed expectation first, expected against actual.
    const failed = document.querySelector('[data-test="efficiency-80"]')!;
    expect(failed.className).toContain('test-failed');
    const rows = failed.querySelectorAll('.expectation');
    expect(rows[0]!.className).toContain('failed');
    expect(rows[0]!.querySelector('.expected')!.textContent).toBe('在 0.78～0.82 之间');
    expect(rows[0]!.querySelector('.actual')!.textContent).toBe('最后一个为 0.61');
    expect(failed.textContent).toContain('模拟 12 小时 5 分，用时 1.2 秒');
    // A passed one stays closed until asked.
    const passed = document.querySelector('[data-test="stop-alarm-cause"]')!;
    expect(passed.querySelector('.expectation')).toBeNull();

    await act(async () => {
      await i18n.changeLanguage('en');
    });
    expect(rows[0]!.querySelector('.expected')!.textContent).toBe('between 0.78 and 0.82');
    expect(failed.querySelector('.test-state')!.textContent).toBe('✗ failed');

    // One test again: only it is asked for, the other result stays.
    await act(async () => {
      fireEvent.click(passed.querySelector('.test-head button')!);
    });
    expect(asked[1]).toEqual(['stop-alarm-cause']);
    expect(document.querySelector('[data-test="efficiency-80"]')!.className).toContain('test-failed');
    await act(async () => {
      await i18n.changeLanguage('zh');
    });
  });
});
