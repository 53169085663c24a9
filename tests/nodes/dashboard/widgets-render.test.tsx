// Widgets drawn to HTML as a page would first draw them (no browser: the HTML widgets need none).
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { deviceGridConfig } from '../../../nodes/dashboard/device-grid/definition';
import { deviceGridWidget } from '../../../nodes/dashboard/device-grid/widget';
import { stateTimelineConfig } from '../../../nodes/dashboard/state-timeline/definition';
import { spansOf, stateTimelineWidget, totalsOf, windowOf } from '../../../nodes/dashboard/state-timeline/widget';
import { statConfig } from '../../../nodes/dashboard/stat/definition';
import { statWidget } from '../../../nodes/dashboard/stat/widget';
import { tableConfig } from '../../../nodes/dashboard/table/definition';
import { tableWidget } from '../../../nodes/dashboard/table/widget';
import { formatDuration, formatNumber, formatPercent, formatValue } from '../../../nodes/dashboard/widget-format';
import type { WidgetHost, WidgetModule } from '../../../nodes/dashboard/widget-host';
import { WidgetHostContext } from '../../../nodes/dashboard/widget-host';

const NOW = Date.UTC(2025, 0, 6, 2, 0, 0);
const i18n = i18next.createInstance();

beforeAll(async () => {
  const widgets = [statWidget, tableWidget, stateTimelineWidget, deviceGridWidget];
  await i18n.use(initReactI18next).init({
    lng: 'zh', fallbackLng: 'zh', interpolation: { escapeValue: false }, showSupportNotice: false,
    resources: { zh: Object.fromEntries(widgets.map((w) => [w.kind, w.messages.zh])), en: Object.fromEntries(widgets.map((w) => [w.kind, w.messages.en])) },
  });
});

function render(widget: WidgetModule, config: unknown, view: unknown, lang: 'zh' | 'en' = 'zh'): string {
  void i18n.changeLanguage(lang);
  const host: WidgetHost = { lang, theme: 'dark', now: () => NOW, canAck: false, alarmsVersion: 0, series: () => Promise.reject(new Error('none')), alarms: () => Promise.resolve([]), ack: () => Promise.resolve() };
  const Widget = widget.component;
  const tree: ReactNode = (
    <I18nextProvider i18n={i18n}>
      <WidgetHostContext.Provider value={host}>
        <Widget config={config} view={view} title="t" />
      </WidgetHostContext.Provider>
    </I18nextProvider>
  );
  return renderToStaticMarkup(tree).replace(/<!-- -->/g, '');
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('number formats', () => {
  it('reads the local way in each language', () => {
    expect(formatNumber(48_213_377, 'zh', 1, true)).toBe('4821.3万');
    expect(formatNumber(48_213_377, 'en', 1, true)).toBe('48.2M');
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatValue(1250, 'zh', 0, 'pcs')).toBe('1,250 件');
    expect(formatValue(1250, 'en', 0, 'pcs')).toBe('1,250 pcs');
    expect(formatPercent(0.735, 'zh')).toBe('73.5 %');
    expect(formatDuration(8_100_000, 'zh')).toBe('2小时15分');
    expect(formatDuration(8_100_000, 'en')).toBe('2 h 15 min');
    expect(formatValue(null, 'zh', 1, '°C')).toBe('—');
  });
});

describe('stat', () => {
  it('shows the value against its target and how it moved', () => {
    const config = statConfig.parse({ unit: 'pcs', decimals: 0, target: 1000 });
    const html = render(statWidget, config, { value: 950, ts: NOW, quality: 'good', trend: [[NOW - 3_600_000, 800], [NOW, 950]] });
    expect(text(html)).toContain('950 件');
    expect(text(html)).toContain('目标 1,000 件');
    expect(text(html)).toContain('未达标');
    expect(text(html)).toContain('1小时内 +150 件');
    expect(html).toContain('is-bad');
    const energy = render(statWidget, statConfig.parse({ unit: 'kWh', target: 5, better: 'lower', decimals: 1 }), { value: 4.2, trend: [[NOW - 60_000, 4.5], [NOW, 4.2]] }, 'en');
    expect(text(energy)).toContain('on target');
    // Lower is better: a falling value is the good direction.
    expect(energy).toContain('w-stat-trend is-up');
  });
});

