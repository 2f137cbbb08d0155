/**
 * Validation messages in the user's words and language: zod's defaults ("Too small:
 * expected number to be >0") are rewritten from the catalogue; a message the core wrote
 * for people is shown as is in English and in general words in other languages.
 */
import { coreWords, say } from '../i18n/say.ts';

const RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^Too small: expected number to be >=\s*(-?[\d.]+)$/, (m) => say('form.atLeast', { min: m[1] })],
  [
    /^Too small: expected number to be >\s*(-?[\d.]+)$/,
    (m) => say('form.greaterThan', { min: m[1] }),
  ],
  [/^Too big: expected number to be <=\s*(-?[\d.]+)$/, (m) => say('form.atMost', { max: m[1] })],
  [/^Too big: expected number to be <\s*(-?[\d.]+)$/, (m) => say('form.lessThan', { max: m[1] })],
  [
    /^Too small: expected array to have >=?\s*(\d+) items?$/,
    (m) => say('form.needsAtLeast', { min: m[1] }),
  ],
  [
    /^Too big: expected array to have <=?\s*(\d+) items?$/,
    (m) => say('form.takesAtMost', { max: m[1] }),
  ],
  [/^Too small: expected string to have >=?\s*1 characters?$/, () => say('form.notEmpty')],
  [/^Invalid input: expected (number|int), received .*$/, () => say('form.number')],
  [/^Invalid input: expected int, received number$/, () => say('form.wholeNumber')],
  [
    /^Invalid option: expected one of (.*)$/,
    (m) => say('form.oneOf', { options: m[1]!.replace(/\|/g, ', ') }),
  ],
  [/^symbol must look like BASE\/QUOTE/, () => say('form.symbol')],
];

export function plainWords(message: string): string {
  for (const [re, words] of RULES) {
    const m = message.match(re);
    if (m) return words(m);
  }
  return coreWords(message, 'form.coreMessage');
}
