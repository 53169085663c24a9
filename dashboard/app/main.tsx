import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { parseRoute, readSettings } from './settings';
import { createDashStore } from './store';
import './app.css';

const settings = readSettings(location.search);
const store = createDashStore(settings, parseRoute(location.hash));
initI18n(settings.lang);
document.documentElement.lang = settings.lang === 'zh' ? 'zh-CN' : 'en';
document.documentElement.dataset.theme = settings.theme;
if (settings.kiosk) document.documentElement.dataset.kiosk = '1';
createRoot(document.getElementById('root')!).render(<App store={store} settings={settings} />);
