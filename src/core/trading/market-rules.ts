/**
 * What a market accepts for an order: the amount step (ccxt `precision.amount` as a step),
 * an optional price step and minimums (ccxt `limits.amount.min`, `limits.cost.min`). The
 * simulated and replayed markets use DEFAULT_MARKET_RULES.
 */
import { BotDeskError } from '../api/errors.ts';
import { amountScale, type AmountScale } from './amount.ts';

export interface MarketRules {
  /** Base amounts are whole multiples of this. */
  amountStep: number;
  /** Prices are whole multiples of this (none: prices are not rounded). */
  priceStep?: number;
  /** Smallest base amount of an order. */
  minAmount?: number;
  /** Smallest notional (amount × price, quote currency) of an order. */
  minCost?: number;
}

/** Rules of the simulated market and replay files: 1e-8 amount steps, no minimums. */
export const DEFAULT_MARKET_RULES: Readonly<MarketRules> = Object.freeze({ amountStep: 1e-8 });

/** Checked rules with their amount scale, ready for the fill model. */
export interface CompiledRules extends MarketRules {
  readonly scale: AmountScale;
}

export function compileRules(rules: MarketRules = DEFAULT_MARKET_RULES): CompiledRules {
  const positive = (name: string, v: number | undefined, allowZero: boolean) => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      throw new BotDeskError('INVALID_INPUT', `market rule ${name} must be a number > 0, got ${v}`);
    }
  };
  positive('amountStep', rules.amountStep, false);
  positive('priceStep', rules.priceStep, false);
  positive('minAmount', rules.minAmount, true);
  positive('minCost', rules.minCost, true);
  return { ...rules, scale: amountScale(rules.amountStep) };
}

/** Rules per symbol, falling back to `fallback` for symbols without known rules. */
export type RulesOf = (symbol: string) => CompiledRules;

export function rulesTable(
  known: Readonly<Record<string, MarketRules>> = {},
  fallback: MarketRules = DEFAULT_MARKET_RULES,
): RulesOf {
  const base = compileRules(fallback);
  const table = new Map<string, CompiledRules>();
  for (const [symbol, r] of Object.entries(known)) table.set(symbol, compileRules(r));
  return (symbol) => table.get(symbol) ?? base;
}
