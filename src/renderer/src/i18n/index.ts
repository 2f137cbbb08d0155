/**
 * The UI's translations (i18next + react-i18next): English and Swedish, chosen by the
 * `ui.language` setting. Numbers and dates follow the same choice (format.ts).
 */
import i18next from 'i18next';
import { useEffect } from 'react';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from '../../../core/api/schemas.ts';
import { setFormatLocale } from '../format.ts';
import { en } from './en.ts';
import { resolveLanguage } from './language.ts';
import { sv } from './sv.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, sv: { translation: sv } },
  lng: 'en',
  fallbackLng: 'en',
  // React escapes what it renders
  interpolation: { escapeValue: false },
  initAsync: false,
});

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
