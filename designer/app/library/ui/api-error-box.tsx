import type { ApiError } from '../../api';
import { useLang } from '../../i18n/language';
import { detailPath } from './api-problems';
import { useUi } from './use-ui';

/** An API error as the studio gave it: its text, status and code, and each detail with where it is. */
export function ApiErrorBox({ error, onRetry, title }: { error: ApiError; onRetry?: () => void; title?: string }) {
  const { t } = useUi();
  const { text } = useLang();
  return (
    <div className="api-error" role="alert">
      {title ? <strong>{title}</strong> : null}
      <p className="api-error-text">{text(error.text)}</p>
      <p className="api-error-code muted">{t('error.status', { status: error.status, code: error.code })}</p>
      {error.details.length > 0 ? (
        <ul className="api-error-details" aria-label={t('error.details')}>
          {error.details.map((d, i) => (
            <li key={i}>
              {d.at ? <code title={t('error.at')}>{detailPath(d).join('.') || d.at}</code> : null} {text(d.message)}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? <button type="button" onClick={onRetry}>{t('retry')}</button> : null}
    </div>
  );
}

/** The messages of some details, for under a field. */
export function FieldProblems({ messages, id }: { messages: readonly string[]; id?: string }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-problems" id={id}>
      {messages.map((m, i) => <li key={i}>{m}</li>)}
    </ul>
  );
}
