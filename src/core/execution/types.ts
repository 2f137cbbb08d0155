/**
 * What the engine needs from order execution. PaperExchange implements it now; the
 * ccxt live executor (a later issue) implements the same interface, which is why
 * every call takes an AbortSignal and orders carry an idempotent clientOrderId.
 */
import type { Fill, Order, OrderSide, TradingMode } from '../api/schemas.ts';
import type { JournalEvent } from '../journal/journal.ts';

export interface OrderIntent {
  symbol: string;
  side: OrderSide;
  /** Base-currency amount. */
  amount: number;
  /** Why the order exists (signal, stop, close on stop…), stored with the order. */
  reason: string;
  /** Placing the same id twice returns the first result and never trades twice. */
  clientOrderId: string;
  /**
   * Live executors: a limit order at this quote price, resting on the exchange until it
   * fills or is canceled (a stop cancels it). Absent: a market order.
   */
  limitPrice?: number;
}

export interface ExecutionResult {
  /** `status: 'rejected'` with the reason when the order could not be placed. */
  order: Order;
  fills: Fill[];
}

export interface Wallet {
  /** The quote currency every symbol of the bot trades against. */
  quote: string;
  cash: number;
  /** Base amount held per symbol. */
  holdings: ReadonlyMap<string, number>;
}

/**
 * What happened to orders outside `place()` (late and partial fills, cancels, what a
 * reconcile found): the engine journals it in one transaction and publishes it.
 */
export interface ExecutorUpdate {
  orders: Order[];
  fills: Fill[];
  events: JournalEvent[];
  /** Differences the user must see (shown as warnings and logged). */
  notices: string[];
}

export interface Executor {
  readonly mode: TradingMode;
  place(intent: OrderIntent, signal?: AbortSignal): Promise<ExecutionResult>;
  /** Cancel every resting order; returns the canceled orders. */
  cancelOpenOrders(signal?: AbortSignal): Promise<Order[]>;
  wallet(): Wallet;
  /**
   * Live executors: reconcile with the exchange (orders left pending or open, recent
   * trades) before the first order of a run; the result is journaled before trading.
   */
  prepare?(signal: AbortSignal): Promise<ExecutorUpdate>;
  /** Updates gathered outside the tick since the last call (journaled with the next tick). */
  takeUpdates?(): ExecutorUpdate;
  /** Stop background polling and close connections (after the stop behaviour ran). */
  close?(): Promise<void>;
  /**
   * Live executors: the quote cash new orders may spend — the exchange's free balance minus
   * the bot's own orders it may not show yet. Entries are sized within it (the bot's account
   * may hold more, from `startingBalance`). Undefined until the balance is known.
   */
  availableCash?(): number | undefined;
}
