import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { Demand } from '../../../runtime/model';
import { DEMANDS } from '../../../runtime/model';
import { api } from '../api';
import { useLang } from '../i18n/language';
import { IndustryTree, countByIndustry } from './industry-tree';
import type { TemplatesPage } from './library-types';
import { TemplateCard } from './template-card';
import { ApiErrorBox } from './ui/api-error-box';
import { Pager } from './ui/pager';
import { useApi } from './ui/use-api';
import { useLibraryMessages } from './use-library-messages';
import './ui/ui.css';
import './library.css';

const PAGE_SIZE = 20;
const DEMAND_KEYS = Object.keys(DEMANDS) as Demand[];

/** The library: the industry tree on the left, demand chips and text search over the results. */
export default function LibraryPage() {
  const { t } = useLibraryMessages();
  const { text } = useLang();
  const [params, setParams] = useSearchParams();
  const industry = params.get('industry') ?? undefined;
  const demand = (params.get('demand') ?? undefined) as Demand | undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [draft, setDraft] = useState(q);

  const change = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '') p.delete(k);
      else p.set(k, v);
    }
    if (!('page' in next)) p.delete('page');
    setParams(p);
  };

  const results = useApi((signal) => api.get<TemplatesPage>('/api/templates', { signal, query: { industry, demand, q: q || undefined, page, pageSize: PAGE_SIZE } }), [industry, demand, q, page]);
  // Every template once, for the counts beside the tree.
  const everything = useApi((signal) => api.get<TemplatesPage>('/api/templates', { signal, query: { pageSize: 200 } }), []);
  const counts = useMemo(() => countByIndustry(everything.data?.templates ?? []), [everything.data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    change({ q: draft.trim() });
  };

  return (
    <section className="page library-page">
      <header className="library-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </header>
      <div className="library-layout">
        <aside className="library-side" aria-label={t('industries.title')}>
          <h2>{t('industries.title')}</h2>
          <IndustryTree selected={industry} onSelect={(code) => change({ industry: code })} counts={counts} />
        </aside>
        <div className="library-main">
          <form className="library-search" role="search" onSubmit={submit}>
            <input type="search" name="q" aria-label={t('search.label')} placeholder={t('search.placeholder')} value={draft} onChange={(e) => setDraft(e.target.value)} />
            <button type="submit" className="primary">{t('search.submit')}</button>
            {industry || demand || q ? <button type="button" className="link" onClick={() => { setDraft(''); setParams(new URLSearchParams()); }}>{t('search.clear')}</button> : null}
          </form>
          <div className="library-demands" role="group" aria-label={t('demands.title')}>
            <span className="muted">{t('demands.title')}</span>
            <div className="chips">
              <button type="button" className="chip" aria-pressed={demand === undefined} onClick={() => change({ demand: undefined })}>{t('demands.all')}</button>
              {DEMAND_KEYS.map((d) => (
                <button key={d} type="button" className="chip" data-demand={d} aria-pressed={demand === d} onClick={() => change({ demand: demand === d ? undefined : d })}>{text(DEMANDS[d])}</button>
              ))}
            </div>
          </div>
          {results.error ? <ApiErrorBox error={results.error} onRetry={results.reload} /> : null}
          {results.data ? (
            <>
              <p className="muted" aria-live="polite">{t('results.count', { count: results.data.total })}</p>
              {results.data.templates.length === 0 ? <p className="empty">{t('results.empty')}</p> : (
                <div className="template-grid">{results.data.templates.map((hit) => <TemplateCard key={hit.id} hit={hit} />)}</div>
              )}
              {results.data.total > PAGE_SIZE ? <Pager page={page} pageSize={PAGE_SIZE} total={results.data.total} onPage={(p) => change({ page: String(p) })} /> : null}
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
