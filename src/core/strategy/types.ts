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
  indicators: Record<string, number | null>;
}

export interface StrategyInstance {
  /** Feed one closed candle; returns the signal for that candle. Must be deterministic. */
  update(candle: Candle): StrategyOutput;
}

export interface StrategyDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string;
  name: string;
  description: string;
  params: S;
  /** Candles needed before signals are meaningful. */
  warmup(params: z.output<S>): number;
  create(params: z.output<S>): StrategyInstance;
}
