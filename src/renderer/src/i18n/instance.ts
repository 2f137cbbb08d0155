/**
 * The translations' i18next instance, free of React (form readers and commands use it too);
 * index.ts hands it to react-i18next.
 */
import i18next from 'i18next';
import { en } from './en.ts';
import { sv } from './sv.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export const i18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, sv: { translation: sv } },
  lng: 'en',
  fallbackLng: 'en',
  // React escapes what it renders
  interpolation: { escapeValue: false },
  initAsync: false,
});
