import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { WidgetHost } from '../../nodes/dashboard/widget-host';
import { WidgetHostContext } from '../../nodes/dashboard/widget-host';
import { HttpError, api } from './api';
import { Dashboard } from './Dashboard';
import { Header } from './Header';
import { connect } from './live';
import { Login } from './Login';
import { ReportPage } from './Report';
import { parseRoute, routeHash } from './settings';
import type { DashStore, Route, Settings } from './store';

export function navigate(store: DashStore, route: Route) {
  store.setState({ route });
  const hash = routeHash(route);
  if (location.hash !== hash) history.pushState(null, '', hash);
}

export function App({ store, settings }: { store: DashStore; settings: Settings }) {
  const { t, i18n } = useTranslation();
  const me = useStore(store, (s) => s.me);
  const lang = useStore(store, (s) => s.lang);
  const theme = useStore(store, (s) => s.theme);
  const route = useStore(store, (s) => s.route);
  const alarmsVersion = useStore(store, (s) => s.alarmsVersion);
  const pages = useStore(store, (s) => s.pages);
  const loadError = useStore(store, (s) => s.loadError);

  useEffect(() => {
    const onHash = () => store.setState({ route: parseRoute(location.hash) });
    addEventListener('hashchange', onHash);
    addEventListener('popstate', onHash);
    return () => {
      removeEventListener('hashchange', onHash);
      removeEventListener('popstate', onHash);
    };
  }, [store]);

  useEffect(() => {
    // Changing to the language already on still re-renders everything that translates: only on a switch.
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang, i18n]);
  useEffect(() => {
    document.title = t('title');
  }, [t]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Who is looking: a viewer session, the open kiosk, or nobody yet (login).
  useEffect(() => {
    if (me !== undefined) return;
    api.me().then((m) => store.setState({ me: m }), (err: unknown) => {
      if (err instanceof HttpError && err.status === 401) store.setState({ me: null });
      else setTimeout(() => store.setState({ me: undefined }), 2_000);
    });
  }, [me, store]);

  useEffect(() => {
    if (!me) return undefined;
    return connect(store, () => store.setState({ me: null }));
  }, [me, store]);

  // Kiosk: the next page every few seconds, round and round.
  useEffect(() => {
    if (!settings.kiosk || !pages || pages.length < 2) return undefined;
    const timer = setInterval(() => {
      const s = store.getState();
      if (s.route.name !== 'page') return;
      const at = Math.max(0, pages.findIndex((p) => p.id === (s.route as { id?: string }).id));
      navigate(store, { name: 'page', id: pages[(at + 1) % pages.length]!.id });
    }, settings.rotateSec * 1000);
    return () => clearInterval(timer);
  }, [settings.kiosk, settings.rotateSec, pages, store]);

  const canAck = me?.canAck ?? false;
  const host = useMemo<WidgetHost>(() => ({
    lang,
    theme,
    canAck,
    alarmsVersion,
    ...(settings.range ? { range: settings.range } : {}),
    now: () => Date.now() + store.getState().offset,
    series: api.series,
    alarms: api.alarms,
    ack: api.ack,
  }), [lang, theme, canAck, alarmsVersion, settings.range, store]);

  if (me === null || route.name === 'login') {
    return <Login store={store} />;
  }
  if (me === undefined || pages === undefined) {
    return <div className="app-loading">{loadError ? t('error-load', { message: loadError }) : t('loading')}</div>;
  }
  const current = route.name === 'page' ? pages.find((p) => p.id === route.id) ?? pages[0] : pages.find((p) => p.id === route.id);
  return (
    <WidgetHostContext.Provider value={host}>
      <div className={`app${settings.kiosk ? ' is-kiosk' : ''}`}>
        <Header store={store} settings={settings} current={current} />
        <main className="app-main">
          {pages.length === 0 ? <div className="app-empty">{store.getState().sequence === null ? t('no-deployment') : t('no-pages')}</div> : null}
          {current && route.name === 'page' ? <Dashboard store={store} page={current} kiosk={settings.kiosk} /> : null}
          {current && route.name === 'report' ? <ReportPage store={store} page={current} /> : null}
        </main>
      </div>
    </WidgetHostContext.Provider>
  );
}
