import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useLang } from '../i18n/language';
import { LanguageSwitch } from './language-switch';
import { useSession } from './session';

/** Sign in with the studio's POST /api/login (an HttpOnly session cookie). */
export function LoginPage({ expired }: { expired?: boolean }) {
  const { t } = useTranslation('shell');
  const { text } = useLang();
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(username, password);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', { zh: String(err), en: String(err) }));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <div className="login-lang"><LanguageSwitch /></div>
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="login-mark" aria-hidden>开</div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {expired && !error ? <p className="notice">{t('login.expired')}</p> : null}
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="error" role="alert">{text(error.text)}</p> : null}
        <button type="submit" className="primary" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </form>
    </main>
  );
}
