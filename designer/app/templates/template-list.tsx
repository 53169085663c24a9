import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useLang } from '../i18n/language';
import { useUser } from '../shell/session';
import type { TemplateHit } from './template-api';
import { templateApi } from './template-api';

/** /templates: every template (drafts too, for authors), searchable, each version a link. */
export function TemplateList() {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const user = useUser();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<readonly TemplateHit[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      templateApi.search({ q: q.trim() || undefined }).then(
        (a) => live && setHits(a.templates),
        (err) => live && setError(err instanceof ApiError ? text(err.text) : String(err)),
      );
    }, q ? 250 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  return (
    <section className="page template-list">
      <header className="section-head">
        <div>
          <h1>{t('list.title')}</h1>
          <p className="muted">{t('list.intro')}</p>
        </div>
        {user.role === 'contractor' ? <Link className="button primary" to="/templates/new">+ {t('list.new')}</Link> : null}
      </header>
      <input className="search" type="search" value={q} placeholder={t('list.search')} aria-label={t('list.search')} onChange={(e) => setQ(e.target.value)} />
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {!hits ? <p className="muted">{t('common.loading')}</p> : hits.length === 0 ? <p className="muted">{t('list.empty')}</p> : (
        <table className="grid-table templates-table">
          <thead>
            <tr><th>{t('list.id')}</th><th>{t('list.name')}</th><th>{t('list.industry')}</th><th>{t('list.versions')}</th></tr>
          </thead>
          <tbody>
            {hits.map((h) => (
              <tr key={h.id} data-template={h.id}>
                <td><Link to={`/templates/${h.id}/${h.latest.version}`}><code>{h.id}</code></Link></td>
                <td>{text(h.latest.title)}</td>
                <td><code>{h.industry.code}</code> <span className="muted small">{h.industry.path.map((p) => text(p.name)).at(-1) ?? ''}</span></td>
                <td className="versions">
                  {h.versions.map((v) => (
                    <Link key={v.version} className={`version-chip status-${v.status}`} to={`/templates/${h.id}/${v.version}`} title={t(`status.${v.status}`)}>
                      {v.version}{v.status === 'draft' ? ` · ${t('status.draft')}` : ''}
                    </Link>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
