/**
 * Donchian breakout (turtle style): enter long when the close exceeds the highest high of
 * the previous `entry` candles, exit when it falls below the lowest low of the previous
 * `exit` candles. The channels include the current candle, so the comparison is with
 * the channel as it stood before this candle.
 */
import { DonchianChannels } from 'trading-signals';
import { z } from 'zod';
import { defineStrategy } from '../definition.ts';
import { holding, reusableOutput, strengthOf } from './signal-rules.ts';

const NAMES = ['dcUpper', 'dcMiddle', 'dcLower', 'dcExitLower'];

export const donchianBreakout = defineStrategy({
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
  create(p) {
    const entry = new DonchianChannels(p.entry);
    const exit = new DonchianChannels(p.exit);
    const out = reusableOutput(NAMES);
    const { indicators } = out;
    let prevUpper = Number.NaN;
    let prevLower = Number.NaN;
    let prevExitLower = Number.NaN;
    return {
      update(candle) {
        // Fresh object: the library keeps its inputs, and callers may reuse the candle.
        const hl = { high: candle.high, low: candle.low };
        const e = entry.add(hl);
        const x = exit.add(hl);
        holding(out);
        indicators.dcUpper = e?.upper ?? null;
        indicators.dcMiddle = e?.middle ?? null;
        indicators.dcLower = e?.lower ?? null;
        indicators.dcExitLower = x?.lower ?? null;
        if (candle.close > prevUpper) {
          out.action = 'enter_long';
          out.strength = strengthOf(candle.close - prevUpper, prevUpper - prevLower);
        } else if (candle.close < prevExitLower) {
          out.action = 'exit';
          out.strength = strengthOf(prevExitLower - candle.close, prevUpper - prevLower);
        }
        prevUpper = e?.upper ?? Number.NaN;
        prevLower = e?.lower ?? Number.NaN;
        prevExitLower = x?.lower ?? Number.NaN;
        return out;
      },
    };
  },
});
