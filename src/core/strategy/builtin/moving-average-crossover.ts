/**
 * Moving-average crossover: enter long when the fast average crosses above the slow one,
 * exit when it crosses below. SMA and EMA variants differ only in the average.
 */
import { EMA, SMA } from 'trading-signals';
import { z } from 'zod';
import { defineStrategy } from '../definition.ts';
import { crossedAbove, crossedBelow, holding, reusableOutput, strengthOf } from './signal-rules.ts';

interface Average {
  add(price: number): number | null;
  readonly isStable: boolean;
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
}) {
  const fastName = `${opts.label}Fast`;
  const slowName = `${opts.label}Slow`;
  const names = [fastName, slowName];
  return defineStrategy({
    id: opts.id,
    name: opts.name,
    description: `Enters long when the fast ${opts.label.toUpperCase()} crosses above the slow one and exits when it crosses back below. Strength: distance between the averages in units of 1% of the price.`,
    params: crossoverParams(opts.defaults.fast, opts.defaults.slow),
    indicators: names,
    warmup: (p) => p.slow + 1,
    create(p) {
      const fast = opts.average(p.fast);
      const slow = opts.average(p.slow);
      const out = reusableOutput(names);
      const { indicators } = out;
      let prevFast = Number.NaN;
      let prevSlow = Number.NaN;
      return {
        update(candle) {
          const f = fast.add(candle.close);
          const s = slow.add(candle.close);
          holding(out);
          if (f === null || s === null || !fast.isStable || !slow.isStable) {
            indicators[fastName] = null;
            indicators[slowName] = null;
            return out;
          }
          indicators[fastName] = f;
          indicators[slowName] = s;
          // NaN on the first stable candle makes both comparisons false: no signal without a previous value.
          if (crossedAbove(prevFast, prevSlow, f, s)) out.action = 'enter_long';
          else if (crossedBelow(prevFast, prevSlow, f, s)) out.action = 'exit';
          if (out.action !== 'hold') out.strength = strengthOf(f - s, candle.close * 0.01);
          prevFast = f;
          prevSlow = s;
          return out;
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
  average: (period) => new SMA(period),
});

export const emaCrossover = movingAverageCrossover({
  id: 'ema-crossover',
  name: 'EMA crossover',
  label: 'ema',
  defaults: { fast: 12, slow: 26 },
  average: (period) => new EMA(period),
});
