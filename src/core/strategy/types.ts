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
}
