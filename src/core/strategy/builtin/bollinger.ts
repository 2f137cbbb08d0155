/**
 * Bollinger bands, two readings of the same bands:
 * - reversion: enter long when the close falls through the lower band, exit when it
 *   climbs back through the middle band;
 * - breakout: enter long when the close breaks through the upper band, exit when it
 *   falls back through the middle band.
 */
import { z } from 'zod';
import { Bands as BandsKernel } from '../kernels.ts';
import { ENTER_LONG, EXIT, HOLD } from '../types.ts';
import { crossedAbove, crossedBelow, strengthOf } from './signal-rules.ts';
import { stepperStrategy } from './stepper.ts';

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
  return stepperStrategy({
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
    stepper(p) {
      const bb = new BandsKernel(p.period, p.deviations);
      const values = new Float64Array([Number.NaN, Number.NaN, Number.NaN]);
      const bands: Bands = { lower: 0, middle: 0, upper: 0 };
      const prev: Bands = { lower: 0, middle: 0, upper: 0 };
      let prevClose = Number.NaN;
      let hasPrev = false;
      return {
        values,
        strength: 0,
        step(_open, _high, _low, close) {
          if (!bb.next(close)) return HOLD;
          bands.upper = values[0] = bb.upper;
          bands.middle = values[1] = bb.middle;
          bands.lower = values[2] = bb.lower;
          let code = HOLD;
          if (hasPrev) {
            if (opts.enters(prevClose, prev, close, bands)) code = ENTER_LONG;
            else if (opts.exits(prevClose, prev, close, bands)) code = EXIT;
            if (code !== HOLD)
              this.strength = strengthOf(close - bands.middle, bands.upper - bands.middle);
          }
          prevClose = close;
          prev.upper = bands.upper;
          prev.middle = bands.middle;
          prev.lower = bands.lower;
          hasPrev = true;
          return code;
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
