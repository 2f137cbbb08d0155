/**
 * Donchian breakout (turtle style): enter long when the close exceeds the highest high of
 * the previous `entry` candles, exit when it falls below the lowest low of the previous
 * `exit` candles. The channels include the current candle, so the comparison is with
 * the channel as it stood before this candle.
 */
import { z } from 'zod';
import { Extremes } from '../kernels.ts';
import { ENTER_LONG, EXIT, HOLD } from '../types.ts';
import { strengthOf } from './signal-rules.ts';
import { stepperStrategy } from './stepper.ts';

const NAMES = ['dcUpper', 'dcMiddle', 'dcLower', 'dcExitLower'];

export const donchianBreakout = stepperStrategy({
  id: 'donchian-breakout',
  name: 'Donchian breakout',
  description:
    'Enters long when the close breaks above the highest high of the previous `entry` candles and exits when it breaks below the lowest low of the previous `exit` candles. Strength: breakout size in units of the entry channel width.',
  params: z.strictObject({
    entry: z.number().int().min(2).max(500).default(20).describe('Entry channel length (candles)'),
    exit: z.number().int().min(2).max(500).default(10).describe('Exit channel length (candles)'),
  }),
  indicators: NAMES,
  warmup: (p) => Math.max(p.entry, p.exit) + 1,
  stepper(p) {
    const entry = new Extremes(p.entry);
    const exit = new Extremes(p.exit);
    const values = new Float64Array([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    let prevUpper = Number.NaN;
    let prevLower = Number.NaN;
    let prevExitLower = Number.NaN;
    return {
      values,
      strength: 0,
      step(_open, high, low, close) {
        if (entry.next(high, low)) {
          values[0] = entry.upper;
          values[1] = (entry.upper + entry.lower) / 2;
          values[2] = entry.lower;
        }
        if (exit.next(high, low)) values[3] = exit.lower;
        let code = HOLD;
        if (close > prevUpper) {
          code = ENTER_LONG;
          this.strength = strengthOf(close - prevUpper, prevUpper - prevLower);
        } else if (close < prevExitLower) {
          code = EXIT;
          this.strength = strengthOf(prevExitLower - close, prevUpper - prevLower);
        }
        prevUpper = values[0]!;
        prevLower = values[2]!;
        prevExitLower = values[3]!;
        return code;
      },
    };
  },
});
