/**
 * One state machine per built-in strategy, driven two ways: update() feeds it a candle
 * object and fills the reusable output; the columnar form feeds it whole columns and
 * writes typed arrays. Both run the very same step, so they cannot disagree.
 */
import type { z } from 'zod';
import { defineStrategy } from '../definition.ts';
import {
  ACTION_BY_CODE,
  type CandleColumns,
  type ColumnarSignals,
  type StrategyDefinition,
} from '../types.ts';
import { reusableOutput } from './signal-rules.ts';

export interface Stepper {
  /** Feeds one closed candle; returns the action code and sets `strength` and `values`. */
  step(open: number, high: number, low: number, close: number): number;
  /** Strength of the last step's action (0 on hold). */
  strength: number;
  /** The last step's indicator values, in the definition's order; NaN while not ready. */
  readonly values: Float64Array;
}

/** A definition whose update() and columnar form are both built from `stepper`. */
export type StepperStrategy<S extends z.ZodObject> = Omit<
  StrategyDefinition<S>,
  'create' | 'columnar'
> & {
  stepper(params: z.output<S>): Stepper;
  /**
   * Optional one-pass kernel of the signals alone (no indicator columns), used when a
   * columnar call asks for no indicators (backtests); it must equal the stepper's signals.
   */
  signals?(
    params: z.output<S>,
    columns: CandleColumns,
  ): Pick<ColumnarSignals, 'action' | 'strength'> | null;
};

export function stepperStrategy<S extends z.ZodObject>(
  spec: StepperStrategy<S>,
): StrategyDefinition<S> {
  const names = spec.indicators;
  return defineStrategy({
    id: spec.id,
    name: spec.name,
    description: spec.description,
    params: spec.params,
    indicators: names,
    warmup: spec.warmup,
    create(p) {
      const s = spec.stepper(p);
      const out = reusableOutput(names);
      const { indicators } = out;
      const values = s.values;
      return {
        update(candle) {
          const code = s.step(candle.open, candle.high, candle.low, candle.close);
          out.action = ACTION_BY_CODE[code]!;
          out.strength = code === 0 ? 0 : s.strength;
          for (let k = 0; k < names.length; k++) {
            const v = values[k]!;
            indicators[names[k]!] = Number.isNaN(v) ? null : v;
          }
          return out;
        },
      };
    },
    columnar(p, columns, opts) {
      // The kernel declines (null) columns it does not cover; the stepper covers everything.
      const fast = opts?.indicators === false ? spec.signals?.(p, columns) : undefined;
      if (fast) return { action: fast.action, strength: fast.strength, indicators: [] };
      return runColumns(spec.stepper(p), columns, opts?.indicators === false ? 0 : names.length);
    },
  });
}

function runColumns(s: Stepper, c: CandleColumns, width: number): ColumnarSignals {
  const n = c.close.length;
  const action = new Uint8Array(n);
  const strength = new Float64Array(n);
  const indicators: Float64Array[] = [];
  for (let k = 0; k < width; k++) indicators.push(new Float64Array(n));
  const { open, high, low, close } = c;
  const values = s.values;
  // Unrolled for the common widths so the hot loop has no inner loop.
  const i0 = indicators[0];
  const i1 = indicators[1];
  for (let i = 0; i < n; i++) {
    const code = s.step(open[i]!, high[i]!, low[i]!, close[i]!);
    if (code !== 0) {
      action[i] = code;
      strength[i] = s.strength;
    }
    if (width === 2) {
      i0![i] = values[0]!;
      i1![i] = values[1]!;
    } else if (width !== 0) for (let k = 0; k < width; k++) indicators[k]![i] = values[k]!;
  }
  return { action, strength, indicators };
}
