/**
 * Paper trading as an Executor, over the bot's one Account (no wallet of its own). The
 * engine's orders do not pass through here: the trading core fills them at the next
 * candle's open (trading/step.ts). What remains is what a stop needs: cancel the orders
 * still waiting for their open, and close positions at once at the latest price (slippage
 * and fee from the same fill model). The order and fill records of paper orders are
 * built here, so the engine and the stop write the same shapes.
 */
import type { Fill, Order } from '../api/schemas.ts';
import type { Account } from '../trading/account.ts';
import {
  DEFAULT_FILL_MODEL,
  checkFillModel,
  fillMarketOrder,
  type FillModel,
  type ModelFill,
} from '../trading/fill-model.ts';
import type { PendingOrder } from '../trading/step.ts';
import type { ExecutionResult, Executor, OrderIntent, Wallet } from './types.ts';

/** The journal record of a paper order. `id` is `paper-<clientOrderId>`. */
export function paperOrder(
  o: { id: string; symbol: string; side: Order['side']; amount: number; reason: string },
  status: Order['status'],
  ts: number,
  price: number | null = null,
): Order {
  return {
    id: `paper-${o.id}`,
    clientOrderId: o.id,
    mode: 'paper',
    symbol: o.symbol,
    side: o.side,
    type: 'market',
    amount: o.amount,
    price,
    status,
    reason: o.reason,
    ts,
  };
}

/** The journal record of a paper fill of `order`. */
export function paperFill(order: Order, fill: ModelFill, quote: string): Fill {
  return {
    id: `${order.id}-1`,
    orderId: order.id,
    symbol: fill.symbol,
    side: fill.side,
    amount: fill.amount,
    price: fill.price,
    fee: fill.fee,
    feeCurrency: quote,
    ts: fill.ts,
  };
}

export interface PaperExchangeOptions {
  /** The bot's account: fills are applied to it, the wallet is read from it. */
  account: Account;
  /** Latest price per symbol (the last close the bot processed). */
  priceOf: (symbol: string) => number | undefined;
  now: () => number;
  fill?: FillModel;
  /** The trading core's orders waiting for their next open, canceled by `cancelOpenOrders`. */
  pending?: { cancelPending(): PendingOrder[] };
}

export class PaperExchange implements Executor {
  readonly mode = 'paper' as const;
  readonly #account: Account;
  readonly #priceOf: (symbol: string) => number | undefined;
  readonly #now: () => number;
  readonly #fill: FillModel;
  readonly #pending: PaperExchangeOptions['pending'];
  readonly #placed = new Map<string, ExecutionResult>();

  constructor(opts: PaperExchangeOptions) {
    this.#account = opts.account;
    this.#priceOf = opts.priceOf;
    this.#now = opts.now;
    this.#fill = checkFillModel(opts.fill ?? DEFAULT_FILL_MODEL);
    this.#pending = opts.pending;
  }

  wallet(): Wallet {
    return {
      quote: this.#account.quote,
      cash: this.#account.cash,
      holdings: this.#account.holdings(),
    };
  }

  async place(intent: OrderIntent, signal?: AbortSignal): Promise<ExecutionResult> {
    signal?.throwIfAborted();
    const previous = this.#placed.get(intent.clientOrderId);
    if (previous) return previous;
    const result = this.#execute(intent);
    this.#placed.set(intent.clientOrderId, result);
    return result;
  }

  #execute(intent: OrderIntent): ExecutionResult {
    const ts = this.#now();
    const account = this.#account;
    const base = { ...intent, id: intent.clientOrderId };
    const reject = (why: string): ExecutionResult => ({
      order: paperOrder({ ...base, reason: `${intent.reason}; rejected: ${why}` }, 'rejected', ts),
      fills: [],
    });
    if (!intent.symbol.endsWith(`/${account.quote}`))
      return reject(`${intent.symbol} is not quoted in ${account.quote}`);
    const reference = this.#priceOf(intent.symbol);
    if (reference === undefined || !(reference > 0))
      return reject(`no price for ${intent.symbol} yet`);
    const r = fillMarketOrder(
      intent,
      reference,
      account,
      account.rules(intent.symbol),
      this.#fill,
      ts,
    );
    if (!r.ok) return reject(r.reason);
    account.apply(r.fill);
    const order = paperOrder({ ...base, amount: r.fill.amount }, 'filled', ts, r.fill.price);
    return { order, fills: [paperFill(order, r.fill, account.quote)] };
  }

  /** Cancels the orders still waiting for their candle's open. */
  async cancelOpenOrders(signal?: AbortSignal): Promise<Order[]> {
    signal?.throwIfAborted();
    const ts = this.#now();
    return (this.#pending?.cancelPending() ?? []).map((o) =>
      paperOrder({ ...o, reason: `${o.reason}; canceled by the stop` }, 'canceled', ts),
    );
  }
}
