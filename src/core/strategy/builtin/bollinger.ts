/**
 * Bollinger bands, two readings of the same bands:
 * - reversion: enter long when the close falls through the lower band, exit when it
 *   climbs back through the middle band;
 * - breakout: enter long when the close breaks through the upper band, exit when it
 *   falls back through the middle band.
 */
import { BollingerBands } from 'trading-signals';
import { z } from 'zod';
import { defineStrategy } from '../definition.ts';
import { crossedAbove, crossedBelow, holding, reusableOutput, strengthOf } from './signal-rules.ts';

const NAMES = ['bbUpper', 'bbMiddle', 'bbLower'];

type Bands = { lower: number; middle: number; upper: number };

function bollingerStrategy(opts: {
  id: string;
  name: string;
  description: string;
  /** Entry test on the previous and current close against the previous and current bands. */
  enters: (prevClose: number, prev: Bands, close: number, bands: Bands) => boolean;
  /** Exit test, same arguments. */
  exits: (prevClose: number, prev: Bands, close: number, bands: Bands) => boolean;
}) {
  return defineStrategy({
    id: opts.id,
    name: opts.name,
    description: `${opts.description} Strength: distance of the close from the middle band in band half-widths.`,
    params: z.strictObject({
      period: z
        .number()
        .int()
        .min(2)
        .max(500)
        .default(20)
        .describe('Period of the middle band (SMA, candles)'),
      deviations: z
        .number()
        .gt(0)
        .max(10)
        .default(2)
        .describe('Band half-width in standard deviations'),
    }),
    indicators: NAMES,
    warmup: (p) => p.period + 1,
    create(p) {
      const bb = new BollingerBands(p.period, p.deviations);
      const out = reusableOutput(NAMES);
      const { indicators } = out;
      let prevClose = Number.NaN;
      let prev: Bands | null = null;
      return {
        update(candle) {
          const bands = bb.add(candle.close);
          holding(out);
          indicators.bbUpper = bands?.upper ?? null;
          indicators.bbMiddle = bands?.middle ?? null;
          indicators.bbLower = bands?.lower ?? null;
          if (bands === null) return out;
          const close = candle.close;
          if (prev !== null) {
            if (opts.enters(prevClose, prev, close, bands)) out.action = 'enter_long';
            else if (opts.exits(prevClose, prev, close, bands)) out.action = 'exit';
            if (out.action !== 'hold')
              out.strength = strengthOf(close - bands.middle, bands.upper - bands.middle);
          }
          prevClose = close;
          prev = bands;
          return out;
        },
      };
    },
  });
}

export const bollingerReversion = bollingerStrategy({
  id: 'bollinger-reversion',
  name: 'Bollinger bands reversion',
  description:
    'Enters long when the close falls below the lower band and exits when it climbs back above the middle band.',
  enters: (pc, pb, c, b) => crossedBelow(pc, pb.lower, c, b.lower),
  exits: (pc, pb, c, b) => crossedAbove(pc, pb.middle, c, b.middle),
});

export const bollingerBreakout = bollingerStrategy({
  id: 'bollinger-breakout',
  name: 'Bollinger bands breakout',
  description:
    'Enters long when the close breaks above the upper band and exits when it falls back below the middle band.',
  enters: (pc, pb, c, b) => crossedAbove(pc, pb.upper, c, b.upper),
  exits: (pc, pb, c, b) => crossedBelow(pc, pb.middle, c, b.middle),
});
