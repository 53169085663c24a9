import i18next from 'i18next';
import type { i18n as I18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Lang } from '../../../runtime/model/text';

/** A feature's texts: the same keys in Chinese and English (nested objects allowed). */
export interface Messages {
  readonly zh: Readonly<Record<string, unknown>>;
  readonly en: Readonly<Record<string, unknown>>;
}

export const LANGS: readonly Lang[] = ['zh', 'en'];

/** The one i18next instance of the app; feature folders add their namespaces to it. */
export function createI18n(lang: Lang): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { zh: {}, en: {} },
    lng: lang,
    fallbackLng: 'zh',
    defaultNS: 'shell',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}

let current: I18n | undefined;

/** The app's instance (made by main.tsx, or on first use in a test). */
export function appI18n(): I18n {
  current ??= createI18n('zh');
  return current;
}

export function setAppI18n(instance: I18n): void {
  current = instance;
}

/** Adds a feature's messages as a namespace (idempotent; call it at the top of the feature's module). */
export function registerMessages(ns: string, messages: Messages, instance: I18n = appI18n()): void {
  if (instance.hasResourceBundle('zh', ns)) return;
  instance.addResourceBundle('zh', ns, messages.zh, true, true);
  instance.addResourceBundle('en', ns, messages.en, true, true);
}

/** `registerMessages` + `useTranslation` in one: `const { t } = useMessages('editor', messages)`. */
export function useMessages(ns: string, messages: Messages) {
  registerMessages(ns, messages);
  return useTranslation(ns);
}
