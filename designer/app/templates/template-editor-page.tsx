import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import type { ProfileInfo } from '../editor/editor-context';
import { useLang } from '../i18n/language';
import { templateApi } from './template-api';
import { TemplateEditor } from './template-editor';
import { createTemplateStore } from './template-store';
import type { TemplateStore } from './template-store';

/** /templates/:id/:version — loads the version and the device profiles, then the authoring page. */
export function TemplateEditorPage() {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const { id = '', version = '' } = useParams();
  const [store, setStore] = useState<TemplateStore | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    let live = true;
    setStore(undefined);
    setError(undefined);
    Promise.all([templateApi.get(id, version), templateApi.profiles().catch(() => ({ profiles: [] }))]).then(([answer, p]) => {
      if (!live) return;
      const profiles: Record<string, ProfileInfo> = Object.fromEntries(p.profiles.map((x) => [x.id, x]));
      setStore(createTemplateStore(answer, profiles));
    }, (err) => live && setError(err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) })));
    return () => {
      live = false;
    };
  }, [id, version]);

  if (error) {
    return (
      <section className="page page-message" role="alert">
        <h1>{error.status === 404 ? t('editor.notFound') : text(error.text)}</h1>
        <p>{text(error.text)}</p>
        <Link to="/templates">← {t('editor.back')}</Link>
      </section>
    );
  }
  if (!store) return <div className="loading">{t('common.loading')}</div>;
  return <TemplateEditor key={`${id}@${version}`} store={store} />;
}
