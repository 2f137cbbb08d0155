/** Which language and locale the UI uses for a language setting and the system's preferences. */
import type { UiLanguage } from '../../../core/api/schemas.ts';

export const LANGUAGES = ['en', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface ResolvedLanguage {
  language: Language;
  /** BCP 47 locale for numbers and dates, e.g. 'sv-SE', 'en-GB'. */
  locale: string;
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0] ?? '';
const DEFAULT_LOCALE: Record<Language, string> = { en: 'en-US', sv: 'sv-SE' };

/**
 * 'en' or 'sv' as chosen; 'system' takes the first of the system's languages we have
 * (Swedish or English), else English. The locale keeps the system's region when it
 * speaks the chosen language (en-GB stays en-GB), else the language's usual one.
 */
export function resolveLanguage(
  setting: UiLanguage,
  systemLanguages: readonly string[],
): ResolvedLanguage {
  const chosen: Language =
    setting !== 'system'
      ? setting
      : ((systemLanguages
          .map(primary)
          .find((p): p is Language => (LANGUAGES as readonly string[]).includes(p)) as
          Language | undefined) ?? 'en');
  const regional = systemLanguages.find((tag) => primary(tag) === chosen && tag.includes('-'));
  return { language: chosen, locale: regional ?? DEFAULT_LOCALE[chosen] };
}
