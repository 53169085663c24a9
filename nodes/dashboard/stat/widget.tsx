import { useTranslation } from 'react-i18next';
import { formatAs, formatDuration, formatNumber, formatTime, unitText } from '../widget-format';
import { useHost } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { StatConfig } from './definition';
import type { StatView } from './runtime';

/** A sparkline as one SVG path: cheaper than a chart for forty tiles updating every second. */
function Sparkline({ points }: { points: readonly (readonly [number, number])[] }) {
  if (points.length < 2) return null;
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of points) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const dx = t1 - t0 || 1;
  const dy = hi - lo || 1;
  const d = points.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${(((t - t0) / dx) * 100).toFixed(2)},${(28 - ((v - lo) / dy) * 26).toFixed(2)}`).join('');
  return (
    <svg className="w-spark" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
      <path d={d} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

export function statStatus(value: number | null | undefined, config: Pick<StatConfig, 'target' | 'better'>): 'ok' | 'bad' | 'none' {
  if (config.target === undefined || value === null || value === undefined) return 'none';
  const good = config.better === 'higher' ? value >= config.target : value <= config.target;
  return good ? 'ok' : 'bad';
}

function Stat({ config, view }: WidgetProps<StatConfig, StatView>) {
  const { t } = useTranslation('stat');
  const host = useHost();
  const value = view?.value ?? null;
  const trend = view?.trend ?? [];
  const first = trend[0];
  const delta = first !== undefined && value !== null ? value - first[1] : null;
  const status = statStatus(value, config);
  const better = delta === null || delta === 0 ? 'flat' : (delta > 0) === (config.better === 'higher') ? 'up' : 'down';
  const unit = unitText(config.unit, host.lang);
  return (
    <div className={`w-stat is-${status}`}>
      <div className="w-stat-main" title={view?.ts ? t('at', { time: formatTime(view.ts, host.lang) }) : undefined}>
        {config.format === 'percent'
          ? <span className="w-number">{formatAs(value, host.lang, config.decimals, undefined, 'percent')}</span>
          : <><span className="w-number">{formatNumber(value, host.lang, config.decimals, true)}</span>{unit ? <span className="w-unit">{unit}</span> : null}</>}
      </div>
      {config.target !== undefined ? (
        <div className="w-stat-target">
          {t('target', { value: formatAs(config.target, host.lang, config.decimals, config.unit, config.format) })}
          {status !== 'none' ? <span className={`w-badge is-${status}`}>{t(status === 'ok' ? 'met' : 'missed')}</span> : null}
        </div>
      ) : null}
      {delta !== null && first ? (
        <div className={`w-stat-trend is-${better}`}>
          <span aria-hidden="true">{delta > 0 ? '▲' : delta < 0 ? '▼' : '■'}</span>
          {' '}
          {t('change', { delta: `${delta > 0 ? '+' : ''}${formatAs(delta, host.lang, config.decimals, config.unit, config.format)}`, span: formatDuration(host.now() - first[0], host.lang) })}
        </div>
      ) : null}
      {view?.devices !== undefined && config.aggregate !== 'last' ? <div className="w-stat-target">{t(`agg-${config.aggregate}`, { count: view.devices })}</div> : null}
      <Sparkline points={trend} />
    </div>
  );
}

export const statWidget: WidgetModule = {
  kind: 'stat',
  component: Stat,
  messages: {
    zh: { target: '目标 {{value}}', met: '达标', missed: '未达标', change: '{{span}}内 {{delta}}', at: '{{time}} 更新', 'agg-sum': '{{count}} 台合计', 'agg-avg': '{{count}} 台平均', 'agg-min': '{{count}} 台中最低', 'agg-max': '{{count}} 台中最高' },
    en: { target: 'Target {{value}}', met: 'on target', missed: 'off target', change: '{{delta}} in {{span}}', at: 'updated {{time}}', 'agg-sum': 'total of {{count}}', 'agg-avg': 'average of {{count}}', 'agg-min': 'lowest of {{count}}', 'agg-max': 'highest of {{count}}' },
  },
};
