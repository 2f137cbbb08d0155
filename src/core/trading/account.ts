/**
 * The one account of a bot or a backtest: quote cash and per-symbol positions, derived
 * only from fills. The paper engine applies its fills here, the journal replays stored
 * fills through one of these on restart, and the backtester runs on one: there is no
 * second copy of cash or positions to drift apart.
 *
 * Positions use the average-cost method; realized PnL is net of fees (both sides' fees
 * are charged to the symbol's realized PnL). Amounts are whole steps (amount.ts), so a
 * sell of what is held leaves exactly zero, never dust.
 */
import { BotDeskError } from '../api/errors.ts';
import type { OrderSide, Position } from '../api/schemas.ts';
import { DEFAULT_MARKET_RULES, compileRules, type RulesOf } from './market-rules.ts';

/** What the account needs from a fill (schemas' `Fill` is one). */
export interface AccountFill {
  symbol: string;
  side: OrderSide;
  /** Base amount. */
  amount: number;
  price: number;
  /** Fee in the quote currency. */
  fee: number;
  ts: number;
  /** The amount in whole steps when known exactly (fills made by the fill model carry it). */
  steps?: bigint;
}

/** An open position. Read-only for callers: only `apply` changes it. */
export interface AccountPosition {
  readonly symbol: string;
  /** Amount held in whole amount steps (exact). */
  readonly steps: bigint;
  /** Amount held as a number (display and price maths). */
  readonly amount: number;
  /** Average entry price of what is held. */
  readonly avgPrice: number;
  /** Time of the fill that opened the position. */
  readonly entryTs: number;
  /** Fees paid on the buys of the current position. */
  readonly entryFee: number;
  /** Realized PnL of the symbol so far (all trades, net of fees). */
  readonly realizedPnl: number;
}

/** A position that went flat: one round trip, for trade lists and backtest results. */
export interface ClosedTrade {
  symbol: string;
  entryTs: number;
  exitTs: number;
  /** Base amount bought over the trade. */
  amount: number;
  /** Average buy price. */
  entryPrice: number;
  /** Average sell price. */
  exitPrice: number;
  /** Fees of both sides. */
  fees: number;
  /** Quote PnL net of fees. */
  pnl: number;
  /** pnl ÷ the quote spent on the buys. */
  pnlPct: number;
}

/** A round trip with every field zero, to be filled in (`apply`'s `out`). */
export function emptyRoundTrip(): ClosedTrade {
  return {
    symbol: '',
    entryTs: 0,
    exitTs: 0,
    amount: 0,
    entryPrice: 0,
    exitPrice: 0,
    fees: 0,
    pnl: 0,
    pnlPct: 0,
  };
}

interface Ledger {
  symbol: string;
  steps: bigint;
  amount: number;
  avgPrice: number;
  entryTs: number;
  entryFee: number;
  realizedPnl: number;
  // The current round trip, for its ClosedTrade.
  bought: number;
  cost: number;
  sold: number;
  proceeds: number;
  fees: number;
}

export interface AccountOptions {
  /** The quote currency every symbol trades against. */
  quote: string;
  /** Starting quote cash. */
  cash: number;
  /** Market rules per symbol (the amount step); the simulated market's by default. */
  rules?: RulesOf;
}

/**
 * Relative difference under which a sell of "what is held" sells exactly all of it: a few
 * ulps, the rounding of a step count turned into a double (and back from a journal). Any
 * whole step less is a real difference wherever a double can tell steps apart.
 */
const CLOSE_TOLERANCE = 4 * Number.EPSILON;

const defaultRules = compileRules(DEFAULT_MARKET_RULES);

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** Iterates the ledgers with steps held, reading them as it goes. */
class OpenPositions implements IterableIterator<AccountPosition> {
  readonly #list: readonly Ledger[];
  #i = 0;

  constructor(list: readonly Ledger[]) {
    this.#list = list;
  }

  next(): IteratorResult<AccountPosition, undefined> {
    const list = this.#list;
    while (this.#i < list.length) {
      const l = list[this.#i++]!;
      if (l.steps > 0n) return { value: l, done: false };
    }
    return DONE;
  }

  [Symbol.iterator](): IterableIterator<AccountPosition> {
    return this;
  }
}

export class Account {
  readonly quote: string;
  readonly rules: RulesOf;
  // Initialised with a number: a field declared bare starts as undefined and then boxes
  // every new value (a heap allocation per fill); a numeric start keeps it a double in place.
  #cash = 0;
  readonly #ledgers = new Map<string, Ledger>();
  /** The same ledgers in the order their symbols were first traded (never removed). */
  readonly #list: Ledger[] = [];
  #open = 0;

  constructor(opts: AccountOptions) {
    if (!Number.isFinite(opts.cash)) {
      throw new BotDeskError('INVALID_INPUT', `starting cash must be a number, got ${opts.cash}`);
    }
    this.quote = opts.quote;
    this.#cash = opts.cash;
    this.rules = opts.rules ?? (() => defaultRules);
  }

  get cash(): number {
    return this.#cash;
  }

  /** Number of open positions. */
  get openCount(): number {
    return this.#open;
  }

  position(symbol: string): AccountPosition | undefined {
    const l = this.#ledgers.get(symbol);
    return l && l.steps > 0n ? l : undefined;
  }

