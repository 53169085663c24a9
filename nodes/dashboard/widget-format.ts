// Numbers, units, times and durations the way a zh-CN or English reader expects them.
export type Lang = 'zh' | 'en';

/** Dates in British order with a 24-hour clock, numbers with US-style compact suffixes (1.2M): what a factory reads in English. */
export const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-GB');
const numberLocale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-US');

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, decimals: number, compact: boolean): Intl.NumberFormat {
  const key = `${lang}|${decimals}|${compact}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(numberLocale(lang), compact
      ? { notation: 'compact', maximumFractionDigits: Math.max(1, decimals) }
      : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(key, f);
  }
  return f;
}

/** `1,234.5`; with `compact`, large numbers the local way (zh: 4,821.3万, en: 48.2M). */
export function formatNumber(value: number | null | undefined, lang: Lang, decimals = 1, compact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(lang, decimals, compact && Math.abs(value) >= 100_000).format(value);
}

/** A ratio (0.735) as a percentage (73.5 %). */
export function formatPercent(ratio: number | null | undefined, lang: Lang, decimals = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${formatNumber(ratio * 100, lang, decimals)} %`;
}

/** Units that read differently in Chinese; others (°C, kWh, %) are the same in both. */
const UNIT_ZH: Record<string, string> = { pcs: '件', h: '小时', min: '分钟', s: '秒', rpm: '转/分', m: '米', 'picks/cm': '纬/厘米', 'kWh/pcs': 'kWh/件' };

export function unitText(unit: string | undefined, lang: Lang): string {
  if (!unit) return '';
  return lang === 'zh' ? UNIT_ZH[unit] ?? unit : unit;
}

/** A value as its widget is told to show it: a ratio as a percentage, else a number with its unit. */
export function formatAs(value: number | null | undefined, lang: Lang, decimals: number, unit: string | undefined, format: 'number' | 'percent' = 'number', compact = false): string {
  return format === 'percent' ? formatPercent(value, lang, decimals) : formatValue(value, lang, decimals, unit, compact);
}

/** Value and unit, e.g. `221.3 °C`, `1,250 件`. */
export function formatValue(value: number | null | undefined, lang: Lang, decimals: number, unit?: string, compact = false): string {
  const u = unitText(unit, lang);
  const n = formatNumber(value, lang, decimals, compact);
  if (!u || n === '—') return n;
  return u === '%' ? `${n} %` : `${n} ${u}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(lang: Lang, kind: 'time' | 'short' | 'datetime' | 'date'): Intl.DateTimeFormat {
  const key = `${lang}|${kind}`;
  let f = timeFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = kind === 'time' ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }
      : kind === 'short' ? { hour: '2-digit', minute: '2-digit', hour12: false }
        : kind === 'date' ? { year: 'numeric', month: '2-digit', day: '2-digit' }
          : { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false };
    f = new Intl.DateTimeFormat(locale(lang), options);
    timeFormats.set(key, f);
  }
  return f;
}

export function formatTime(ts: number | null | undefined, lang: Lang, kind: 'time' | 'short' | 'datetime' | 'date' = 'time'): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '—';
  return dateFormat(lang, kind).format(ts);
}

/** `2 h 15 min` / `2小时15分`; seconds only under a minute. */
export function formatDuration(ms: number, lang: Lang): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (lang === 'zh') {
    if (h > 0) return `${h}小时${m > 0 ? `${m}分` : ''}`;
    return m > 0 ? `${m}分钟` : `${s}秒`;
  }
  if (h > 0) return `${h} h${m > 0 ? ` ${m} min` : ''}`;
  return m > 0 ? `${m} min` : `${s} s`;
}

/** A `{ zh, en }` label or one string for both. */
export function pick(label: string | { zh: string; en: string } | undefined | null, lang: Lang): string {
  if (label === undefined || label === null) return '';
  return typeof label === 'string' ? label : label[lang] || label.zh;
}
