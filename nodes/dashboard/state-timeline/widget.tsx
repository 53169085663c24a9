import { useTranslation } from 'react-i18next';
import type { MachineState } from '../machine-state';
import { formatDuration, formatPercent, formatTime } from '../widget-format';
import type { Lang } from '../widget-format';
import { useHost, useNow } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { StateTimelineConfig } from './definition';
import type { Segment, StateTimelineView } from './runtime';

export const SHOWN_STATES: readonly MachineState[] = ['running', 'idle', 'fault', 'planned-stop', 'offline'];

export interface Span {
  readonly state: MachineState;
  readonly from: number;
  readonly to: number;
}

/** A device's segments cut to the window [from, to), each running until the next one (the last until `now`). */
export function spansOf(segments: readonly Segment[], from: number, to: number, now: number): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < segments.length; i++) {
    const [start, state] = segments[i]!;
    const end = Math.min(i + 1 < segments.length ? segments[i + 1]![0] : now, to);
    const a = Math.max(start, from);
    if (end > a) out.push({ state, from: a, to: end });
  }
  return out;
}

/** Time per state, ms. */
export function totalsOf(spans: readonly Span[]): Record<MachineState, number> {
  const t: Record<MachineState, number> = { running: 0, idle: 0, fault: 0, 'planned-stop': 0, offline: 0 };
  for (const s of spans) t[s.state] += s.to - s.from;
  return t;
}

/** The window drawn: a shift from its start for its length; otherwise the latest span. */
export function windowOf(view: Pick<StateTimelineView, 'mode' | 'from' | 'windowMs'>, now: number): { from: number; to: number } {
  return view.mode === 'shift' ? { from: view.from, to: Math.max(view.from + view.windowMs, now) } : { from: now - view.windowMs, to: now };
}

function ticks(from: number, to: number): number[] {
  const span = to - from;
  const step = [10_000, 30_000, 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 4 * 3_600_000, 12 * 3_600_000, 86_400_000].find((s) => span / s <= 8) ?? 86_400_000;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t < to; t += step) out.push(t);
  return out;
}

const spanParts = (s: Span, lang: Lang) => ({ from: formatTime(s.from, lang, 'short'), to: formatTime(s.to, lang, 'short'), duration: formatDuration(s.to - s.from, lang) });

function StateTimelineWidget({ view }: WidgetProps<StateTimelineConfig, StateTimelineView>) {
  const { t } = useTranslation('state-timeline');
  const host = useHost();
  const now = Math.max(useNow(5_000), host.now());
  if (!view) return <div className="w-empty">{t('empty')}</div>;
  const { from, to } = windowOf(view, now);
  const width = to - from;
  const rows = view.devices.map((device) => {
    const spans = spansOf(view.segments[device] ?? [], from, to, now);
    return { device, spans, totals: totalsOf(spans) };
  });
  const all = totalsOf(rows.flatMap((r) => r.spans));
  const observed = SHOWN_STATES.reduce((a, s) => a + all[s], 0);
  const pct = (ms: number) => `${((ms / width) * 100).toFixed(3)}%`;
  return (
    <div className="w-timeline">
      <div className="w-timeline-head">
        {view.shift ? <span className="w-timeline-shift">{t('shift', { name: view.shift })}</span> : null}
        <ul className="w-timeline-legend">
          {SHOWN_STATES.filter((s) => all[s] > 0 || s === 'running').map((s) => (
            <li key={s} data-state={s}><i className={`st-${s}`} />{t(s)} {formatPercent(observed > 0 ? all[s] / observed : null, host.lang, 0)}</li>
          ))}
        </ul>
      </div>
      <div className="w-timeline-rows" role="list">
        {rows.length === 0 ? <div className="w-empty">{t('empty')}</div> : null}
        {rows.map((r) => {
          const seen = SHOWN_STATES.reduce((a, s) => a + r.totals[s], 0);
          return (
            <div className="w-timeline-row" role="listitem" key={r.device} data-device={r.device}>
              <span className="w-timeline-name" title={r.device}>{r.device}</span>
              <div className="w-timeline-bar" aria-label={t('bar', { device: r.device })}>
                {r.spans.map((s) => (
                  <span key={s.from} className={`w-seg st-${s.state}`} data-state={s.state} data-from={s.from} data-to={s.to}
                    style={{ left: pct(s.from - from), width: pct(s.to - s.from) }} title={t('span', { state: t(s.state), ...spanParts(s, host.lang) })} />
                ))}
                {now < to ? <span className="w-now" style={{ left: pct(now - from) }} /> : null}
              </div>
              <span className="w-timeline-pct" title={t('running-share')}>{formatPercent(seen > 0 ? r.totals.running / seen : null, host.lang, 0)}</span>
            </div>
          );
        })}
      </div>
      <div className="w-timeline-axis" aria-hidden="true">
        {ticks(from, to).map((tick, _i, all) => <span key={tick} style={{ left: pct(tick - from) }}>{formatTime(tick, host.lang, all.length > 1 && all[1]! - all[0]! < 60_000 ? 'time' : 'short')}</span>)}
      </div>
    </div>
  );
}

export const stateTimelineWidget: WidgetModule = {
  kind: 'state-timeline',
  component: StateTimelineWidget,
  messages: {
    zh: {
      running: '运行', idle: '待机', fault: '故障', 'planned-stop': '计划停机', offline: '离线',
      empty: '暂无设备数据', shift: '{{name}}', bar: '{{device}} 的状态时间线', 'running-share': '运行时间占比',
      span: '{{state}} {{from}}–{{to}}（{{duration}}）',
    },
    en: {
      running: 'Running', idle: 'Idle', fault: 'Fault', 'planned-stop': 'Planned stop', offline: 'Offline',
      empty: 'No device data yet', shift: 'Shift: {{name}}', bar: 'State timeline of {{device}}', 'running-share': 'Share of time running',
      span: '{{state}} {{from}}–{{to}} ({{duration}})',
    },
  },
};
