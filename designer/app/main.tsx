import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createI18n, registerMessages, setAppI18n } from './i18n/i18n';
import { storedLanguage } from './i18n/language';
import { shellMessages } from './shell/messages';
import './app.css';

const lang = storedLanguage();
const i18n = createI18n(lang);
setAppI18n(i18n);
registerMessages('shell', shellMessages, i18n);
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App i18n={i18n} />
  </StrictMode>,
);
