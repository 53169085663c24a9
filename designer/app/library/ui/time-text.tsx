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
export function formatTime(iso: string, lang: 'zh' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

/** A time from the API: local date and time, "how long ago" beside it when asked, ISO on hover. */
export function TimeText({ iso, relative = false }: { iso: string | null | undefined; relative?: boolean }) {
  const { lang } = useLang();
  const { t } = useUi();
  if (!iso) return <span className="muted">{t('time.never')}</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso, lang)}
      {relative ? <span className="muted"> · {relativeTime(Date.parse(iso), Date.now(), lang)}</span> : null}
    </time>
  );
}
