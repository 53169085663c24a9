import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../../nodes/dashboard/widget-format';
import { WIDGETS } from '../../nodes/dashboard/widgets';
import { appMessages } from './locales';

/** zh-CN first; every widget's texts are a namespace named after its kind. */
export function initI18n(lang: Lang) {
  const resources: Record<Lang, Record<string, Record<string, string>>> = { zh: { app: { ...appMessages.zh } }, en: { app: { ...appMessages.en } } };
  for (const w of Object.values(WIDGETS)) {
    resources.zh[w.kind] = w.messages.zh;
    resources.en[w.kind] = w.messages.en;
  }
  void i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: 'zh',
    defaultNS: 'app',
    ns: ['app', ...Object.keys(WIDGETS)],
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return i18next;
}
