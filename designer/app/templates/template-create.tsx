import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Text } from '../../../runtime/model';
import { ApiError } from '../api';
import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';
import { useUser } from '../shell/session';
import { FieldProblems } from './field-problems';
import { IndustryPicker } from './industry-picker';
import { locateProblem } from './problem-paths';
import { templateApi } from './template-api';
import { blankTemplate } from './template-doc';
import { TextPairInput } from './text-pair-input';

/** /templates/new: the basics of a new template; it is made as a draft with one empty N scenario. */
export function TemplateCreate() {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const user = useUser();
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [version, setVersion] = useState('1.0.0');
  const [industry, setIndustry] = useState('');
  const [title, setTitle] = useState<Text>({ zh: '', en: '' });
  const [author, setAuthor] = useState(user.displayName || user.username);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const at = (field: string): ApiErrorDetail[] => (error?.details ?? []).filter((d) => {
    const place = locateProblem(d, undefined);
    return place.section === 'meta' && (place.field === field || place.field?.startsWith(`${field}.`));
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await templateApi.create(blankTemplate({ id: id.trim(), version: version.trim(), industry, title, author: author.trim() }));
      navigate(`/templates/${answer.version.id}/${answer.version.version}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  const known = new Set(['id', 'version', 'industry', 'title', 'author']);
  const other = (error?.details ?? []).filter((d) => !known.has(locateProblem(d, undefined).field?.split(/[.[]/)[0] ?? ''));
  return (
    <section className="page template-create">
      <p><Link to="/templates">← {t('editor.back')}</Link></p>
      <h1>{t('create.title')}</h1>
      <p className="muted">{t('create.intro')}</p>
      <form className="form create-form" onSubmit={(e) => void submit(e)}>
        <fieldset className="form-grid" disabled={busy}>
          <div className="field">
            <label htmlFor="new-id">{t('meta.id')}</label>
            <input id="new-id" name="id" required value={id} aria-invalid={at('id').length > 0} onChange={(e) => setId(e.target.value)} />
            <p className="help">{t('meta.idHelp')}</p>
            <FieldProblems problems={at('id')} />
          </div>
          <div className="field">
            <label htmlFor="new-version">{t('meta.version')}</label>
            <input id="new-version" name="version" required value={version} aria-invalid={at('version').length > 0} onChange={(e) => setVersion(e.target.value)} />
            <p className="help">{t('meta.versionHelp')}</p>
            <FieldProblems problems={at('version')} />
          </div>
          <IndustryPicker id="new-industry" label={t('meta.industry')} value={industry} onChange={setIndustry} problems={at('industry')} />
          <div className="field">
            <label htmlFor="new-author">{t('meta.author')}</label>
            <input id="new-author" name="author" value={author} aria-invalid={at('author').length > 0} onChange={(e) => setAuthor(e.target.value)} />
            <FieldProblems problems={at('author')} />
          </div>
          <div className="wide">
            <TextPairInput id="new-title" label={t('meta.name')} value={title} onChange={setTitle} problems={at('title')} />
          </div>
        </fieldset>
        {error ? (
          <div className="field-error" role="alert">
            <p>{text(error.text)}</p>
            {other.map((d, i) => <p key={i} className="small">{d.at}: {text(d.message)}</p>)}
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? t('create.busy') : t('create.submit')}</button>
          <Link to="/templates">{t('common.cancel')}</Link>
        </div>
      </form>
    </section>
  );
}
