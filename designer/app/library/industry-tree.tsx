import { useState } from 'react';
import { api } from '../api';
import { useLang } from '../i18n/language';
import type { IndustriesAnswer, IndustryAnswer, IndustryEntry } from './library-types';
import { ApiErrorBox } from './ui/api-error-box';
import { asApiError } from './ui/api-problems';
import { useApi } from './ui/use-api';
import { useLibraryMessages } from './use-library-messages';

interface Props {
  /** The chosen code, or undefined for every industry. */
  readonly selected: string | undefined;
  readonly onSelect: (code: string | undefined) => void;
  /** Templates per industry code, counting every level of each template's path. */
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * The GB/T 4754 tree: sections and divisions first (GET /api/industries), groups and classes as
 * a branch opens (GET /api/industries?code=). By default only branches that hold templates show.
 */
export function IndustryTree({ selected, onSelect, counts }: Props) {
  const { t } = useLibraryMessages();
  const top = useApi((signal) => api.get<IndustriesAnswer>('/api/industries', { signal }), []);
  const [all, setAll] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(['C']));
  const [children, setChildren] = useState<ReadonlyMap<string, readonly IndustryEntry[]>>(new Map());
  const [error, setError] = useState<Error | undefined>();

  async function toggle(code: string) {
    const next = new Set(open);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    setOpen(next);
    if (!next.has(code) || children.has(code) || code.length === 1) return;
    try {
      const answer = await api.get<IndustryAnswer>('/api/industries', { query: { code } });
      setChildren((m) => new Map(m).set(code, answer.children));
    } catch (err) {
      setError(asApiError(err));
    }
  }

  if (top.error) return <ApiErrorBox error={top.error} onRetry={top.reload} />;
  if (!top.data) return <p className="muted">{t('industries.loading')}</p>;
  const entries = top.data.entries;
  const shown = (e: IndustryEntry) => all || (counts.get(e.code) ?? 0) > 0;
  const childrenOf = (e: IndustryEntry): readonly IndustryEntry[] =>
    e.level === 'section' ? entries.filter((d) => d.parent === e.code) : children.get(e.code) ?? [];

  const renderNode = (e: IndustryEntry, depth: number) => {
    const count = counts.get(e.code) ?? 0;
    const expandable = e.level !== 'class';
    const isOpen = open.has(e.code);
    return (
      <li key={e.code} role="treeitem" aria-expanded={expandable ? isOpen : undefined} aria-selected={selected === e.code}>
        <div className={`tree-row${selected === e.code ? ' selected' : ''}`} style={{ paddingLeft: depth * 12 }}>
          {expandable
            ? <button type="button" className="tree-toggle" aria-label={e.code} onClick={() => void toggle(e.code)}>{isOpen ? '▾' : '▸'}</button>
            : <span className="tree-toggle" />}
          <button type="button" className="tree-label" data-code={e.code} onClick={() => onSelect(e.code)} title={`${e.code} ${e.name.zh} / ${e.name.en}`}>
            <span className="tree-code">{e.code}</span> <NameText entry={e} />
            {count > 0 ? <span className="tree-count" aria-label={t('industries.count', { count })}>{count}</span> : null}
          </button>
        </div>
        {expandable && isOpen ? <ul role="group">{childrenOf(e).filter(shown).map((c) => renderNode(c, depth + 1))}</ul> : null}
      </li>
    );
  };

  return (
    <div className="industry-tree">
      <div className={`tree-row${selected === undefined ? ' selected' : ''}`}>
        <button type="button" className="tree-label" onClick={() => onSelect(undefined)}>{t('industries.all')}</button>
      </div>
      <ul role="tree" aria-label={t('industries.title')}>
        {entries.filter((e) => e.level === 'section' && shown(e)).map((e) => renderNode(e, 0))}
      </ul>
      <label className="tree-all">
        <input type="checkbox" checked={!all} onChange={(e) => setAll(!e.target.checked)} /> {t('industries.withTemplates')}
      </label>
      {error ? <p className="error">{error.message}</p> : null}
    </div>
  );
}

function NameText({ entry }: { entry: IndustryEntry }) {
  const { text } = useLang();
  return <span>{text(entry.name)}</span>;
}

/** Templates per industry code: each template counts for every level of its industry's path. */
export function countByIndustry(templates: readonly { readonly industry: { readonly path: readonly { readonly code: string }[] } }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of templates) for (const p of t.industry.path) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  return counts;
}
