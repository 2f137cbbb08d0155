/**
 * How a paper or backtest market order fills: at a reference price (the open of the candle
 * after the decision, or a stop level) moved against the trader by `slippageBps`, the base
 * amount rounded down to the market's amount step, a proportional fee in the quote
 * currency. Refused, with the reason, when the amount rounds to nothing, is under the
 * market's minimums, the cash does not cover cost and fee, or a sell exceeds the holding.
 * Pure and synchronous: it reads the account and never changes it.
 */
import { BotDeskError } from '../api/errors.ts';
import type { OrderSide } from '../api/schemas.ts';
import type { Account, AccountFill } from './account.ts';
import type { CompiledRules } from './market-rules.ts';

export interface FillModel {
  /** Fee as a fraction of the notional, e.g. 0.001 = 0.1 %. */
  feeRate: number;
  /** Adverse price move of a market order, in basis points (5 = 0.05 %). */
  slippageBps: number;
}

/** What paper trading used before fees were settings: 0.1 % fee, 5 bps slippage. */
export const DEFAULT_FILL_MODEL: Readonly<FillModel> = Object.freeze({
  feeRate: 0.001,
  slippageBps: 5,
});

export function checkFillModel(model: FillModel): FillModel {
  if (!(model.feeRate >= 0 && model.feeRate < 1)) {
    throw new BotDeskError('INVALID_INPUT', `fee rate must be in [0, 1), got ${model.feeRate}`);
  }
  if (!(model.slippageBps >= 0 && model.slippageBps < 10_000)) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `slippage must be in [0, 10000) bps, got ${model.slippageBps}`,
    );
  }
  return model;
}

export interface MarketOrder {
  symbol: string;
  side: OrderSide;
  /** Base amount wanted; rounded down to the amount step (a sell of the holding sells all of it). */
  amount: number;
}

/** A fill from the model: the exact step count rides along for the account. */
export interface ModelFill extends AccountFill {
  steps: bigint;
}

/** A fill with every amount zero, to be filled in by fillMarketOrderInto. */
export function emptyFill(symbol: string): ModelFill {
  return { symbol, side: 'buy', amount: 0, steps: 0n, price: 0, fee: 0, ts: 0 };
}

export type FillResult = { ok: true; fill: ModelFill } | { ok: false; reason: string };

/** The price a market order of `side` gets at reference `price`, slippage and price step applied. */
export function slippedPrice(
  side: OrderSide,
  price: number,
  model: FillModel,
  rules: CompiledRules,
): number {
  const moved =
    price * (side === 'buy' ? 1 + model.slippageBps / 10_000 : 1 - model.slippageBps / 10_000);
  const step = rules.priceStep;
  if (step === undefined) return moved;
  // Adverse rounding: a buy pays the step above, a sell gets the step below.
  const ticks = moved / step;
  const whole = side === 'buy' ? Math.ceil(ticks - 1e-9) : Math.floor(ticks + 1e-9);
  return Math.max(whole, 1) * step;
}

export function fillMarketOrder(
  order: MarketOrder,
  refPrice: number,
  account: Account,
  rules: CompiledRules,
  model: FillModel,
  ts: number,
): FillResult {
  const fill = emptyFill(order.symbol);
  const refused = fillMarketOrderInto(order, refPrice, account, rules, model, ts, fill);
  return refused === null ? { ok: true, fill } : { ok: false, reason: refused };
}

/**
 * fillMarketOrder writing the fill into `out` (every field) and returning null, or
 * returning the reason it is refused (`out` then unspecified): the same model without an
 * allocation per order, for the single-pair backtest loop, which reuses one `out`.
 */
export function fillMarketOrderInto(
  order: MarketOrder,
  refPrice: number,
  account: Account,
  rules: CompiledRules,
  model: FillModel,
  ts: number,
  out: ModelFill,
): string | null {
  if (!(refPrice > 0) || !Number.isFinite(refPrice)) {
    return `no usable price for ${order.symbol} (${refPrice})`;
  }
  if (!(order.amount > 0) || !Number.isFinite(order.amount)) {
    return `amount ${order.amount} is not a positive number`;
  }
  const price = slippedPrice(order.side, refPrice, model, rules);
  let amount: number;
  let steps: bigint;
  let fee: number;
  if (order.side === 'sell') {
    const held = account.position(order.symbol);
    const sold = account.sellSteps(order.symbol, order.amount);
    if (!held || sold === undefined) {
      return `sells ${order.amount} but holds ${held?.amount ?? 0}`;
    }
    if (sold === 0n) {
      return `amount ${order.amount} is below the amount step ${rules.amountStep}`;
    }
    steps = sold;
    amount = steps === held.steps ? held.amount : rules.scale.toNumber(steps);
    fee = amount * price * model.feeRate;
  } else {
    const orderSteps = rules.orderScale.floor(order.amount);
    if (orderSteps === 0n) {
      return `amount ${order.amount} is below the amount step ${rules.amountStep}`;
    }
    amount = rules.orderScale.toNumber(orderSteps);
    // Positions count in the hold step when a journal needed a finer one (market-rules.ts).
    steps = rules.scale === rules.orderScale ? orderSteps : rules.scale.round(amount);
    if (rules.minAmount !== undefined && amount < rules.minAmount) {
      return `min_amount: amount ${amount} is below the minimum ${rules.minAmount}`;
    }
    const cost = amount * price;
    if (rules.minCost !== undefined && cost < rules.minCost) {
      return `min_cost: cost ${cost} is below the minimum ${rules.minCost}`;
    }
    fee = cost * model.feeRate;
    if (cost + fee > account.cash) {
      return `insufficient balance: needs ${(cost + fee).toFixed(2)} ${account.quote}, has ${account.cash.toFixed(2)}`;
    }
  }
  out.symbol = order.symbol;
  out.side = order.side;
  out.amount = amount;
  out.steps = steps;
  out.price = price;
  out.fee = fee;
  out.ts = ts;
  return null;
}
