import { useTranslation } from 'react-i18next';
import { LANGS } from '../i18n/i18n';
import { storeLanguage } from '../i18n/language';

/** zh / en, remembered on this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('shell');
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((lang) => (
        <button
          key={lang}
          type="button"
          className={i18n.language === lang ? 'active' : ''}
          aria-pressed={i18n.language === lang}
          onClick={() => {
            storeLanguage(lang);
            void i18n.changeLanguage(lang);
            document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
          }}
        >
          {t(`lang.${lang}`)}
        </button>
      ))}
    </div>
  );
}
