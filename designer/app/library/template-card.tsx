import { Link } from 'react-router';
import { DEMANDS } from '../../../runtime/model';
import { useLang } from '../i18n/language';
import type { TemplateHit } from './library-types';
import { useLibraryMessages } from './use-library-messages';

/** One template in the library's results: title, industry path, demands, versions. */
export function TemplateCard({ hit }: { hit: TemplateHit }) {
  const { t } = useLibraryMessages();
  const { text } = useLang();
  const v = hit.latest;
  return (
    <article className="template-card" data-template={hit.id}>
      <h3><Link to={`/library/${encodeURIComponent(hit.id)}`}>{text(v.title)}</Link></h3>
      <p className="muted template-card-meta">
        <span className="mono">{hit.id}</span> · {t('results.latest', { version: v.version })}
        {v.status === 'draft' ? <span className="badge warn">{t('results.draft')}</span> : null}
        {' · '}{t('results.versions', { count: hit.versions.length })}
      </p>
      <p className="template-card-industry">
        {hit.industry.path.map((p, i) => <span key={p.code}>{i > 0 ? ' › ' : ''}<span title={p.code}>{text(p.name)}</span></span>)}
        {' '}<span className="mono muted">{hit.industry.code}</span>
      </p>
      <div className="chips">{v.demands.map((d) => <span key={d} className="badge info">{text(DEMANDS[d])}</span>)}</div>
    </article>
  );
}
