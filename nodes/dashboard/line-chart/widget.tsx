import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cssVar, palette } from '../widget-colors';
import { useEChart } from '../widget-echarts';
import type { EChartsType } from '../widget-echarts';
import { formatAs, formatNumber, formatTime, pick } from '../widget-format';
import { useHost } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { LineChartConfig } from './definition';
import type { Line, LineChartView, LinePoint } from './runtime';

export const RANGES = { '1h': 3_600_000, '8h': 8 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type RangeKey = 'live' | keyof typeof RANGES | 'custom';

interface Loaded {
  readonly from: number;
  readonly to: number;
  readonly data: Readonly<Record<string, readonly LinePoint[]>>;
}

/** Points of `overview` outside the detail window, the detail inside it: zooming in sharpens only what is shown. */
export function spliceDetail(overview: readonly LinePoint[], detail: Loaded | undefined, key: string): readonly LinePoint[] {
  const inside = detail?.data[key];
  if (!detail || !inside) return overview;
  const before = overview.filter((p) => p[0] < detail.from);
  const after = overview.filter((p) => p[0] >= detail.to);
  return [...before, ...inside, ...after];
}

const toInputValue = (ts: number) => {
  const d = new Date(ts - new Date(ts).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

function LineChartWidget({ config, view, widgetKey }: WidgetProps<LineChartConfig, LineChartView>) {
  const { t } = useTranslation('line-chart');
  const host = useHost();
  const initial = (host.range && (host.range in RANGES || host.range === 'live') ? host.range : 'live') as RangeKey;
  const [range, setRange] = useState<RangeKey>(initial);
  const [custom, setCustom] = useState<{ from: number; to: number }>(() => ({ from: host.now() - 86_400_000, to: host.now() }));
  const [overview, setOverview] = useState<Loaded | undefined>();
  const [detail, setDetail] = useState<Loaded | undefined>();
  const [error, setError] = useState<string | undefined>();
  const chartRef = useRef<EChartsType | null>(null);
  const boxRef = useRef<HTMLDivElement | null>(null);
  const seriesByKey = useMemo(() => new Map(config.series.map((s) => [s.key, s])), [config.series]);
  const lines: [string, Line][] = Object.entries(view?.lines ?? Object.fromEntries(config.series.filter((s) => !s.perDevice).map((s) => [s.key, { series: s.key }])));
  // The lines with a stored history, as they are when a range is chosen (a device seen later joins at the next choice).
  const linesKey = lines.filter(([, l]) => seriesByKey.get(l.series)?.history).map(([id]) => id).join('|');
  const withHistory = useMemo(() => lines.filter(([, l]) => seriesByKey.get(l.series)?.history !== undefined),
    // Recomputed when the set of lines changes, not on every data update.
    [linesKey, seriesByKey]);

  const bounds = useCallback((): { from: number; to: number } => {
    if (range === 'custom') return custom;
    const now = host.now();
    return { from: now - (range === 'live' ? config.windowMs : RANGES[range]), to: now };
  }, [range, custom, host, config.windowMs]);

  const maxPoints = () => Math.min(8_000, Math.max(400, Math.round((boxRef.current?.clientWidth ?? 800) * 4)));

  const load = useCallback(async (from: number, to: number): Promise<Loaded> => {
    const answers = await Promise.all(withHistory.map(([, l]) => host.series(widgetKey!, l.series, from, to, maxPoints(), l.device)));
    return { from, to, data: Object.fromEntries(withHistory.map(([id], i) => [id, answers[i]!.points])) };
  }, [withHistory, host, widgetKey]);

  // A history range loads once when chosen; live points keep the end of it current.
  useEffect(() => {
    setDetail(undefined);
    setError(undefined);
    if (range === 'live' || withHistory.length === 0 || widgetKey === undefined) {
      setOverview(undefined);
      return undefined;
    }
    let cancelled = false;
    const { from, to } = bounds();
    setOverview(undefined);
    load(from, to).then((l) => !cancelled && setOverview(l), (err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
    // `bounds` moves with the clock; reload only when the range itself changes.
  }, [range, custom, withHistory, widgetKey, load]);

  const [zoom, setZoom] = useState<{ from: number; to: number } | undefined>();
  const zoomTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onChart = useCallback((chart: EChartsType) => {
    chartRef.current = chart;
    chart.on('datazoom', () => {
      clearTimeout(zoomTimer.current);
      zoomTimer.current = setTimeout(() => {
        const axis = (chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] }).dataZoom?.[0];
        if (axis?.startValue === undefined || axis.endValue === undefined) return;
        setZoom({ from: axis.startValue, to: axis.endValue });
      }, 350);
    });
    chart.on('finished', () => {
      const el = boxRef.current;
      if (el && el.dataset.history === 'loaded' && el.dataset.drawn !== el.dataset.loadedAt) {
        el.dataset.drawn = el.dataset.loadedAt;
        // The benchmark reads this mark: history on screen, not merely fetched.
        performance.mark('kaiwu-history-drawn');
      }
    });
  }, []);

  useEffect(() => {
    if (!zoom || !overview || range === 'live') return undefined;
    // Sharper data only when the zoomed span is much narrower than what was loaded.
    if ((zoom.to - zoom.from) * 3 > overview.to - overview.from) {
      setDetail(undefined);
      return undefined;
    }
    let cancelled = false;
    load(zoom.from, zoom.to).then((l) => !cancelled && setDetail(l), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [zoom, overview, range, load]);

  const colors = palette();
  const { from, to } = bounds();
  const live = view?.data ?? {};
  const several = config.series.length > 1;
  const series = lines.map(([id, line], i) => {
    const s = seriesByKey.get(line.series) ?? config.series[0]!;
    let points: readonly LinePoint[] = live[id] ?? [];
    const base = overview?.data[id];
    if (range !== 'live' && base) {
      const last = base.length > 0 ? base[base.length - 1]![0] : from;
      points = [...spliceDetail(base, detail, id), ...points.filter((p) => p[0] > last && p[0] <= to)];
    } else {
      points = points.filter((p) => p[0] >= from && p[0] <= to);
    }
    const label = pick(s.label, host.lang) || s.key;
    const name = line.device === undefined ? label : several ? `${label} · ${line.device}` : line.device;
    return { id, s, name, points, color: colors[i % colors.length]! };
  });

  // Rebuilt on every render: a render means new data (the view, a loaded range or the theme).
  const option = {
    animation: false,
    aria: { enabled: true },
    color: series.map((x) => x.color),
    grid: { left: 8, right: 12, top: 10, bottom: range === 'live' ? 8 : 40, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number | null) => formatAs(v, host.lang, config.decimals, config.unit, config.format),
      backgroundColor: cssVar('--panel'),
      borderColor: cssVar('--border'),
      textStyle: { color: cssVar('--fg') },
    },
    xAxis: {
      type: 'time',
      min: from,
      max: to,
      axisLabel: { color: cssVar('--muted'), hideOverlap: true, formatter: (v: number) => formatTime(v, host.lang, to - from > 86_400_000 ? 'datetime' : to - from > 600_000 ? 'short' : 'time') },
      axisLine: { lineStyle: { color: cssVar('--border') } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      scale: true,
      ...(config.yMin === undefined ? {} : { min: config.yMin }),
      ...(config.yMax === undefined ? {} : { max: config.yMax }),
      axisLabel: { color: cssVar('--muted'), formatter: (v: number) => (config.format === 'percent' ? formatAs(v, host.lang, 0, undefined, 'percent') : formatNumber(v, host.lang, Math.min(config.decimals, 2), true)) },
      splitLine: { lineStyle: { color: cssVar('--grid') } },
    },
    dataZoom: range === 'live' ? [] : [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', height: 16, bottom: 6, filterMode: 'none', borderColor: cssVar('--border'), textStyle: { color: cssVar('--muted') }, labelFormatter: (v: number) => formatTime(v, host.lang, 'datetime') },
    ],
    series: series.map(({ name, points }) => ({
      type: 'line',
      name,
      showSymbol: false,
      connectNulls: false,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      data: points,
    })),
  };

  const { ref } = useEChart(option, host.lang, onChart);
  const setBox = (el: HTMLDivElement | null) => {
    boxRef.current = el;
  };
  const loaded = range === 'live' || withHistory.length === 0 || overview !== undefined;

  return (
    <div className="w-line" ref={setBox} data-history={range !== 'live' && overview ? 'loaded' : 'none'} data-loaded-at={overview ? `${overview.from}-${overview.to}` : ''}>
      <div className="w-toolbar" role="group" aria-label={t('range')}>
        {(['live', '1h', '8h', '24h', '7d', 'custom'] as const).filter((r) => r === 'live' || withHistory.length > 0).map((r) => (
          <button key={r} type="button" className={r === range ? 'is-on' : ''} aria-pressed={r === range} onClick={() => setRange(r)}>{t(`r-${r}`)}</button>
        ))}
        {range === 'custom' ? (
          <span className="w-custom">
            <input type="datetime-local" aria-label={t('from')} value={toInputValue(custom.from)} onChange={(e) => { const v = Date.parse(e.target.value); if (!Number.isNaN(v) && v < custom.to) setCustom({ ...custom, from: v }); }} />
            <input type="datetime-local" aria-label={t('to')} value={toInputValue(custom.to)} onChange={(e) => { const v = Date.parse(e.target.value); if (!Number.isNaN(v) && v > custom.from) setCustom({ ...custom, to: v }); }} />
          </span>
        ) : null}
        {!loaded && !error ? <span className="w-loading">{t('loading')}</span> : null}
        {error ? <span className="w-error">{t('failed')}</span> : null}
      </div>
      <div className="w-chart" ref={ref} />
      <ul className="w-legend">
        {series.map(({ id, s, name, points, color }) => {
          const last = [...(live[id] ?? [])].reverse().find((p) => p[1] !== null);
          return (
            <li key={id} data-series={id}>
              <i style={{ background: color }} />
              <span className="w-legend-label">{name}</span>
              <span className="w-legend-value">{formatAs(last?.[1] ?? null, host.lang, config.decimals, s.unit ?? config.unit, config.format)}</span>
              <span className="sr-only">{t('points', { count: points.length })}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export const lineChartWidget: WidgetModule = {
  kind: 'line-chart',
  component: LineChartWidget,
  messages: {
    zh: {
      range: '时间范围', 'r-live': '实时', 'r-1h': '1小时', 'r-8h': '8小时', 'r-24h': '24小时', 'r-7d': '7天', 'r-custom': '自定义',
      from: '开始时间', to: '结束时间', loading: '正在加载历史…', failed: '历史数据加载失败', points_one: '{{count}} 个点', points_other: '{{count}} 个点',
    },
    en: {
      range: 'Time range', 'r-live': 'Live', 'r-1h': '1 h', 'r-8h': '8 h', 'r-24h': '24 h', 'r-7d': '7 days', 'r-custom': 'Custom',
      from: 'From', to: 'To', loading: 'Loading history…', failed: 'Could not load the history', points_one: '{{count}} point', points_other: '{{count}} points',
    },
  },
};
