import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './language-switch';
import { Nav } from './nav';
import type { PageRoute } from './page-route';
import { useSession, useUser } from './session';

/** Top bar (brand, navigation, language, user) over the page, which gets the rest of the window. */
export function Layout({ routes }: { routes: readonly PageRoute[] }) {
  const { t } = useTranslation('shell');
  const { logout } = useSession();
  const user = useUser();
  return (
    <div className="layout">
      <a className="skip" href="#main">{t('skip')}</a>
      <header className="topbar">
        <span className="brand" title={t('brand')}><span className="brand-mark" aria-hidden>开</span><span className="brand-text">{t('brand')}</span></span>
        <Nav routes={routes} />
        <span className="spacer" />
        <LanguageSwitch />
        <span className="user" title={user.enterprise ?? ''}>
          <span className="user-name">{user.displayName || user.username}</span>
          <span className="user-role">{t(`user.role.${user.role}`)}</span>
        </span>
        <button type="button" className="link" onClick={() => void logout()}>{t('user.signOut')}</button>
      </header>
      <main id="main" className="main">
        <Suspense fallback={<div className="loading">{t('loading')}</div>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
