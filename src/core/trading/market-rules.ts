/**
 * What a market accepts for an order: the amount step (ccxt `precision.amount` as a step),
 * an optional price step and minimums (ccxt `limits.amount.min`, `limits.cost.min`). The
 * simulated and replayed markets use DEFAULT_MARKET_RULES; paper trading and backtests on
 * exchange data use the exchange's (rules/limits.ts `limitsFromCcxtMarket`).
 *
 * Orders are on the amount step; positions are counted in the hold step, which is the amount
 * step unless fills recorded with a finer step (a journal written before the exchange's
 * rules were known) must be held exactly: then it is a decimal step fine enough for them.
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
  /** Positions are whole multiples of this (default: the amount step); see the top of the file. */
  holdStep?: number;
  /**
   * The exchange reported these rules: entries are sized and checked against them when
   * decided (a refusal names min_amount or min_cost), not only when they fill.
   */
  fromExchange?: boolean;
}

/** Rules of the simulated market and replay files: 1e-8 amount steps, no minimums. */
export const DEFAULT_MARKET_RULES: Readonly<MarketRules> = Object.freeze({ amountStep: 1e-8 });

/** Checked rules with their scales, ready for the fill model. */
export interface CompiledRules extends MarketRules {
  /** The hold step's scale: what positions are counted in. */
  readonly scale: AmountScale;
  /** The amount step's scale: what orders are floored to (the same object without a hold step). */
  readonly orderScale: AmountScale;
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
  positive('holdStep', rules.holdStep, false);
  const orderScale = amountScale(rules.amountStep);
  const scale = rules.holdStep === undefined ? orderScale : amountScale(rules.holdStep);
  return { ...rules, scale, orderScale };
}

/** Decimal places of a number's shortest form (0.00012 → 5, 1e-10 → 10, 1.5e-9 → 10). */
export function decimalPlaces(x: number): number {
  const text = String(x);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  return Math.max(0, (dot < 0 ? 0 : mantissa.length - dot - 1) - exponent);
}

/** Whether `amount` is a whole number of `rules`' hold steps (it is held exactly). */
export function onHoldStep(amount: number, rules: CompiledRules): boolean {
  return rules.scale.toNumber(rules.scale.round(amount)) === amount;
}

/**
 * `rules` with a hold step fine enough for every amount in `amounts` (fills recorded with a
 * finer step than the exchange's), or `rules` itself when they all fit.
 */
export function holdingFor(rules: CompiledRules, amounts: Iterable<number>): CompiledRules {
  let places = -1;
  for (const a of amounts) {
    if (!onHoldStep(a, rules)) places = Math.max(places, decimalPlaces(a));
  }
  if (places < 0) return rules;
  places = Math.max(places, decimalPlaces(rules.holdStep ?? rules.amountStep));
  const { scale: _s, orderScale: _o, ...plain } = rules;
  return compileRules({ ...plain, holdStep: Number(`1e-${places}`) });
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

/** The exchange's rules per symbol (entries sized and checked against them when decided). */
export function exchangeRulesTable(known: Readonly<Record<string, MarketRules>>): RulesOf {
  const marked: Record<string, MarketRules> = {};
  for (const [symbol, r] of Object.entries(known)) marked[symbol] = { ...r, fromExchange: true };
  return rulesTable(marked);
}
