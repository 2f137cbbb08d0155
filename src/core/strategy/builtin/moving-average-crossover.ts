/**
 * Moving-average crossover: enter long when the fast average crosses above the slow one,
 * exit when it crosses below. SMA and EMA variants differ only in the average.
 */
import { z } from 'zod';
import { Ema, RollingMean } from '../kernels.ts';
import { ENTER_LONG, EXIT, HOLD } from '../types.ts';
import { emaCrossSignals, smaCrossSignals, type SignalColumns } from './cross-columns.ts';
import { crossedAbove, crossedBelow, strengthOf } from './signal-rules.ts';
import { stepperStrategy } from './stepper.ts';

interface Average {
  /** NaN until ready. */
  next(price: number): number;
}

function crossoverParams(fast: number, slow: number) {
  return z
    .strictObject({
      fast: z
        .number()
        .int()
        .min(2)
        .max(500)
        .default(fast)
        .describe('Period of the fast average (candles)'),
      slow: z
        .number()
        .int()
        .min(3)
        .max(1000)
        .default(slow)
        .describe('Period of the slow average (candles)'),
    })
    .refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow', path: ['fast'] });
}

function movingAverageCrossover(opts: {
  id: string;
  name: string;
  label: string;
  defaults: { fast: number; slow: number };
  average: (period: number) => Average;
  /** The one-pass kernel of the signals (cross-columns.ts). */
  signals: (fast: number, slow: number, close: Float64Array) => SignalColumns | null;
}) {
  const names = [`${opts.label}Fast`, `${opts.label}Slow`];
  return stepperStrategy({
    id: opts.id,
    name: opts.name,
    description: `Enters long when the fast ${opts.label.toUpperCase()} crosses above the slow one and exits when it crosses back below. Strength: distance between the averages in units of 1% of the price.`,
    params: crossoverParams(opts.defaults.fast, opts.defaults.slow),
    indicators: names,
    warmup: (p) => p.slow + 1,
    signals: (p, columns) => opts.signals(p.fast, p.slow, columns.close),
    stepper(p) {
      const fast = opts.average(p.fast);
      const slow = opts.average(p.slow);
      const values = new Float64Array([Number.NaN, Number.NaN]);
      let prevFast = Number.NaN;
      let prevSlow = Number.NaN;
      return {
        values,
        strength: 0,
        step(_open, _high, _low, close) {
          const f = fast.next(close);
          const s = slow.next(close);
          if (Number.isNaN(f) || Number.isNaN(s)) return HOLD;
          values[0] = f;
          values[1] = s;
          // NaN on the first ready candle makes both comparisons false: no signal without a previous value.
          let code = HOLD;
          if (crossedAbove(prevFast, prevSlow, f, s)) code = ENTER_LONG;
          else if (crossedBelow(prevFast, prevSlow, f, s)) code = EXIT;
          if (code !== HOLD) this.strength = strengthOf(f - s, close * 0.01);
          prevFast = f;
          prevSlow = s;
          return code;
        },
      };
    },
  });
}

export const smaCrossover = movingAverageCrossover({
  id: 'sma-crossover',
  name: 'SMA crossover',
  label: 'sma',
  defaults: { fast: 10, slow: 30 },
  average: (period) => new RollingMean(period),
  signals: smaCrossSignals,
});

export const emaCrossover = movingAverageCrossover({
  id: 'ema-crossover',
  name: 'EMA crossover',
  label: 'ema',
  defaults: { fast: 12, slow: 26 },
  average: (period) => new Ema(period),
  signals: emaCrossSignals,
});
