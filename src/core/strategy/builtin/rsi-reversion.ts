/**
 * RSI mean reversion: enter long when RSI falls through the oversold level,
 * exit when it rises through the overbought level.
 */
import { z } from 'zod';
import { Rsi } from '../kernels.ts';
import { ENTER_LONG, EXIT, HOLD } from '../types.ts';
import { crossedAbove, crossedBelow, strengthOf } from './signal-rules.ts';
import { stepperStrategy } from './stepper.ts';

export const rsiReversion = stepperStrategy({
  id: 'rsi-reversion',
  name: 'RSI mean reversion',
  description:
    'Enters long when RSI drops below the oversold level and exits when it rises above the overbought level. Strength: how far RSI went past the level, in units of 10 RSI points.',
  params: z
    .strictObject({
      period: z.number().int().min(2).max(200).default(14).describe('RSI period (candles)'),
      oversold: z.number().min(1).max(99).default(30).describe('Enter below this RSI'),
      overbought: z.number().min(1).max(99).default(70).describe('Exit above this RSI'),
    })
    .refine((p) => p.oversold < p.overbought, {
      message: 'oversold must be below overbought',
      path: ['oversold'],
    }),
  indicators: ['rsi'],
  warmup: (p) => p.period + 2,
  stepper(p) {
    const rsi = new Rsi(p.period);
    const values = new Float64Array([Number.NaN]);
    let prev = Number.NaN;
    return {
      values,
      strength: 0,
      step(_open, _high, _low, close) {
        const r = rsi.next(close);
        values[0] = r;
        if (Number.isNaN(r)) return HOLD;
        let code = HOLD;
        if (crossedBelow(prev, p.oversold, r, p.oversold)) {
          code = ENTER_LONG;
          this.strength = strengthOf(p.oversold - r, 10);
        } else if (crossedAbove(prev, p.overbought, r, p.overbought)) {
          code = EXIT;
          this.strength = strengthOf(r - p.overbought, 10);
        }
        prev = r;
        return code;
      },
    };
  },
});
