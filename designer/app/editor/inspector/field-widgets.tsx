import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../i18n/language';
import type { ProfileInfo } from '../editor-context';

interface InputProps<T> {
  readonly id: string;
  readonly value: T | undefined;
  readonly invalid: boolean;
  readonly placeholder?: string;
  onChange(value: unknown): void;
}

const show = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

/**
 * Text that stays as typed while the stored value follows it: a number when it reads as one,
 * else the text itself, which the flow validation then rejects on the field ("expected number").
 */
export function NumberInput({ id, value, invalid, placeholder, onChange, scale = 1 }: InputProps<unknown> & { scale?: number }) {
  const shown = typeof value === 'number' ? String(value / scale) : show(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    const n = text.trim() === '' ? undefined : Number(text);
    const current = n === undefined || Number.isNaN(n) ? text : n * scale;
    if (current !== value && !(current === '' && value === undefined)) setText(shown);
    // Only an outside change (undo, another field) rewrites the text.
  }, [value, scale]);
  return (
    <input
      id={id}
      inputMode="decimal"
      value={text}
      aria-invalid={invalid}
      placeholder={placeholder}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        if (t.trim() === '') return onChange(undefined);
        const n = Number(t);
        onChange(Number.isFinite(n) ? Math.round(n * scale * 1e9) / 1e9 : t);
      }}
    />
  );
}

const DURATION_UNITS = [['ms', 1], ['s', 1000], ['min', 60_000], ['h', 3_600_000]] as const;
const bestUnit = (ms: unknown) => {
  if (typeof ms !== 'number' || ms === 0) return 1;
  for (const [, f] of [...DURATION_UNITS].reverse()) if (ms % f === 0) return f;
  return 1;
};

/** Milliseconds, typed in ms, s, min or h. */
export function DurationInput(props: InputProps<unknown>) {
  const { t } = useTranslation('editor');
  const [scale, setScale] = useState<number>(() => bestUnit(props.value));
  return (
    <span className="duration">
      <NumberInput {...props} scale={scale} />
      <select aria-label={t('inspector.unit')} value={scale} onChange={(e) => setScale(Number(e.target.value))}>
        {DURATION_UNITS.map(([u, f]) => <option key={u} value={f}>{t(`inspector.durationUnits.${u}`)}</option>)}
      </select>
    </span>
  );
}

/** Any JSON value, checked as it is typed; what does not parse stays here and is not stored. */
export function JsonInput({ id, value, invalid, onChange }: InputProps<unknown>) {
  const { t } = useTranslation('editor');
  const shown = value === undefined ? '' : JSON.stringify(value, null, 1);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let same: boolean;
    try {
      same = text.trim() === '' ? value === undefined : JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
    } catch {
      same = false;
    }
    if (!same && !error) setText(shown);
  }, [value]);
  return (
    <>
      <textarea
        id={id}
        className="json"
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        value={text}
        spellCheck={false}
        aria-invalid={invalid || error !== undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (next.trim() === '') {
            setError(undefined);
            return onChange(undefined);
          }
          try {
            const parsed: unknown = JSON.parse(next);
            setError(undefined);
            onChange(parsed);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error ? <p className="field-error">{t('inspector.json.invalid', { why: error })}</p> : null}
    </>
  );
}

/** A list of strings typed as `a, b, c`. */
export function StringListInput({ id, value, invalid, onChange }: InputProps<unknown>) {
  const { t } = useTranslation('editor');
  const shown = Array.isArray(value) ? value.join(', ') : show(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
    if (JSON.stringify(parts) !== JSON.stringify(value ?? [])) setText(shown);
  }, [value]);
  return (
    <input
      id={id}
      value={text}
      aria-invalid={invalid}
      placeholder={t('inspector.commaList')}
      onChange={(e) => {
        setText(e.target.value);
        const parts = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
        onChange(parts.length === 0 ? undefined : parts);
      }}
    />
  );
}

const CRON_PRESETS = [['everyMinute', '* * * * *'], ['every15', '*/15 * * * *'], ['hourly', '0 * * * *'], ['daily8', '0 8 * * *'], ['weekdays8', '0 8 * * 1-5']] as const;

/** A cron expression with the usual ones a pick away. */
export function ScheduleInput({ id, value, invalid, onChange }: InputProps<unknown>) {
  const { t } = useTranslation('editor');
  return (
    <span className="schedule">
      <input id={id} value={show(value)} aria-invalid={invalid} spellCheck={false} onChange={(e) => onChange(e.target.value)} placeholder="*/15 * * * *" />
      <select aria-label={t('inspector.presets')} value="" onChange={(e) => e.target.value && onChange(e.target.value)}>
        <option value="">{t('inspector.presets')}</option>
        {CRON_PRESETS.map(([k, cron]) => <option key={k} value={cron}>{t(`inspector.cronPresets.${k}`)} ({cron})</option>)}
      </select>
    </span>
  );
}

/** One tag (a select) or several (checkboxes) of a device profile. */
export function TagPicker({ id, value, invalid, onChange, profile, multiple }: InputProps<unknown> & { profile: ProfileInfo; multiple: boolean }) {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  if (!multiple) {
    return (
      <select id={id} value={show(value)} aria-invalid={invalid} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{t('inspector.chooseTag')}</option>
        {profile.tags.map((tag) => <option key={tag.key} value={tag.key}>{tag.key} · {text(tag.label)}{tag.unit ? ` (${tag.unit})` : ''}</option>)}
      </select>
    );
  }
  const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
  return (
    <div id={id} className="tag-list" aria-invalid={invalid}>
      <p className="muted small">{t('inspector.tagsHint')}</p>
      {profile.tags.map((tag) => (
        <label key={tag.key} className="check">
          <input
            type="checkbox"
            checked={chosen.has(tag.key)}
            onChange={(e) => {
              const next = profile.tags.map((x) => x.key).filter((k) => (k === tag.key ? e.target.checked : chosen.has(k)));
              onChange(next);
            }}
          />
          {tag.key} · {text(tag.label)}{tag.unit ? ` (${tag.unit})` : ''}
        </label>
      ))}
    </div>
  );
}
