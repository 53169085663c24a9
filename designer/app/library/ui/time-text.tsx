import { useLang } from '../../i18n/language';
import { useUi } from './use-ui';

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];

/** "3 minutes ago" in the page's language, for a time in ms. */
export function relativeTime(at: number, now: number, lang: 'zh' | 'en'): string {
  const diff = at - now;
  const rtf = new Intl.RelativeTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return rtf.format(Math.round(diff / ms), unit);
  }
  return '';
}

/** A date and time in the page's language (local time). */
export function formatTime(at: string | number | Date, lang: 'zh' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(at));
}

/**
 * A time from the API (ISO text, or ms since the epoch as runtimes give some): local date and
 * time, "how long ago" beside it when asked, ISO on hover. Anything unreadable is shown as it came.
 */
export function TimeText({ iso, relative = false }: { iso: string | number | null | undefined; relative?: boolean }) {
  const { lang } = useLang();
  const { t } = useUi();
  if (iso === null || iso === undefined || iso === '') return <span className="muted">{t('time.never')}</span>;
  const at = new Date(iso);
  if (!Number.isFinite(at.getTime())) return <span>{String(iso)}</span>;
  return (
    <time dateTime={at.toISOString()} title={at.toISOString()}>
      {formatTime(at, lang)}
      {relative ? <span className="muted"> · {relativeTime(at.getTime(), Date.now(), lang)}</span> : null}
    </time>
  );
}
