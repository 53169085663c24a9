// Small formatters of the preview panels: times, payloads, durations.
import type { Lang } from '../../../runtime/model';

/** A preview time (ms since the epoch, the preview's clock) as HH:MM:SS in the user's language. */
export function formatTime(at: number, lang: Lang): string {
  return new Date(at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

/** A payload on one line, cut at `max` characters. */
export function formatValue(value: unknown, max = 160): string {
  let s: string;
  if (value === undefined) s = '—';
  else if (typeof value === 'string') s = JSON.stringify(value);
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A payload in full, indented. */
export function prettyValue(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Hours, minutes and seconds of a duration, for a translation with {{h}}, {{min}}, {{s}}. */
export function durationParts(ms: number): { key: 'h' | 'hmin' | 'min' | 's'; h: number; min: number; s: number } {
  const totalMin = Math.floor(ms / 60_000);
  const h = Math.floor(totalMin / 60);
  const min = totalMin % 60;
  const s = Math.round(ms / 1000);
  if (h > 0) return { key: min > 0 ? 'hmin' : 'h', h, min, s };
  if (totalMin > 0) return { key: 'min', h, min, s };
  return { key: 's', h, min, s };
}

/** What a text field holds as a tag's value: bool tags true/false, string tags text, the rest numbers. */
export function tagValue(type: string, text: string): number | boolean | string | undefined {
  const s = text.trim();
  if (type === 'bool') return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
  if (type === 'string') return text;
  return s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined;
}
