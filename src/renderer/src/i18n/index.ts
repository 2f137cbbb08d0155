/**
 * The UI's translations (i18next + react-i18next): English and Swedish, chosen by the
 * `ui.language` setting. Numbers and dates follow the same choice (format.ts).
 */
import { useEffect } from 'react';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from '../../../core/api/schemas.ts';
import { setFormatLocale } from '../format.ts';
import { i18n } from './instance.ts';
import { resolveLanguage } from './language.ts';

export { i18n };

// what `i18n.use(initReactI18next)` does before init: the hooks find this instance
initReactI18next.init(i18n);

/** Switch language (and the locale of numbers and dates) when the setting or the system's changes. */
export function useApplyLanguage(setting: UiLanguage): void {
  useEffect(() => {
    const apply = () => {
      const { language, locale } = resolveLanguage(setting, navigator.languages);
      setFormatLocale(locale);
      document.documentElement.lang = language;
      if (i18n.language !== language) void i18n.changeLanguage(language);
    };
    apply();
    window.addEventListener('languagechange', apply);
    return () => window.removeEventListener('languagechange', apply);
  }, [setting]);
}
