/**
 * The pool's side of the wire format: candles checked and packed into the Float64Array the
 * workers read, and worker outputs decoded back into signals. Pure functions, shared by
 * addPair, ticks and rebuilds, and kept apart so the format reads in one place.
 */
import { BotDeskError } from '../api/errors.ts';
import type { Candle, Signal } from '../api/schemas.ts';
import { ACTION_CODES, CANDLE_STRIDE, OUTPUT_HEADER, packCandles } from './protocol.ts';

export function checkCandles(key: string, candles: readonly Candle[], after: number): void {
  let last = after;
  for (const c of candles) {
    if (!(c.ts > last)) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `candles for '${key}' must be in strictly increasing time order after ${new Date(last).toISOString()}; got ts ${c.ts}`,
      );
    }
    last = c.ts;
  }
}

export function packed(candles: readonly Candle[]): Float64Array {
  const buf = new Float64Array(candles.length * CANDLE_STRIDE);
  packCandles(candles, buf, 0);
  return buf;
}

/**
 * Signals from a worker's outputs for `candles` (one OUTPUT_HEADER + indicators row each,
 * from `offset`), or null when a row is not one the worker writes (outside the protocol).
 * Ticks and the warm-up tail of addPair both read outputs through here.
 */
export function decodeSignals(
  out: Float64Array,
  offset: number,
  symbol: string,
  names: readonly string[],
  candles: readonly Candle[],
): Signal[] | null {
  const width = OUTPUT_HEADER + names.length;
  const signals: Signal[] = new Array(candles.length);
  for (let j = 0, o = offset; j < candles.length; j++, o += width) {
    const action = ACTION_CODES[out[o]!];
    const strength = out[o + 1]!;
    // The worker checks every output; anything else was not written by it.
    if (action === undefined || !(strength >= 0 && strength <= 1)) return null;
    const indicators: Record<string, number | null> = {};
    for (let k = 0; k < names.length; k++) {
      const v = out[o + OUTPUT_HEADER + k]!;
      indicators[names[k]!] = Number.isNaN(v) ? null : v;
    }
    const stop = out[o + 2]!;
    const target = out[o + 3]!;
    signals[j] = {
      symbol,
      ts: candles[j]!.ts,
      action,
      strength,
      indicators,
      ...(stop > 0 ? { stop } : {}),
      ...(target > 0 ? { target } : {}),
    };
  }
  return signals;
}
