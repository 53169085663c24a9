import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { formatTime, pick } from '../../nodes/dashboard/widget-format';
import { api } from './api';
import type { Page } from './api';
import { navigate } from './App';
import { remember } from './settings';
import type { DashStore, Settings } from './store';

function Clock({ store }: { store: DashStore }) {
  const lang = useStore(store, (s) => s.lang);
  const offset = useStore(store, (s) => s.offset);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  return <time className="app-clock">{formatTime(now + offset, lang, 'time')}</time>;
}

export function Header({ store, settings, current }: { store: DashStore; settings: Settings; current: Page | undefined }) {
  const { t } = useTranslation();
  const site = useStore(store, (s) => s.site);
  const pages = useStore(store, (s) => s.pages) ?? [];
  const route = useStore(store, (s) => s.route);
  const lang = useStore(store, (s) => s.lang);
  const theme = useStore(store, (s) => s.theme);
  const connection = useStore(store, (s) => s.connection);
  const me = useStore(store, (s) => s.me);

  const status = <span className={`app-conn is-${connection}`} role="status" title={t(`conn-${connection}`)}><i />{t(`conn-${connection}`)}</span>;

  if (settings.kiosk) {
    return (
      <header className="app-header is-kiosk">
        <span className="app-site">{site ?? t('title')}</span>
        <h1 className="app-page-title">{current ? pick(current.title, lang) : ''}</h1>
        {pages.length > 1 ? <span className="app-dots" aria-hidden="true">{pages.map((p) => <i key={p.id} className={p.id === current?.id ? 'is-on' : ''} />)}</span> : null}
        <Clock store={store} />
        {status}
      </header>
    );
  }

  const toggleLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    remember({ lang: next });
    store.setState({ lang: next });
  };
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    remember({ theme: next });
    // Before the re-render: charts read their colours from the page's variables as they draw.
    document.documentElement.dataset.theme = next;
    store.setState({ theme: next });
  };
  const logout = () => {
    void api.logout().finally(() => {
      store.setState({ me: null });
      navigate(store, { name: 'login' });
    });
  };
  const kioskUrl = `${location.pathname}?kiosk=1${lang === 'en' ? '&lang=en' : ''}${location.hash}`;

  return (
    <header className="app-header">
      <span className="app-site">{site ?? t('title')}</span>
      <nav className="app-tabs" aria-label={t('pages')}>
        {pages.map((p) => (
          <a key={p.id} href={`#/p/${encodeURIComponent(p.id)}`} className={route.name === 'page' && p.id === current?.id ? 'is-on' : ''}
            aria-current={route.name === 'page' && p.id === current?.id ? 'page' : undefined}>{pick(p.title, lang)}</a>
        ))}
        {current ? (
          <a href={route.name === 'report' ? `#/p/${encodeURIComponent(current.id)}` : `#/report/${encodeURIComponent(current.id)}`} className="app-report-link">
            {route.name === 'report' ? t('report-back') : t('report')}
          </a>
        ) : null}
      </nav>
      <div className="app-tools">
        {status}
        <button type="button" onClick={toggleLang} aria-label={t('language-label')}>{t('language')}</button>
        <button type="button" onClick={toggleTheme} aria-label={t('theme-label')}>{theme === 'dark' ? t('theme-light') : t('theme-dark')}</button>
        <a className="app-button" href={kioskUrl}>{t('kiosk')}</a>
        {me && !me.kiosk ? <button type="button" onClick={logout} title={me.name}>{t('logout')}</button> : null}
      </div>
    </header>
  );
}