  /**
   * Open positions, in the order the symbols were first traded. Reads live state: a
   * position closed while iterating is skipped once reached. (An iterator object rather
   * than a generator: the trading core walks this on every candle a position is open.)
   */
  positions(): IterableIterator<AccountPosition> {
    return new OpenPositions(this.#list);
  }

  /** Realized PnL of a symbol so far, open or not. */
  realizedPnl(symbol: string): number {
    return this.#ledgers.get(symbol)?.realizedPnl ?? 0;
  }

  /** Cash plus every position at `priceOf` (the entry price where no price is known). */
  equity(priceOf: (symbol: string) => number | undefined): number {
    let equity = this.#cash;
    const list = this.#list;
    for (let i = 0; i < list.length; i++) {
      const l = list[i]!;
      if (l.steps > 0n) equity += l.amount * (priceOf(l.symbol) ?? l.avgPrice);
    }
    return equity;
  }

  /** Base amount held per symbol. */
  holdings(): Map<string, number> {
    const out = new Map<string, number>();
    for (const l of this.#ledgers.values()) if (l.steps > 0n) out.set(l.symbol, l.amount);
    return out;
  }

  /**
   * The amount a sell of `amount` takes from the position, in steps: all of it when `amount`
   * is what is held (as a number it may be rounded), otherwise the nearest whole steps.
   * Undefined when it is more than is held.
   */
  sellSteps(symbol: string, amount: number): bigint | undefined {
    const l = this.#ledgers.get(symbol);
    if (!l || l.steps === 0n) return undefined;
    if (Math.abs(amount - l.amount) <= l.amount * CLOSE_TOLERANCE) return l.steps;
    const steps = this.rules(symbol).scale.round(amount);
    return steps <= l.steps ? steps : undefined;
  }

  /**
   * Apply one fill: cash, position, realized PnL. Returns the finished round trip when the
   * fill closes the position, null otherwise. A sell of more than is held is refused.
   * With `out`, the round trip is written into it (every field) and `out` returned, rather
   * than a new object (the single-pair backtest reuses one).
   */
  apply(fill: AccountFill, out?: ClosedTrade): ClosedTrade | null {
    if (!(fill.price > 0) || !(fill.amount > 0) || !(fill.fee >= 0)) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `fill of ${fill.symbol} needs amount > 0, price > 0, fee ≥ 0 (got ${fill.amount} @ ${fill.price}, fee ${fill.fee})`,
      );
    }
    let l = this.#ledgers.get(fill.symbol);
    if (!l) {
      l = {
        symbol: fill.symbol,
        steps: 0n,
        amount: 0,
        avgPrice: 0,
        entryTs: 0,
        entryFee: 0,
        realizedPnl: 0,
        bought: 0,
        cost: 0,
        sold: 0,
        proceeds: 0,
        fees: 0,
      };
      this.#ledgers.set(fill.symbol, l);
      this.#list.push(l);
    }
    const scale = this.rules(fill.symbol).scale;
    const notional = fill.amount * fill.price;
    if (fill.side === 'buy') {
      const steps = fill.steps ?? scale.round(fill.amount);
      if (l.steps === 0n) {
        this.#open += 1;
        l.entryTs = fill.ts;
        l.entryFee = 0;
        l.bought = l.cost = l.sold = l.proceeds = l.fees = 0;
      }
      const total = l.steps + steps;
      const amount = scale.toNumber(total);
      l.avgPrice = (l.avgPrice * l.amount + notional) / amount;
      l.steps = total;
      l.amount = amount;
      l.entryFee += fill.fee;
      l.bought += fill.amount;
      l.cost += notional;
      l.fees += fill.fee;
      l.realizedPnl -= fill.fee;
      this.#cash -= notional + fill.fee;
      return null;
    }
    const steps = fill.steps ?? this.sellSteps(fill.symbol, fill.amount);
    if (steps === undefined || steps > l.steps) {
      throw new BotDeskError(
        'INVALID_STATE',
        `sell of ${fill.amount} ${fill.symbol} but ${l.amount} is held`,
      );
    }
    l.realizedPnl += (fill.price - l.avgPrice) * fill.amount - fill.fee;
    l.steps -= steps;
    l.sold += fill.amount;
    l.proceeds += notional;
    l.fees += fill.fee;
    this.#cash += notional - fill.fee;
    if (l.steps > 0n) {
      l.amount = scale.toNumber(l.steps);
      return null;
    }
    this.#open -= 1;
    l.amount = 0;
    const trade = out ?? emptyRoundTrip();
    trade.symbol = l.symbol;
    trade.entryTs = l.entryTs;
    trade.exitTs = fill.ts;
    trade.amount = l.bought;
    trade.entryPrice = l.cost / l.bought;
    trade.exitPrice = l.proceeds / l.sold;
    trade.fees = l.fees;
    trade.pnl = l.proceeds - l.cost - l.fees;
    trade.pnlPct = l.cost > 0 ? (l.proceeds - l.cost - l.fees) / l.cost : 0;
    l.avgPrice = 0;
    l.entryFee = 0;
    return trade;
  }

  /** An open position in the contract's shape, with unrealized PnL at `lastPrice`. */
  static toPosition(p: AccountPosition, lastPrice: number | undefined): Position {
    return {
      symbol: p.symbol,
      amount: p.amount,
      avgPrice: p.avgPrice,
      lastPrice: lastPrice ?? null,
      unrealizedPnl: lastPrice === undefined ? null : (lastPrice - p.avgPrice) * p.amount,
      realizedPnl: p.realizedPnl,
    };
  }
}
