/**
 * Exchange limits from ccxt's market data — amount and price precision, minimum amount and
 * minimum cost — and the check every order passes in paper trading, backtests and live:
 * the amount is floored to the amount step, the price rounded to the price step, and an
 * order below the minimum amount or cost is refused with the limit it missed.
 */
import { BotDeskError } from '../../api/errors.ts';

/** The order rules of one symbol (same shape as the trading core's `MarketRules`). */
export interface MarketLimits {
  amountStep: number;
  priceStep?: number | undefined;
  minAmount?: number | undefined;
  minCost?: number | undefined;
}

/** ccxt's `precisionMode` values (ccxt/js/src/base/functions/number: DECIMAL_PLACES, SIGNIFICANT_DIGITS, TICK_SIZE). */
export const PRECISION_MODE = { DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 } as const;

type Num = number | undefined | null;

/** The part of a ccxt `Market` the limits come from. */
export interface CcxtMarketLike {
  symbol: string;
  precision: { amount?: Num; price?: Num };
  limits: { amount?: { min?: Num }; cost?: { min?: Num } };
}

function step(value: Num, mode: number, what: string, symbol: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (mode === PRECISION_MODE.TICK_SIZE) return value > 0 ? value : undefined;
  if (mode === PRECISION_MODE.DECIMAL_PLACES) return 10 ** -value;
  throw new BotDeskError(
    'INVALID_INPUT',
    `${symbol}: ${what} precision in significant digits is not supported (precisionMode ${mode})`,
  );
}

function positive(value: Num): number | undefined {
  return value !== undefined && value !== null && value > 0 ? value : undefined;
}

/**
 * `exchange.markets[symbol]` and `exchange.precisionMode` → the symbol's order rules
 * (ccxt's describe() defaults precisionMode to TICK_SIZE).
 */
export function limitsFromCcxtMarket(
  market: CcxtMarketLike,
  precisionMode: number | undefined,
): MarketLimits {
  const mode = precisionMode ?? PRECISION_MODE.TICK_SIZE;
  const amountStep = step(market.precision.amount, mode, 'amount', market.symbol);
  if (amountStep === undefined) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `${market.symbol}: the exchange reports no amount precision`,
    );
  }
  return {
    amountStep,
    priceStep: step(market.precision.price, mode, 'price', market.symbol),
    minAmount: positive(market.limits.amount?.min),
    minCost: positive(market.limits.cost?.min),
  };
}

/** Steps are decimal fractions: a tolerance of 1e-9 steps keeps 0.3 / 0.1 from flooring to 2. */
const STEP_TOLERANCE = 1e-9;

/** The amount as a whole number of steps, floored (an order never exceeds what was asked). */
export function amountSteps(amount: number, stepSize: number): number {
  return Math.floor(amount / stepSize + STEP_TOLERANCE);
}

function decimals(stepSize: number): number {
  const s = String(stepSize);
  const e = /e-(\d+)$/.exec(s);
  if (e) return Number(e[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Floors an amount to the step, as a clean decimal (0.30000000000000004 → 0.3). */
export function floorToStep(amount: number, stepSize: number): number {
  const n = amountSteps(amount, stepSize);
  return Number((n * stepSize).toFixed(Math.min(20, decimals(stepSize))));
}

/** Rounds a price to the nearest tick (no tick: unchanged). */
export function roundToTick(price: number, tick: number | undefined): number {
  if (tick === undefined) return price;
  return Number((Math.round(price / tick) * tick).toFixed(Math.min(20, decimals(tick))));
}

export type LimitsResult =
  | { ok: true; amount: number; price: number }
  | { ok: false; rule: 'min_amount' | 'min_cost'; reason: string };

/** An order of `amount` at `price` made to fit the symbol's rules, or refused with the limit it missed. */
export function applyLimits(amount: number, price: number, limits: MarketLimits): LimitsResult {
  const a = floorToStep(amount, limits.amountStep);
  const p = roundToTick(price, limits.priceStep);
  const minAmount = Math.max(limits.minAmount ?? 0, limits.amountStep);
  if (a < minAmount * (1 - STEP_TOLERANCE)) {
    return {
      ok: false,
      rule: 'min_amount',
      reason: `min_amount: amount ${amount} is below the minimum ${minAmount} after rounding to the step ${limits.amountStep}`,
    };
  }
  const cost = a * p;
  if (limits.minCost !== undefined && cost < limits.minCost * (1 - STEP_TOLERANCE)) {
    return {
      ok: false,
      rule: 'min_cost',
      reason: `min_cost: order value ${cost.toFixed(8)} is below the minimum ${limits.minCost}`,
    };
  }
  return { ok: true, amount: a, price: p };
}
