import { useTranslation } from 'react-i18next';
import type { Lang, Text } from '../../../runtime/model/text';

const KEY = 'kaiwu.designer.lang';

/** The language chosen last time on this browser; zh-CN first. */
export function storedLanguage(): Lang {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function storeLanguage(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(KEY, lang);
  } catch {
    // A browser without storage keeps the choice for this page only.
  }
}

/** The current language, and a picker for `{ zh, en }` texts (node titles, API errors). */
export function useLang(): { lang: Lang; text: (t: Text | undefined) => string } {
  const { i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh';
  return { lang, text: (t) => (t ? t[lang] || t.zh : '') };
}
