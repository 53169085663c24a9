import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { HttpError, api } from './api';
import { navigate } from './App';
import { remember } from './settings';
import type { DashStore } from './store';

export function Login({ store }: { store: DashStore }) {
  const { t } = useTranslation();
  const lang = useStore(store, (s) => s.lang);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.login(name.trim(), password);
      store.setState({ me, pages: undefined, views: {}, boot: null });
      navigate(store, { name: 'page' });
    } catch (err) {
      setError(err instanceof HttpError && err.status === 401 ? t('login-wrong') : err instanceof HttpError && err.status === 429 ? t('login-locked') : t('login-failed', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="login-box" onSubmit={(e) => void submit(e)}>
        <h1>{t('login-title')}</h1>
        <label>
          <span>{t('login-name')}</span>
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </label>
        <label>
          <span>{t('login-password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="login-error" role="alert">{error}</p> : null}
        <button type="submit" disabled={busy}>{t('login-submit')}</button>
        <p className="login-hint">{t('login-hint')}</p>
        <button type="button" className="login-lang" onClick={() => {
          const next = lang === 'zh' ? 'en' : 'zh';
          remember({ lang: next });
          store.setState({ lang: next });
        }}>{t('language')}</button>
      </form>
    </div>
  );
}