describe('table', () => {
  it('formats each cell by its column, and says when there is nothing yet', () => {
    const config = tableConfig.parse({ columns: [{ property: 'device', label: { zh: '设备', en: 'Device' } }, { property: 'payload.t', label: { zh: '温度', en: 'Temp' }, unit: '°C', decimals: 1 }] });
    const html = render(tableWidget, config, { rows: { m1: { key: 'm1', ts: NOW, quality: 'good', cells: ['IMM-01', 218.46] }, m2: { key: 'm2', ts: NOW, quality: 'bad', cells: ['IMM-02', null] } } });
    expect(text(html)).toContain('设备 温度 °C IMM-01 218.5 IMM-02 —');
    expect(html).toContain('数据无效');
    expect(text(render(tableWidget, config, undefined, 'en'))).toContain('No data yet');
  });
});

describe('state timeline', () => {
  const view = {
    mode: 'rolling' as const, from: NOW - 3_600_000, windowMs: 3_600_000, shift: null, devices: ['m1', 'm2'],
    segments: { m1: [[NOW - 7_200_000, 'running'], [NOW - 1_800_000, 'fault'], [NOW - 900_000, 'running']] as [number, 'running' | 'fault'][] },
  };

  it('cuts segments to the window and adds up the time in each state', () => {
    const { from, to } = windowOf(view, NOW);
    const spans = spansOf(view.segments.m1, from, to, NOW);
    expect(spans).toEqual([
      { state: 'running', from: NOW - 3_600_000, to: NOW - 1_800_000 },
      { state: 'fault', from: NOW - 1_800_000, to: NOW - 900_000 },
      { state: 'running', from: NOW - 900_000, to: NOW },
    ]);
    expect(totalsOf(spans)).toMatchObject({ running: 2_700_000, fault: 900_000 });
  });

  it('draws a bar per machine, each span where it happened, with its share running', () => {
    const html = render(stateTimelineWidget, stateTimelineConfig.parse({}), view);
    const m1 = html.slice(html.indexOf('data-device="m1"'), html.indexOf('data-device="m2"'));
    expect([...m1.matchAll(/class="w-seg st-(\w[\w-]*)"[^>]*style="left:([\d.]+)%;width:([\d.]+)%"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]))
      .toEqual([['running', 0, 50], ['fault', 50, 25], ['running', 75, 25]]);
    expect(text(m1)).toContain('75 %');
    expect(text(html)).toContain('运行 75 %');
    expect(text(html)).toContain('故障 25 %');
  });
});

describe('device grid', () => {
  it('colours each tile by its state and counts machines per state', () => {
    const config = deviceGridConfig.parse({ fields: [{ property: 'payload.rpm', label: { zh: '转速', en: 'Speed' }, unit: 'rpm' }] });
    const html = render(deviceGridWidget, config, {
      devices: ['L-01', 'L-02', 'L-03'],
      tiles: {
        'L-01': { state: 'running', since: NOW - 600_000, ts: NOW, quality: 'good', values: [620], detail: {} },
        'L-02': { state: 'fault', since: NOW - 120_000, ts: NOW, quality: 'good', values: [0], detail: {} },
        'L-03': { values: [null], detail: {} },
      },
    });
    expect([...html.matchAll(/data-device="([^"]+)" data-state="([^"]+)"/g)].map((m) => [m[1], m[2]])).toEqual([['L-01', 'running'], ['L-02', 'fault'], ['L-03', 'unknown']]);
    expect(text(html)).toContain('运行 1 故障 1 无数据 1');
    expect(text(html)).toContain('L-01 运行 · 10分钟 转速 620 转/分');
  });
});
