import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cssVar } from '../widget-colors';
import { useEChart } from '../widget-echarts';
import { formatAs, formatNumber, formatTime, unitText } from '../widget-format';
import { useHost } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { GaugeConfig } from './definition';
import type { GaugeView } from './runtime';

const BAND_VAR = { ok: '--ok', warn: '--warn', alarm: '--alarm' } as const;

function Gauge({ config, view }: WidgetProps<GaugeConfig, GaugeView>) {
  const { t } = useTranslation('gauge');
  const host = useHost();
  const value = view?.value ?? null;
  const span = config.max - config.min;
  const [roomy, setRoomy] = useState(true);
  const option = useMemo(() => {
    const bands: [number, string][] = config.bands.length > 0
      ? config.bands.map((b) => [Math.min(1, Math.max(0, (b.to - config.min) / span)), cssVar(BAND_VAR[b.color])])
      : [[1, cssVar('--series-1')]];
    if (bands[bands.length - 1]![0] < 1) bands.push([1, bands[bands.length - 1]![1]]);
    return {
      animation: false,
      aria: { enabled: true },
      series: [{
        type: 'gauge',
        min: config.min,
        max: config.max,
        startAngle: 210,
        endAngle: -30,
        radius: '95%',
        center: ['50%', '58%'],
        axisLine: { lineStyle: { width: 10, color: bands } },
        progress: { show: false },
        pointer: { width: 4, length: '62%', itemStyle: { color: cssVar('--fg') } },
        anchor: { show: true, size: 8, itemStyle: { color: cssVar('--fg') } },
        // A small dial keeps its arc and needle; its scale would only be clutter.
        axisTick: { show: roomy, distance: -10, length: 4, lineStyle: { color: cssVar('--muted'), width: 1 } },
        splitLine: { show: roomy, distance: -10, length: 10, lineStyle: { color: cssVar('--muted'), width: 1 } },
        axisLabel: { show: roomy, distance: 14, color: cssVar('--muted'), fontSize: 10, formatter: (v: number) => (config.format === 'percent' ? formatNumber(v * 100, host.lang, 0) : formatNumber(v, host.lang, 0)) },
        title: { show: false },
        detail: { show: false },
        data: [{ value: value ?? config.min, name: t('value') }],
      }],
    };
  }, [config, span, value, host.lang, host.theme, t, roomy]);
  const { ref, size } = useEChart(option, host.lang);
  useEffect(() => setRoomy(size.height === 0 || size.height >= 140), [size.height]);
  const stale = view?.quality !== undefined && view.quality !== 'good';
  return (
    <div className="w-gauge">
      <div className="w-chart" ref={ref} />
      <div className={`w-gauge-value${stale ? ' is-stale' : ''}`} title={view?.ts ? t('at', { time: formatTime(view.ts, host.lang) }) : undefined}>
        {config.format === 'percent'
          ? <span className="w-number">{formatAs(value, host.lang, config.decimals, undefined, 'percent')}</span>
          : <><span className="w-number">{formatNumber(value, host.lang, config.decimals)}</span>{config.unit ? <span className="w-unit">{unitText(config.unit, host.lang)}</span> : null}</>}
      </div>
    </div>
  );
}

export const gaugeWidget: WidgetModule = {
  kind: 'gauge',
  component: Gauge,
  messages: {
    zh: { value: '数值', at: '{{time}} 更新' },
    en: { value: 'Value', at: 'updated {{time}}' },
  },
};
