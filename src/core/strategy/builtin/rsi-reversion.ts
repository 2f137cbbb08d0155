/**
 * RSI mean reversion: enter long when RSI falls through the oversold level,
 * exit when it rises through the overbought level.
 */
import { RSI } from 'trading-signals';
import { z } from 'zod';
import { defineStrategy } from '../definition.ts';
import { crossedAbove, crossedBelow, holding, reusableOutput, strengthOf } from './signal-rules.ts';

export const rsiReversion = defineStrategy({
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
  create(p) {
    const rsi = new RSI(p.period);
    const out = reusableOutput(['rsi']);
    let prev = Number.NaN;
    return {
      update(candle) {
        const r = rsi.add(candle.close);
        holding(out).indicators.rsi = r;
        if (r === null) return out;
        if (crossedBelow(prev, p.oversold, r, p.oversold)) {
          out.action = 'enter_long';
          out.strength = strengthOf(p.oversold - r, 10);
        } else if (crossedAbove(prev, p.overbought, r, p.overbought)) {
          out.action = 'exit';
          out.strength = strengthOf(r - p.overbought, 10);
        }
        prev = r;
        return out;
      },
    };
  },
});
