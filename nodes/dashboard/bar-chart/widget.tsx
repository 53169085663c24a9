import { useTranslation } from 'react-i18next';
import { cssVar, palette } from '../widget-colors';
import { useEChart } from '../widget-echarts';
import { formatAs, formatNumber, pick } from '../widget-format';
import { useHost } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { BarChartConfig } from './definition';
import type { BarChartView } from './runtime';

function BarChartWidget({ config, view }: WidgetProps<BarChartConfig, BarChartView>) {
  const { t } = useTranslation('bar-chart');
  const host = useHost();
  const categories = view?.categories ?? [];
  const values = view?.values ?? [];
  const colors = palette();
  const names = config.fields.map((f, i) => pick(f.label, host.lang) || (config.fields.length === 1 ? t('value') : f.property) || String(i + 1));
  const category = { type: 'category', data: categories, axisLabel: { color: cssVar('--muted'), interval: 0, hideOverlap: true }, axisLine: { lineStyle: { color: cssVar('--border') } } };
  const value = { type: 'value', axisLabel: { color: cssVar('--muted'), formatter: (v: number) => (config.format === 'percent' ? formatAs(v, host.lang, 0, undefined, 'percent') : formatNumber(v, host.lang, Math.min(config.decimals, 2), true)) }, splitLine: { lineStyle: { color: cssVar('--grid') } } };
  const option = {
    animation: false,
    aria: { enabled: true },
    color: colors,
    grid: { left: 8, right: 12, top: config.fields.length > 1 ? 28 : 12, bottom: 8, containLabel: true },
    legend: config.fields.length > 1 ? { top: 0, textStyle: { color: cssVar('--fg') }, itemWidth: 12, itemHeight: 8 } : { show: false },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => formatAs(v, host.lang, config.decimals, config.unit, config.format), backgroundColor: cssVar('--panel'), borderColor: cssVar('--border'), textStyle: { color: cssVar('--fg') } },
    xAxis: config.horizontal ? value : category,
    yAxis: config.horizontal ? { ...category, inverse: true } : value,
    series: config.fields.map((_, i) => ({
      type: 'bar',
      name: names[i],
      data: values[i] ?? [],
      barMaxWidth: 36,
      ...(config.stacked ? { stack: 'all' } : {}),
      label: { show: categories.length <= 12, position: config.stacked ? 'inside' : config.horizontal ? 'right' : 'top', color: cssVar('--fg'), formatter: (p: { value: number | null }) => (config.format === 'percent' ? formatAs(p.value, host.lang, config.decimals, undefined, 'percent') : formatNumber(p.value, host.lang, config.decimals, true)) },
    })),
  };
  const { ref } = useEChart(option, host.lang);
  return (
    <div className="w-bar">
      {categories.length === 0 ? <div className="w-empty">{t('empty')}</div> : null}
      <div className="w-chart" ref={ref} />
    </div>
  );
}

export const barChartWidget: WidgetModule = {
  kind: 'bar-chart',
  component: BarChartWidget,
  messages: {
    zh: { value: '数值', empty: '暂无数据' },
    en: { value: 'Value', empty: 'No data yet' },
  },
};
