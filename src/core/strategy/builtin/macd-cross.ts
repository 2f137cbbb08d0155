/** MACD signal-line cross: enter long when MACD crosses above its signal line, exit when below. */
import { z } from 'zod';
import { Macd } from '../kernels.ts';
import { ENTER_LONG, EXIT, HOLD } from '../types.ts';
import { macdSignals } from './macd-columns.ts';
import { strengthOf } from './signal-rules.ts';
import { stepperStrategy } from './stepper.ts';

const NAMES = ['macd', 'macdSignal', 'macdHistogram'];

export const macdCross = stepperStrategy({
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
  signals: (p, columns) => macdSignals(p.fast, p.slow, p.signal, columns.close),
  stepper(p) {
    const macd = new Macd(p.fast, p.slow, p.signal);
    const values = new Float64Array([Number.NaN, Number.NaN, Number.NaN]);
    let prevHistogram = Number.NaN;
    return {
      values,
      strength: 0,
      step(_open, _high, _low, close) {
        // The signal line is an EMA of MACD values: only meaningful once it has seen `signal` of them.
        if (!macd.next(close)) return HOLD;
        const histogram = macd.histogram;
        values[0] = macd.macd;
        values[1] = macd.signal;
        values[2] = histogram;
        let code = HOLD;
        if (prevHistogram <= 0 && histogram > 0) code = ENTER_LONG;
        else if (prevHistogram >= 0 && histogram < 0) code = EXIT;
        if (code !== HOLD) this.strength = strengthOf(histogram, close * 0.001);
        prevHistogram = histogram;
        return code;
      },
    };
  },
});
