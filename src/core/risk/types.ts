/**
 * The RiskManager turns strategy signals into sized order intents or rejects them
 * with a reason. The context carries everything a rule may need (equity, wallet,
 * prices, positions with entry prices, the day's starting equity), so later rules —
 * stop-loss, take-profit, trailing stops, drawdown — plug in through `review()`
 * without changing the engine.
 */
import type { OrderSide, Position, RiskConfig, Signal } from '../api/schemas.ts';

export interface RiskContext {
  now: number;
  equity: number;
  cash: number;
  /** Open positions derived from fills (entry = avgPrice). */
  positions: ReadonlyMap<string, Position>;
  priceOf(symbol: string): number | undefined;
  entriesPaused: boolean;
}

export interface SizedIntent {
  symbol: string;
  side: OrderSide;
  amount: number;
  reason: string;
}

export type RiskDecision =
  { ok: true; intent: SizedIntent } | { ok: false; symbol: string; reason: string };

export interface RiskManager {
  /** Apply a changed config from the next decision on. */
  configure(config: RiskConfig): void;
  /** Decide on one strategy signal. */
  decide(signal: Signal, ctx: RiskContext): RiskDecision;
  /**
   * Rules that act on price updates without a signal (exits); called every tick before
   * signals are decided. The first implementation has no such rules and returns [].
   */
  review(ctx: RiskContext): SizedIntent[];
}
