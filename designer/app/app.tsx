import { Suspense, lazy } from 'react';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import { useLang } from './i18n/language';
import { ROUTES } from './routes';
import { ErrorBoundary } from './shell/error-boundary';
import { Layout } from './shell/layout';
import { LoginPage } from './shell/login-page';
import type { PageRoute } from './shell/page-route';
import { RoleGuard } from './shell/role-guard';
import { SessionProvider, useSession } from './shell/session';

const NotFoundPage = lazy(() => import('./shell/not-found-page'));

function PageError({ error, reset }: { error: Error; reset: () => void }) {
  const { t } = useTranslation('shell');
  const { text } = useLang();
  const bilingual = (error as { text?: { zh: string; en: string } }).text;
  return (
    <section className="page page-message" role="alert">
      <h1>{t('error.title')}</h1>
      <p>{bilingual ? text(bilingual) : error.message}</p>
      <button type="button" onClick={reset}>{t('error.retry')}</button>
    </section>
  );
}

function Page({ route }: { route: PageRoute }) {
  return (
    <RoleGuard roles={route.roles}>
      <ErrorBoundary fallback={(error, reset) => <PageError error={error} reset={reset} />}>
        <route.page />
      </ErrorBoundary>
    </RoleGuard>
  );
}

function Shell({ routes }: { routes: readonly PageRoute[] }) {
  const { t } = useTranslation('shell');
  const { state } = useSession();
  if (state.status === 'loading') return <div className="loading">{t('loading')}</div>;
  if (state.status === 'signed-out') return <LoginPage expired={state.expired ?? false} />;
  return (
    <Routes>
      <Route element={<Layout routes={routes} />}>
        {routes.map((r) => <Route key={r.path} path={r.path} element={<Page route={r} />} />)}
        <Route path="*" element={<Suspense><NotFoundPage /></Suspense>} />
      </Route>
    </Routes>
  );
}

/** The whole app: i18n, session, router, shell. */
export function App({ i18n, routes = ROUTES }: { i18n: I18n; routes?: readonly PageRoute[] }) {
  return (
    <I18nextProvider i18n={i18n}>
      <SessionProvider>
        <BrowserRouter>
          <Shell routes={routes} />
        </BrowserRouter>
      </SessionProvider>
    </I18nextProvider>
  );
}
