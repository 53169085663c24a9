import { Link, useParams, useSearchParams } from 'react-router';
import { DEMANDS } from '../../../runtime/model';
import { api } from '../api';
import { useLang } from '../i18n/language';
import { useUser } from '../shell/session';
import type { ProfilesAnswer, TemplateVersion, TemplateVersions } from './library-types';
import { IndustryLabel } from './industry-label';
import { SampleFirms } from './sample-firms';
import { TemplateFacts } from './template-facts';
import { ApiErrorBox } from './ui/api-error-box';
import { MarkdownText } from './ui/markdown-text';
import { TimeText } from './ui/time-text';
import { useApi } from './ui/use-api';
import { useUi } from './ui/use-ui';
import { useLibraryMessages } from './use-library-messages';
import './ui/ui.css';
import './library.css';

/** One template: its versions, scenarios N/X, parameters, device groups, README and sample firms. */
export default function TemplatePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { t } = useLibraryMessages();
  const ui = useUi();
  const { text } = useLang();
  const user = useUser();
  const versions = useApi((signal) => api.get<TemplateVersions>(`/api/templates/${encodeURIComponent(id)}`, { signal }), [id]);
  const list = versions.data?.versions ?? [];
  const version = params.get('version') ?? list.find((v) => v.status === 'published')?.version ?? list[0]?.version;
  const doc = useApi(
    (signal) => (version ? api.get<TemplateVersion>(`/api/templates/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`, { signal }) : Promise.resolve(undefined)),
    [id, version],
  );
  const profiles = useApi((signal) => api.get<ProfilesAnswer>('/api/device-profiles', { signal }), []);

  if (versions.error) return <section className="page"><ApiErrorBox error={versions.error} onRetry={versions.reload} /></section>;
  if (!versions.data || !version) return <section className="page"><p className="muted">{ui.t('loading')}</p></section>;
  const v = doc.data;
  return (
    <section className="page template-page">
      <nav className="breadcrumbs"><Link to="/library">{t('template.back')}</Link> › <span className="mono">{id}</span></nav>
      {doc.error ? <ApiErrorBox error={doc.error} onRetry={doc.reload} /> : null}
      {v ? (
        <>
          <div className="template-title">
            <h1>{text(v.template.title)}</h1>
            <span className="mono muted">{v.template.id}@{v.template.version}</span>
            {v.summary.status === 'draft' ? <span className="badge warn">{t('template.draft')}</span> : null}
            <label className="version-select">
              {t('template.version')}{' '}
              <select value={version} onChange={(e) => setParams({ version: e.target.value })}>
                {list.map((x) => <option key={x.version} value={x.version}>{x.version}{x.status === 'draft' ? ` (${t('results.draft')})` : ''}</option>)}
              </select>
            </label>
          </div>
          <div className="template-page-layout">
            <div>
              <div className="section">
                <dl className="kv">
                  <dt>{t('template.industry')}</dt>
                  <dd><IndustryLabel code={v.template.industry} /></dd>
                  <dt>{t('template.author')}</dt><dd>{v.template.author}</dd>
                  <dt>{t('template.demands')}</dt>
                  <dd><span className="chips">{v.template.demands.map((d) => <span key={d} className="badge info">{text(DEMANDS[d])}</span>)}</span></dd>
                  <dt>{t('template.description')}</dt><dd>{text(v.template.description)}</dd>
                </dl>
              </div>
              <TemplateFacts template={v.template} profiles={profiles.data?.profiles ?? []} />
              <details className="section" open>
                <summary><h2 style={{ display: 'inline' }}>{t('template.readme')}</h2></summary>
                {v.readme ? <MarkdownText source={v.readme} /> : <p className="muted">{t('template.noReadme')}</p>}
              </details>
            </div>
            <aside>
              <div className="section">
                <h2>{t('template.samples')}</h2>
                <p className="muted">{t('template.samplesIntro')}</p>
                <SampleFirms templateId={id} template={v.template} role={user.role} />
              </div>
              <div className="section">
                <h2>{t('template.versions')}</h2>
                <ul className="versions-list">
                  {list.map((x) => (
                    <li key={x.version} className={x.version === version ? 'current' : ''}>
                      <Link to={`?version=${encodeURIComponent(x.version)}`}>{x.version}</Link>
                      {x.status === 'draft' ? <span className="badge warn">{t('results.draft')}</span> : <span className="muted">{t('template.published')} <TimeText iso={x.publishedAt} /></span>}
                    </li>
                  ))}
                </ul>
              </div>
            </aside>
          </div>
        </>
      ) : doc.loading ? <p className="muted">{ui.t('loading')}</p> : null}
    </section>
  );
}
