/**
 * Paper trading: market orders fill at once at the latest price moved against the
 * trader by a slippage model, with a proportional fee in the quote currency. The
 * wallet is seeded from the journal so a restarted bot keeps its balances.
 */
import { BotDeskError } from '../api/errors.ts';
import type { Fill, Order } from '../api/schemas.ts';
import type { ExecutionResult, Executor, OrderIntent, Wallet } from './types.ts';

export interface SlippageModel {
  /** Fill price for a market order at reference `price`. */
  fillPrice(side: 'buy' | 'sell', price: number, amount: number): number;
}

/** A fixed adverse move of `bps` basis points. */
export function fixedSlippage(bps: number): SlippageModel {
  if (!(bps >= 0)) throw new BotDeskError('INVALID_INPUT', `slippage must be ≥ 0 bps, got ${bps}`);
  return {
    fillPrice: (side, price) => price * (side === 'buy' ? 1 + bps / 10_000 : 1 - bps / 10_000),
  };
}

export interface PaperExchangeOptions {
  quote: string;
  cash: number;
  holdings?: ReadonlyMap<string, number>;
  priceOf: (symbol: string) => number | undefined;
  now: () => number;
  /** Fraction of the notional, e.g. 0.001 = 0.1 %. */
  feeRate?: number;
  slippage?: SlippageModel;
}

/** Base amounts are rounded down to this step, as exchanges do with amount precision. */
const AMOUNT_STEP = 1e-8;

export function floorAmount(amount: number): number {
  return Math.floor(amount / AMOUNT_STEP + 1e-6) * AMOUNT_STEP;
}

export class PaperExchange implements Executor {
  readonly mode = 'paper' as const;
  readonly #quote: string;
  #cash: number;
  readonly #holdings: Map<string, number>;
  readonly #priceOf: (symbol: string) => number | undefined;
  readonly #now: () => number;
  readonly #feeRate: number;
  readonly #slippage: SlippageModel;
  readonly #placed = new Map<string, ExecutionResult>();

  constructor(opts: PaperExchangeOptions) {
    this.#quote = opts.quote;
    this.#cash = opts.cash;
    this.#holdings = new Map(opts.holdings ?? []);
    this.#priceOf = opts.priceOf;
    this.#now = opts.now;
    this.#feeRate = opts.feeRate ?? 0.001;
    this.#slippage = opts.slippage ?? fixedSlippage(5);
  }

  wallet(): Wallet {
    return { quote: this.#quote, cash: this.#cash, holdings: new Map(this.#holdings) };
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
    const amount = floorAmount(intent.amount);
    const base: Order = {
      id: `paper-${intent.clientOrderId}`,
      clientOrderId: intent.clientOrderId,
      mode: 'paper',
      symbol: intent.symbol,
      side: intent.side,
      type: 'market',
      amount,
      price: null,
      status: 'rejected',
      reason: intent.reason,
      ts,
    };
    const reject = (why: string): ExecutionResult => ({
      order: { ...base, reason: `${intent.reason}; rejected: ${why}` },
      fills: [],
    });
    if (!intent.symbol.endsWith(`/${this.#quote}`))
      return reject(`${intent.symbol} is not quoted in ${this.#quote}`);
    if (!(amount > 0))
      return reject(`amount ${intent.amount} is below the amount step ${AMOUNT_STEP}`);
    const reference = this.#priceOf(intent.symbol);
    if (reference === undefined || !(reference > 0))
      return reject(`no price for ${intent.symbol} yet`);
    const price = this.#slippage.fillPrice(intent.side, reference, amount);
    const notional = amount * price;
    const fee = notional * this.#feeRate;
    const held = this.#holdings.get(intent.symbol) ?? 0;
    if (intent.side === 'buy') {
      if (notional + fee > this.#cash * (1 + 1e-9)) {
        return reject(
          `needs ${(notional + fee).toFixed(2)} ${this.#quote}, has ${this.#cash.toFixed(2)}`,
        );
      }
      this.#cash -= notional + fee;
      this.#holdings.set(intent.symbol, held + amount);
    } else {
      if (amount > held * (1 + 1e-9)) return reject(`sells ${amount} but holds ${held}`);
      this.#cash += notional - fee;
      const left = held - amount;
      if (left >= AMOUNT_STEP) this.#holdings.set(intent.symbol, left);
      else this.#holdings.delete(intent.symbol);
    }
    const order: Order = { ...base, price, status: 'filled' };
    const fill: Fill = {
      id: `${order.id}-1`,
      orderId: order.id,
      symbol: intent.symbol,
      side: intent.side,
      amount,
      price,
      fee,
      feeCurrency: this.#quote,
      ts,
    };
    return { order, fills: [fill] };
  }

  /** Paper market orders fill at once, so nothing rests on the book to cancel. */
  async cancelOpenOrders(signal?: AbortSignal): Promise<Order[]> {
    signal?.throwIfAborted();
    return [];
  }
}
