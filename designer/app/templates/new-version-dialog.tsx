import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useLang } from '../i18n/language';
import { templateApi } from './template-api';
import type { Bump } from './template-doc';
import { nextVersion } from './template-doc';
import { useTemplateApi } from './use-template';

/** Makes a new draft version from what the page shows (saved content plus unsaved changes). */
export function NewVersionDialog({ versions, onClose }: { versions: readonly string[]; onClose: () => void }) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const navigate = useNavigate();
  const { id, version } = store.getState().draft;
  const choices: Bump[] = ['patch', 'minor', 'major'];
  const [picked, setPicked] = useState<string>(nextVersion(versions, 'minor'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const doc = { ...store.getState().compose(), version: picked.trim() };
      const answer = await templateApi.create(doc, store.getState().readme ?? undefined);
      onClose();
      navigate(`/templates/${answer.version.id}/${answer.version.version}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form className="dialog new-version" role="dialog" aria-modal="true" aria-labelledby="nv-title" onClick={(e) => e.stopPropagation()} onSubmit={(e) => void submit(e)}>
        <h2 id="nv-title">{t('bump.title')}</h2>
        <p className="muted small">{t('bump.from', { ref: `${id}@${version}` })}</p>
        <fieldset className="form" disabled={busy}>
          {choices.map((b) => {
            const v = nextVersion(versions, b);
            return (
              <label key={b} className="check">
                <input type="radio" name="bump" checked={picked === v} onChange={() => setPicked(v)} /> {t(`bump.${b}`, { version: v })}
              </label>
            );
          })}
          <div className="field">
            <label htmlFor="nv-version">{t('bump.custom')}</label>
            <input id="nv-version" value={picked} onChange={(e) => setPicked(e.target.value)} />
          </div>
        </fieldset>
        {error ? (
          <div className="field-error" role="alert">
            <p>{text(error.text)}</p>
            {error.details.slice(0, 8).map((d, i) => <p key={i} className="small">{d.at}: {text(d.message)}</p>)}
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? t('bump.busy') : t('bump.submit')}</button>
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
        </div>
      </form>
    </div>
  );
}
