import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en.ts';
import { resolveLanguage } from '../../../src/renderer/src/i18n/language.ts';
import { sv } from '../../../src/renderer/src/i18n/sv.ts';
import { resolveTheme } from '../../../src/renderer/src/theme-choice.ts';

describe('language', () => {
  it('takes the chosen language, or the first of the system languages we speak', () => {
    expect(resolveLanguage('sv', ['en-US'])).toEqual({ language: 'sv', locale: 'sv-SE' });
    expect(resolveLanguage('en', ['sv-SE'])).toEqual({ language: 'en', locale: 'en-US' });
    expect(resolveLanguage('system', ['sv-FI', 'en-US'])).toEqual({
      language: 'sv',
      locale: 'sv-FI',
    });
    expect(resolveLanguage('system', ['de-DE', 'en-GB'])).toEqual({
      language: 'en',
      locale: 'en-GB',
    });
    expect(resolveLanguage('system', ['fr'])).toEqual({ language: 'en', locale: 'en-US' });
    expect(resolveLanguage('system', [])).toEqual({ language: 'en', locale: 'en-US' });
  });
});

/** Every leaf key of a nested resource object ('header.start', …). */
function leaves(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

describe('translations', () => {
  const english = leaves(en);
  const swedish = leaves(sv);

  it('Swedish has every English key and no other', () => {
    expect([...swedish.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('Swedish keeps every {{placeholder}} of the English text', () => {
    const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of english) expect(names(swedish.get(key)!), key).toEqual(names(text));
  });

  it('Swedish is translated, not copied (only names and symbols may stay the same)', () => {
    const same = [...english].filter(([k, v]) => swedish.get(k) === v).map(([k]) => k);
    // names, symbols and words Swedish shares with English
    const allowed =
      /^(common\.none|routes\.backtest|.*\.(symbol|status|local|token)|backtest\.(data|slippage)|dashboard\.pairState\.ok|shortcuts\.keyHint)$/;
    expect(same.filter((k) => !allowed.test(k))).toEqual([]);
  });
});

describe('Swedish words', () => {
  it('calls candles "ljus" everywhere, as the rest of the Swedish texts do', () => {
    const english = [...leaves(sv)]
      .filter(([, v]) => /\bcandles?\b(?!\.csv)/i.test(v.replace(/\{\{\w+\}\}/g, '')))
      .map(([k]) => k);
    expect(english).toEqual([]);
  });
});

describe('theme', () => {
  it('system follows the OS preference; light and dark are kept as chosen', () => {
    expect(resolveTheme('system', true)).toBe('light');
    expect(resolveTheme('system', false)).toBe('dark');
    expect(resolveTheme('light', false)).toBe('light');
    expect(resolveTheme('dark', true)).toBe('dark');
  });
});
