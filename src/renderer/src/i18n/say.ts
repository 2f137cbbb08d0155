/**
 * A catalogue text in the current language for code outside components (form readers,
 * commands): they run when the user acts, so the words follow the language then chosen.
 */
import { i18n } from './instance.ts';

export function say(key: string, values?: Record<string, unknown>): string {
  return (i18n.t as unknown as (k: string, v?: Record<string, unknown>) => string)(key, values);
}

/**
 * A message the core wrote for people (in English, e.g. a zod refinement's or a BotDeskError's):
 * shown as is in English; other languages say `instead` (a catalogue key) rather than show English.
 */
export function coreWords(
  message: string,
  instead: string,
  values?: Record<string, unknown>,
): string {
  return i18n.language === 'en' ? message : say(instead, values);
}

/**
 * A built-in strategy's words (name, description, a parameter's description) in the
 * current language, by id; a user strategy's own words as its file gives them.
 */
export function strategyWords(
  strategy: { id: string; origin: string },
  key: string,
  own: string,
): string {
  const path = `builtin.${strategy.id}.${key}`;
  return strategy.origin === 'builtin' && i18n.exists(path) ? say(path) : own;
}
