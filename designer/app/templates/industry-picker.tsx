import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';
import { FieldProblems } from './field-problems';
import type { IndustryEntry } from './template-api';
import { templateApi } from './template-api';

/** A GB/T 4754-2017 code: the current one with its name, and a search of the catalog to change it. */
export function IndustryPicker({ id, label, value, onChange, problems = [], disabled }: {
  id: string;
  label: string;
  value: string;
  onChange: (code: string) => void;
  problems?: readonly ApiErrorDetail[];
  disabled?: boolean;
}) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const [current, setCurrent] = useState<IndustryEntry | null | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<{ readonly q: string; readonly entries: readonly IndustryEntry[] }>({ q: '', entries: [] });

  useEffect(() => {
    if (!value) {
      setCurrent(undefined);
      return;
    }
    let live = true;
    templateApi.industry(value).then((a) => live && setCurrent(a.entry), () => live && setCurrent(null));
    return () => {
      live = false;
    };
  }, [value]);

  useEffect(() => {
    const q = query.trim();
    if (q === '') return;
    let live = true;
    const timer = setTimeout(() => {
      templateApi.industries(q).then((a) => live && setHits({ q, entries: a.entries }), () => live && setHits({ q, entries: [] }));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  return (
    <div className="field industry-picker" data-field={id}>
      <label htmlFor={id}>{label}</label>
      <div className="industry-current">
        <code>{value || '—'}</code>
        <span>{current ? text(current.name) : current === null ? t('industry.unknown', { code: value }) : ''}</span>
      </div>
      {disabled ? null : (
        <div className="industry-search">
          <input id={id} type="search" value={query} placeholder={t('industry.search')} aria-invalid={problems.length > 0} onChange={(e) => setQuery(e.target.value)} />
          {query.trim() !== '' && hits.q === query.trim() ? (
            <ul className="industry-hits" role="listbox" aria-label={label}>
              {hits.entries.length === 0 ? <li className="muted">{t('industry.none')}</li> : hits.entries.map((h) => (
                <li key={h.code} role="option" aria-selected={h.code === value}>
                  <button type="button" className="link" onClick={() => {
                    onChange(h.code);
                    setQuery('');
                  }}>
                    <code>{h.code}</code> {text(h.name)}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      <FieldProblems problems={problems} />
    </div>
  );
}
