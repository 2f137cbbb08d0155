/** Input checks every source shares: symbol spelling, timeframe, history size. */
import { BotDeskError } from '../api/errors.ts';
import { Symbol, TIMEFRAMES, TIMEFRAME_MS } from '../api/schemas.ts';
import type { Timeframe } from '../api/schemas.ts';

export const MAX_HISTORY = 100_000;

export function checkSymbols(symbols: readonly string[]): void {
  if (symbols.length === 0)
    throw new BotDeskError('INVALID_INPUT', 'no symbols given; use e.g. BTC/USDT');
  for (const symbol of symbols) {
    if (!Symbol.safeParse(symbol).success) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `'${symbol}' is not a symbol; symbols look like BASE/QUOTE, e.g. BTC/USDT`,
      );
    }
  }
}

export function timeframeMs(timeframe: Timeframe): number {
  const ms = TIMEFRAME_MS[timeframe] as number | undefined;
  if (ms === undefined) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `'${String(timeframe)}' is not a timeframe; use one of ${TIMEFRAMES.join(', ')}`,
    );
  }
  return ms;
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_HISTORY) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `history limit must be an integer from 0 to ${MAX_HISTORY}, got ${limit}`,
    );
  }
}

export const MAX_RANGE = 1_000_000;

export function checkRange(candles: number): void {
  if (candles > MAX_RANGE) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `that period holds ${candles} candles; ask for at most ${MAX_RANGE} at a time`,
    );
  }
}

/** Levenshtein distance, for "did you mean …?" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest known name to `wanted`, if one is reasonably close. */
export function closestName(wanted: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const target = wanted.toUpperCase();
  for (const name of known) {
    const d = distance(target, name.toUpperCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(target.length / 3)) ? best : undefined;
}
