/**
 * Validation messages in the user's words: zod's defaults ("Too small: expected number
 * to be >0") are rewritten; messages written for people pass through unchanged.
 */
const RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^Too small: expected number to be >=\s*(-?[\d.]+)$/, (m) => `must be at least ${m[1]}`],
  [/^Too small: expected number to be >\s*(-?[\d.]+)$/, (m) => `must be greater than ${m[1]}`],
  [/^Too big: expected number to be <=\s*(-?[\d.]+)$/, (m) => `must be at most ${m[1]}`],
  [/^Too big: expected number to be <\s*(-?[\d.]+)$/, (m) => `must be less than ${m[1]}`],
  [/^Too small: expected array to have >=?\s*(\d+) items?$/, (m) => `needs at least ${m[1]}`],
  [/^Too big: expected array to have <=?\s*(\d+) items?$/, (m) => `takes at most ${m[1]}`],
  [/^Too small: expected string to have >=?\s*1 characters?$/, () => 'must not be empty'],
  [/^Invalid input: expected (number|int), received .*$/, () => 'must be a number'],
  [/^Invalid input: expected int, received number$/, () => 'must be a whole number'],
  [/^Invalid option: expected one of (.*)$/, (m) => `must be one of ${m[1]!.replace(/\|/g, ', ')}`],
];

export function plainWords(message: string): string {
  for (const [re, say] of RULES) {
    const m = message.match(re);
    if (m) return say(m);
  }
  return message;
}
