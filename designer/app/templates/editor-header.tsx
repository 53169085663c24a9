import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useLang } from '../i18n/language';
import type { SentDocument } from './problem-paths';
import type { VersionSummary } from './template-api';
import { templateApi } from './template-api';
import { NewVersionDialog } from './new-version-dialog';
import { useDirty, useTemplate, useTemplateApi } from './use-template';

/** The page's header: which template and version, its status, and save, publish, new version, delete. */
export function EditorHeader({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const navigate = useNavigate();
  const summary = useTemplate((s) => s.summary);
  const title = useTemplate((s) => s.draft.title);
  const dirty = useDirty();
  const [versions, setVersions] = useState<readonly VersionSummary[]>([]);
  const [busy, setBusy] = useState<'save' | 'publish' | 'delete' | undefined>();
  const [flash, setFlash] = useState<string | undefined>();
  const [dialog, setDialog] = useState(false);
  const ref = `${summary.id}@${summary.version}`;
  const draft = summary.status === 'draft';

  useEffect(() => {
    let live = true;
    templateApi.versions(summary.id).then((a) => live && setVersions(a.versions), () => undefined);
    return () => {
      live = false;
    };
  }, [summary.id, summary.status]);

  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(undefined), 4000);
    return () => clearTimeout(timer);
  }, [flash]);

  const failed = (err: unknown, sent: SentDocument | undefined) => {
    const e = err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) });
    store.getState().setProblems(e.code, e.text, e.details, sent);
  };

  const save = async (): Promise<boolean> => {
    const doc = store.getState().compose();
    setBusy('save');
    try {
      const answer = await templateApi.update(summary.id, summary.version, doc, store.getState().readme ?? undefined);
      store.getState().markSaved(answer.version);
      store.getState().clearProblems();
      setFlash(answer.outcome === 'unchanged' ? t('editor.unchanged') : t('editor.saved'));
      return true;
    } catch (err) {
      failed(err, doc as unknown as SentDocument);
      return false;
    } finally {
      setBusy(undefined);
    }
  };

  const publish = async () => {
    if (!window.confirm(t('editor.confirmPublish', { ref }))) return;
    if (store.getState().isDirty() && !(await save())) return;
    setBusy('publish');
    try {
      const answer = await templateApi.publish(summary.id, summary.version);
      store.getState().markSaved(answer.version);
      store.getState().clearProblems();
      setFlash(t('editor.published', { ref }));
    } catch (err) {
      failed(err, store.getState().compose() as unknown as SentDocument);
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async () => {
    if (!window.confirm(t('editor.confirmDelete', { ref }))) return;
    setBusy('delete');
    try {
      await templateApi.deleteDraft(summary.id, summary.version);
      navigate('/templates');
    } catch (err) {
      failed(err, undefined);
      setBusy(undefined);
    }
  };

  return (
    <header className="tpl-header">
      <Link to="/templates" className="back" title={t('editor.back')} onClick={(e) => {
        if (store.getState().isDirty() && !window.confirm(t('editor.leave'))) e.preventDefault();
      }}>←</Link>
      <h1 className="tpl-title" title={text(title)}>{text(title) || summary.id}</h1>
      <code className="tpl-ref">{summary.id}</code>
      <select className="tpl-versions" aria-label={t('editor.versions')} value={summary.version} onChange={(e) => {
        if (store.getState().isDirty() && !window.confirm(t('editor.leave'))) return;
        navigate(`/templates/${summary.id}/${e.target.value}`);
      }}>
        {(versions.length > 0 ? versions : [summary]).map((v) => <option key={v.version} value={v.version}>{v.version} · {t(`status.${v.status}`)}</option>)}
      </select>
      <span className={`status-chip status-${summary.status}`}>{t(`status.${summary.status}`)}</span>
      {dirty ? <span className="dirty" role="status">● {t('editor.dirty')}</span> : null}
      {flash ? <span className="flash" role="status">{flash}</span> : null}
      <span className="spacer" />
      {canEdit && draft ? (
        <>
          <button type="button" className="primary save" disabled={busy !== undefined} onClick={() => void save()}>{busy === 'save' ? t('editor.saving') : t('editor.save')}</button>
          <button type="button" className="publish" disabled={busy !== undefined} onClick={() => void publish()}>{busy === 'publish' ? t('editor.publishing') : t('editor.publish')}</button>
        </>
      ) : null}
      {canEdit ? <button type="button" className="new-version" disabled={busy !== undefined} onClick={() => setDialog(true)}>{t('editor.newVersion')}</button> : null}
      {canEdit && draft ? <button type="button" className="link danger" disabled={busy !== undefined} onClick={() => void remove()}>{t('editor.deleteDraft')}</button> : null}
      {dialog ? <NewVersionDialog versions={versions.map((v) => v.version)} onClose={() => setDialog(false)} /> : null}
    </header>
  );
}
