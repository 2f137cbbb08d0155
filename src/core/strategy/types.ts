/**
 * A strategy is a plain, declarative definition: parameter schema (zod, with
 * defaults and ranges), warm-up length and an incremental state machine. The same
 * definition serves live trading, backtests and optimisation.
 */
import type { z } from 'zod';
import type { Candle, SignalAction } from '../api/schemas.ts';

export interface StrategyOutput {
  action: SignalAction;
  /** 0..1 */
  strength: number;
  /** Values of the definition's `indicators`, by name (null while warming up). */
  indicators: Record<string, number | null>;
  /** An entry may carry its own stop and target prices (absolute); the risk rules enforce them. */
  stop?: number;
  target?: number;
}

export interface StrategyInstance {
  /**
   * Feed one closed candle; returns the signal for that candle. Must be deterministic.
   * The hot path avoids allocation, so callers may pass a reused candle object (copy the
   * fields you keep, never the object) and instances may return the same output object
   * on every call (callers copy what they keep before the next call).
   */
  update(candle: Candle): StrategyOutput;
}

export interface StrategyDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string;
  name: string;
  description: string;
  params: S;
  /** Names of the indicator values update() reports, in a fixed order (the chart's series). */
  indicators: readonly string[];
  /** Candles needed before signals are meaningful. */
  warmup(params: z.output<S>): number;
  create(params: z.output<S>): StrategyInstance;
  /**
   * Optional columnar form: the signals of a whole series at once, one entry per candle,
   * exactly what feeding the candles to a fresh update() one by one gives. Backtests use
   * it when present (it is many times faster); update() stays the reference.
   */
  columnar?(params: z.output<S>, columns: CandleColumns, opts?: ColumnarOptions): ColumnarSignals;
}

/** A candle series as parallel columns (index i of each is candle i, oldest first). */
export interface CandleColumns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Action codes of a columnar form, by index: 0 hold, 1 enter_long, 2 exit. */
export const ACTION_BY_CODE: readonly SignalAction[] = ['hold', 'enter_long', 'exit'];
export const HOLD = 0;
export const ENTER_LONG = 1;
export const EXIT = 2;

export interface ColumnarOptions {
  /** Fill the indicator columns (default true); a backtest needs only actions and strengths. */
  indicators?: boolean;
}

export interface ColumnarSignals {
  /** ACTION_BY_CODE index per candle. */
  action: Uint8Array;
  /** 0..1 per candle (0 on hold). */
  strength: Float64Array;
  /** One column per name of the definition's `indicators`, in that order; NaN = null (empty when not asked for). */
  indicators: Float64Array[];
}
