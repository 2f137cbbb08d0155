/** MACD signal-line cross: enter long when MACD crosses above its signal line, exit when below. */
import { EMA, MACD } from 'trading-signals';
import { z } from 'zod';
import { defineStrategy } from '../definition.ts';
import { holding, reusableOutput, strengthOf } from './signal-rules.ts';

const NAMES = ['macd', 'macdSignal', 'macdHistogram'];

export const macdCross = defineStrategy({
  id: 'macd-cross',
  name: 'MACD signal cross',
  description:
    'Enters long when the MACD line crosses above its signal line (histogram turns positive) and exits when it crosses below. Strength: histogram size in units of 0.1% of the price.',
  params: z
    .strictObject({
      fast: z.number().int().min(2).max(200).default(12).describe('Fast EMA period'),
      slow: z.number().int().min(3).max(400).default(26).describe('Slow EMA period'),
      signal: z.number().int().min(2).max(200).default(9).describe('Signal-line EMA period'),
    })
    .refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow', path: ['fast'] }),
  indicators: NAMES,
  warmup: (p) => p.slow + p.signal,
  create(p) {
    const macd = new MACD(new EMA(p.fast), new EMA(p.slow), new EMA(p.signal));
    const out = reusableOutput(NAMES);
    const { indicators } = out;
    let prevHistogram = Number.NaN;
    return {
      update(candle) {
        const r = macd.add(candle.close);
        holding(out);
        // The signal line is an EMA of MACD values: only meaningful once it has seen `signal` of them.
        if (r === null || !macd.signal.isStable) {
          indicators.macd = null;
          indicators.macdSignal = null;
          indicators.macdHistogram = null;
          return out;
        }
        indicators.macd = r.macd;
        indicators.macdSignal = r.signal;
        indicators.macdHistogram = r.histogram;
        if (prevHistogram <= 0 && r.histogram > 0) out.action = 'enter_long';
        else if (prevHistogram >= 0 && r.histogram < 0) out.action = 'exit';
        if (out.action !== 'hold') out.strength = strengthOf(r.histogram, candle.close * 0.001);
        prevHistogram = r.histogram;
        return out;
      },
    };
  },
});
