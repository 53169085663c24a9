import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { formatDuration, formatNumber, formatPercent, formatTime, pick, unitText } from '../../nodes/dashboard/widget-format';
import type { Figures, Page, Report } from './api';
import { api } from './api';
import type { DashStore } from './store';

const CAUSES = ['fault', 'idle', 'offline', 'plannedStop'] as const;

function Kpi({ label, value, tone }: { label: string; value: string; tone?: 'ok' | 'bad' }) {
  return (
    <div className={`report-kpi${tone ? ` is-${tone}` : ''}`}>
      <span>{label}</span>
      <b>{value}</b>
    </div>
  );
}

/** Downtime by cause as one stacked bar: HTML, so it prints sharp and needs no chart code. */
function DowntimeBar({ f }: { f: Figures }) {
  const { t } = useTranslation();
  const total = CAUSES.reduce((a, c) => a + f.stopMs[c], 0);
  if (total === 0) return <span className="report-none">—</span>;
  return (
    <span className="report-stops">
      {CAUSES.filter((c) => f.stopMs[c] > 0).map((c) => (
        <i key={c} className={`st-${c === 'plannedStop' ? 'planned-stop' : c}`} style={{ width: `${(f.stopMs[c] / total) * 100}%` }} title={t(`report-${c}`)} />
      ))}
    </span>
  );
}

export function ReportPage({ store, page }: { store: DashStore; page: Page }) {
  const { t } = useTranslation();
  const lang = useStore(store, (s) => s.lang);
  const [date, setDate] = useState<string | undefined>();
  const [period, setPeriod] = useState<number | 'day'>('day');
  const [report, setReport] = useState<Report | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    api.report(page.id, date, period).then((r) => {
      if (cancelled) return;
      setReport(r);
      if (date === undefined) setDate(r.date);
    }, (err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [page.id, date, period]);

  const unit = unitText(report?.unit ?? page.report?.unit ?? 'pcs', lang);
  const energyUnit = report?.energyUnit ?? null;
  const f = report?.total;
  const dur = (ms: number) => (ms > 0 ? formatDuration(ms, lang) : '—');
  const tone = (v: number | null, target: number) => (v === null ? undefined : v >= target ? 'ok' : 'bad');

  return (
    <article className="report">
      <header className="report-head">
        <h1>{t('report-title', { page: pick(page.title, lang) })}</h1>
        {report ? <p className="report-range">{t('report-period-line', { from: formatTime(report.from, lang, 'datetime'), to: formatTime(report.to, lang, 'datetime') })}</p> : null}
        <div className="report-controls">
          <label>
            <span>{t('report-date')}</span>
            <input type="date" value={date ?? ''} onChange={(e) => e.target.value && setDate(e.target.value)} />
          </label>
          <label>
            <span>{t('report-period')}</span>
            <select value={String(period)} onChange={(e) => setPeriod(e.target.value === 'day' ? 'day' : Number(e.target.value))}>
              <option value="day">{t('report-day')}</option>
              {(report?.shifts ?? page.report?.shifts ?? []).map((s, i) => <option key={s.name} value={i}>{s.name}</option>)}
            </select>
          </label>
          <button type="button" onClick={() => print()}>{t('report-print')}</button>
          {report ? <a className="app-button" href={api.reportCsvUrl(page.id, report.date, period, lang)} download>{t('report-csv')}</a> : null}
        </div>
      </header>
      {error ? <p className="w-error">{t('error-load', { message: error })}</p> : null}
      {!report && !error ? <p>{t('loading')}</p> : null}
      {f && report ? (
        <>
          <section className="report-kpis">
            <Kpi label={t('report-output')} value={`${formatNumber(f.total, lang, 0)} ${unit}`} />
            <Kpi label={t('report-oee')} value={formatPercent(f.oee, lang)} tone={tone(f.oee, 0.6)} />
            <Kpi label={t('report-availability')} value={formatPercent(f.availability, lang)} />
            <Kpi label={t('report-performance')} value={formatPercent(f.performance, lang)} />
            <Kpi label={t('report-quality')} value={formatPercent(f.quality, lang)} />
            {energyUnit ? <Kpi label={t('report-energy-unit')} value={f.energyPerUnit === null ? '—' : `${formatNumber(f.energyPerUnit, lang, 3)} ${energyUnit}/${unit}`} /> : null}
          </section>
          {report.rows.length === 0 ? <p className="report-note">{t('report-empty')}</p> : null}
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">{t('report-device')}</th>
                <th scope="col" className="is-num">{t('report-output')}</th>
                <th scope="col" className="is-num">{t('report-good')}</th>
                <th scope="col" className="is-num">{t('report-availability')}</th>
                <th scope="col" className="is-num">{t('report-performance')}</th>
                <th scope="col" className="is-num">{t('report-quality')}</th>
                <th scope="col" className="is-num">{t('report-oee')}</th>
                <th scope="col" className="is-num">{t('report-run')}</th>
                {CAUSES.map((c) => <th key={c} scope="col" className="is-num">{t(`report-${c}`)}</th>)}
                <th scope="col">{t('report-downtime')}</th>
                {energyUnit ? <th scope="col" className="is-num">{t('report-energy')} ({energyUnit})</th> : null}
                {energyUnit ? <th scope="col" className="is-num">{t('report-energy-unit')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {[...report.rows.map((r) => ({ name: r.device, f: r as Figures })), { name: t('report-total'), f }].map(({ name, f: x }, i) => (
                <tr key={name} className={i === report.rows.length ? 'is-total' : ''}>
                  <th scope="row">{name}</th>
                  <td className="is-num">{formatNumber(x.total, lang, 0)}</td>
                  <td className="is-num">{formatNumber(x.good, lang, 0)}</td>
                  <td className="is-num">{formatPercent(x.availability, lang)}</td>
                  <td className="is-num">{formatPercent(x.performance, lang)}</td>
                  <td className="is-num">{formatPercent(x.quality, lang)}</td>
                  <td className="is-num"><b>{formatPercent(x.oee, lang)}</b></td>
                  <td className="is-num">{dur(x.runMs)}</td>
                  {CAUSES.map((c) => <td key={c} className="is-num">{dur(x.stopMs[c])}</td>)}
                  <td><DowntimeBar f={x} /></td>
                  {energyUnit ? <td className="is-num">{formatNumber(x.energy, lang, 1)}</td> : null}
                  {energyUnit ? <td className="is-num">{formatNumber(x.energyPerUnit, lang, 3)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
          <footer className="report-foot">{t('report-printed', { time: formatTime(Date.now(), lang, 'datetime') })}</footer>
        </>
      ) : null}
    </article>
  );
}
