/**
 * Checks made before a live order is sent, from what is known locally (markets, the last
 * balance, the ledger): a reason to refuse it, or the amount to send at the exchange's
 * precision with the quote a buy may spend. Refused orders never reach the exchange.
 */
import type { Exchange } from 'ccxt';
import type { LedgerOrder } from './ccxt-ledger.ts';
import type { OrderIntent } from './types.ts';

export interface PrecheckContext {
  exchange: Exchange;
  quote: string;
  /** An order on the same symbol still awaiting the exchange's answer, if any. */
  waiting: LedgerOrder | undefined;
  /** Free balance of an asset, from the last fetchBalance. */
  free: (asset: string) => number;
  /**
   * For buys: the quote free for new orders on the exchange after the bot's own orders in
   * flight (`reserved`). Absent before the first fetchBalance.
   */
  budget?: { available: number; reserved: number } | undefined;
  priceOf?: (symbol: string) => number | undefined;
}

/** Taker fee assumed when the market does not say (Binance spot's). */
const DEFAULT_TAKER = 0.001;

export function precheckOrder(
  intent: OrderIntent,
  ctx: PrecheckContext,
): string | { amount: number; reason: string; cost: number; limitPrice: number | null } {
  const { exchange, quote, waiting } = ctx;
  const market = exchange.markets?.[intent.symbol];
  if (!market) return `${intent.symbol} is not a market on ${exchange.id}`;
  if (!intent.symbol.endsWith(`/${quote}`)) return `${intent.symbol} is not quoted in ${quote}`;
  // A second order while the first one's fate is unknown could double the position.
  if (waiting)
    return `order ${waiting.clientId} on ${intent.symbol} still awaits the exchange's answer`;
  let amount = intent.amount;
  let reason = intent.reason;
  if (intent.side === 'sell') {
    // A fee taken in the base currency leaves less than the position's amount to sell.
    const free = ctx.free(market.base);
    if (amount > free) {
      reason = `${reason}; amount cut from ${amount} to the ${free} ${market.base} available`;
      amount = free;
    }
  }
  let precise: number;
  try {
    precise = Number(exchange.amountToPrecision(intent.symbol, amount));
  } catch {
    precise = 0;
  }
  if (!(precise > 0)) return `amount ${amount} is below ${intent.symbol}'s amount step`;
  const minAmount = market.limits?.amount?.min;
  if (minAmount !== undefined && precise < minAmount)
    return `amount ${precise} is below ${intent.symbol}'s minimum ${minAmount}`;
  let limitPrice: number | null = null;
  if (intent.limitPrice !== undefined) {
    try {
      limitPrice = Number(exchange.priceToPrecision(intent.symbol, intent.limitPrice));
    } catch {
      limitPrice = 0;
    }
    if (!(limitPrice > 0))
      return `limit price ${intent.limitPrice} is not a valid price on ${intent.symbol}`;
  }
  // A limit order costs its limit price; a market order about the last price.
  const price = limitPrice ?? ctx.priceOf?.(intent.symbol);
  const minCost = market.limits?.cost?.min;
  if (price !== undefined && minCost !== undefined && precise * price < minCost)
    return `order value ${(precise * price).toFixed(2)} ${quote} is below ${intent.symbol}'s minimum ${minCost}`;
  const cost =
    intent.side === 'buy' && price !== undefined
      ? precise * price * (1 + (market.taker ?? DEFAULT_TAKER))
      : 0;
  const budget = ctx.budget;
  if (budget && cost > budget.available)
    return `insufficient balance: the order needs about ${cost.toFixed(2)} ${quote}, ${exchange.id} has ${budget.available.toFixed(2)} ${quote} free for new orders${budget.reserved > 0 ? ` (after ${budget.reserved.toFixed(2)} held for orders in flight)` : ''}`;
  return { amount: precise, reason, cost, limitPrice };
}
