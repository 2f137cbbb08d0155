/**
 * One candle time of trading, the same for the paper engine and the backtester, so a
 * paper run and a backtest of the same candles give the same trades by construction:
 *
 *   1. orders decided at the previous close fill at this candle's open (sells first, so
 *      their proceeds pay for the buys), with slippage and fee;
 *   2. protective exits (stops, targets…) fill inside the candle that crosses them;
 *   3. the close becomes the symbol's price;
 *   4. this candle's signals are decided (exits, then entries) into new pending orders,
 *      which fill at the next candle's open of their symbol.
 *
 * The caller writes the candle time's bars and signals into the preallocated columns
 * (`bars`, `signals`, indexed like `symbols`) and calls `step(ts)`. A step with nothing to
 * do allocates nothing; a backtest may skip candle times with no signal, no pending order
 * and no position. Results land in `out`, reused by the next step.
 */
import { BotDeskError } from '../api/errors.ts';
import type { KillSwitchTrip, OrderSide } from '../api/schemas.ts';
import type { Account, AccountPosition, ClosedTrade } from './account.ts';
import {
  decide,
  type DecideConfig,
  type DecideSignal,
  type DecideState,
  type Intent,
  type Rejection,
} from './decide.ts';
import { checkFillModel, fillMarketOrder, type ModelFill } from './fill-model.ts';
import type { RiskBook } from './rules/risk-book.ts';

const DAY_MS = 86_400_000;

/**
 * Empty a reused array and keep its storage: `length = 0` gives up the backing store, so the
 * next push allocates a new one (once per step with an order).
 */
function clear(items: unknown[]): void {
  while (items.length > 0) items.pop();
}

/** Signal codes of `signals.action`. */
export const NO_SIGNAL = 0;
export const ENTER_LONG = 1;
export const EXIT = 2;

/** One candle time's bars, one slot per symbol; `present[i] = 0` where symbol i has no candle. */
export interface Bars {
  readonly present: Uint8Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

export interface SignalColumns {
  /** NO_SIGNAL, ENTER_LONG or EXIT per symbol. */
  readonly action: Uint8Array;
  readonly strength: Float64Array;
  /** An entry's own stop and target prices; NaN = none. */
  readonly stop: Float64Array;
  readonly target: Float64Array;
}

/** An order the core decided; `placedTs` is the decision time (the signal candle's close). */
export interface PendingOrder extends Intent {
  readonly id: string;
  readonly placedTs: number;
  /** The protective rule that closed the position (stop_loss, take_profit, …), for exits it made. */
  readonly rule?: string;
}

/** A protective exit hit inside a candle: fill at `price` (the level, or the open on a gap). */
export interface ExitHit {
  price: number;
  reason: string;
  /** The rule's name (rules/exits.ts ExitReason). */
  rule?: string;
}

/** Protective exits (stop, target, trailing…): checked each candle for each open position. */
export type ExitRule = (
  position: AccountPosition,
  bars: Bars,
  index: number,
  ts: number,
) => ExitHit | null;

/** An order's outcome: filled (`fill`, and `trade` when it closed the position) or refused. */
export interface Settled {
  order: PendingOrder;
  fill: ModelFill | null;
  /** Why the order was refused (null when filled). */
  reason: string | null;
  trade: ClosedTrade | null;
  /** True for an order decided at an earlier close (pending until this open); false when placed and filled at once. */
  wasPending: boolean;
}

export interface StepOutput {
  /** Orders filled or refused during the step (pending ones at the open, protective exits). */
  readonly settled: Settled[];
  /** New pending orders decided at the step's close. */
  readonly placed: PendingOrder[];
  /** Signals the risk decision did not take, with the reason. */
  readonly rejections: Rejection[];
  /** Set on the step where the drawdown tripped the kill switch (the caller stops trading). */
  killSwitch?: KillSwitchTrip | null;
}

export interface TradingCoreOptions {
  symbols: readonly string[];
  account: Account;
  config: DecideConfig;
  timeframeMs: number;
  /**
   * 'paper' (default): pending orders fill at their symbol's next open inside `step`.
   * 'external': an exchange fills them; the engine takes them with `takePlaced()` and
   * applies the exchange's fills to the account.
   */
  execution?: 'paper' | 'external';
  exits?: ExitRule;
  /**
   * The risk rules with their state (rules/risk-book.ts): protective exits (when `exits` is
   * not given), cooldowns, the kill switch and entry review; fills and equity are reported to it.
   */
  risk?: RiskBook;
  /** The equity recorded when a UTC day began (a journal's), so a restart keeps the daily limit. */
  dayStartEquity?: (dayStart: number) => number | undefined;
  /** Prefix of order ids; ids are `${prefix}-${n}`. */
  idPrefix?: string;
}

export class TradingCore {
  readonly symbols: readonly string[];
  readonly account: Account;
  readonly bars: Bars;
  readonly signals: SignalColumns;
  readonly out: StepOutput = { settled: [], placed: [], rejections: [], killSwitch: null };
  readonly timeframeMs: number;
  /** Entries are refused while true (exits still go through). */
  entriesPaused = false;
  /**
   * External execution: the quote an exchange says new orders may spend (live: its free
   * balance minus the bot's orders in flight). Entries are sized within the smaller of it
   * and the account's cash. Undefined (paper, backtests): the account's cash alone.
   */
  cashLimit: number | undefined = undefined;
  #config: DecideConfig;
  readonly #execution: 'paper' | 'external';
  readonly #exits: ExitRule | undefined;
  readonly #risk: RiskBook | undefined;
  readonly #recordedDayStart: TradingCoreOptions['dayStartEquity'];
  readonly #index = new Map<string, number>();
  readonly #last: Float64Array;
  #pending: PendingOrder[] = [];
  readonly #signalBuffer: DecideSignal[] = [];
  /** decide's state argument, refilled per decision (decide keeps nothing of it). */
  readonly #decideState: DecideState = {
    entriesPaused: false,
    dayStartEquity: 0,
    pending: [],
    risk: undefined,
    now: 0,
  };
  readonly #idPrefix: string;
  #seq = 0;
  #day = Number.NaN;
  #dayStartEquity = 0;

  /** The latest close per symbol (undefined before its first candle). */
  readonly priceOf = (symbol: string): number | undefined => {
    const i = this.#index.get(symbol);
    if (i === undefined) return undefined;
    const p = this.#last[i]!;
    return p > 0 ? p : undefined;
  };

  constructor(opts: TradingCoreOptions) {
    const n = opts.symbols.length;
    if (n === 0)
      throw new BotDeskError('INVALID_INPUT', 'a trading core needs at least one symbol');
    if (!(opts.timeframeMs > 0)) {
      throw new BotDeskError('INVALID_INPUT', `timeframe must be > 0 ms, got ${opts.timeframeMs}`);
    }
    this.symbols = [...opts.symbols];
    this.symbols.forEach((s, i) => this.#index.set(s, i));
    if (this.#index.size !== n) throw new BotDeskError('INVALID_INPUT', 'symbols must be distinct');
    this.account = opts.account;
    this.timeframeMs = opts.timeframeMs;
    this.#config = { ...opts.config, fill: checkFillModel(opts.config.fill) };
    this.#execution = opts.execution ?? 'paper';
    this.#risk = opts.risk;
    this.#exits = opts.exits ?? opts.risk?.exitRule;
    this.#recordedDayStart = opts.dayStartEquity;
    // With the dash: one concatenation per id.
    this.#idPrefix = `${opts.idPrefix ?? 'order'}-`;
    this.#last = new Float64Array(n);
    this.bars = {
      present: new Uint8Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
    };
    this.signals = {
      action: new Uint8Array(n),
      strength: new Float64Array(n),
      stop: new Float64Array(n).fill(Number.NaN),
      target: new Float64Array(n).fill(Number.NaN),
    };
  }

  get config(): DecideConfig {
    return this.#config;
  }

  /** A changed risk or fee config applies from the next step on. */
  configure(config: DecideConfig): void {
    this.#config = { ...config, fill: checkFillModel(config.fill) };
    this.#risk?.configure(config.risk);
  }

  index(symbol: string): number | undefined {
    return this.#index.get(symbol);
  }

  /** Set a symbol's price without a step (warm-up history, a restart). */
  setPrice(symbol: string, price: number): void {
    const i = this.#index.get(symbol);
    if (i !== undefined && price > 0) this.#last[i] = price;
  }

  equity(): number {
    return this.account.equity(this.priceOf);
  }

  /** Orders decided and not filled yet. */
  pending(): readonly PendingOrder[] {
    return this.#pending;
  }

  /** False when a step without signals would do nothing (no pending order, no position). */
  hasWork(): boolean {
    return this.#pending.length > 0 || this.account.openCount > 0;
  }

  /** Remove every pending order (a stop cancels them) and return them. */
  cancelPending(): PendingOrder[] {
    const canceled = this.#pending;
    this.#pending = [];
    return canceled;
  }

  /** External execution: the orders decided so far, handed over to the executor. */
  takePlaced(): PendingOrder[] {
    return this.cancelPending();
  }

  /**
   * Step one candle time. `ts` is the candles' open time; the bars and signals written
   * into the columns are consumed (present flags and signals are cleared on return).
   */
  step(ts: number): StepOutput {
    const out = this.out;
    clear(out.settled);
    clear(out.placed);
    clear(out.rejections);
    if (out.killSwitch != null) out.killSwitch = null;
    const { present, open, close } = this.bars;
    const n = present.length;
    this.#trackDay(ts);

    if (this.#execution === 'paper' && this.#pending.length > 0) {
      this.#fillPendingAtOpen(ts, open, present);
    }
    if (this.#exits !== undefined && this.account.openCount > 0) this.#protectiveExits(ts);
    for (let i = 0; i < n; i++) if (present[i] === 1) this.#last[i] = close[i]!;
    const closeTs = ts + this.timeframeMs;
    if (this.#risk !== undefined) out.killSwitch = this.#risk.onEquity(closeTs, this.equity());

    const action = this.signals.action;
    const buffer = this.#signalBuffer;
    clear(buffer);
    for (let i = 0; i < n; i++) {
      const a = action[i]!;
      if (a === NO_SIGNAL) continue;
      action[i] = NO_SIGNAL;
      const stop = this.signals.stop[i]!;
      const target = this.signals.target[i]!;
      this.signals.stop[i] = Number.NaN;
      this.signals.target[i] = Number.NaN;
      if (present[i] !== 1) continue;
      const signal: DecideSignal = {
        symbol: this.symbols[i]!,
        action: a === ENTER_LONG ? 'enter_long' : 'exit',
        strength: this.signals.strength[i]!,
      };
      if (stop > 0) signal.stop = stop;
      if (target > 0) signal.target = target;
      buffer.push(signal);
    }
    for (let i = 0; i < n; i++) present[i] = 0;
    if (buffer.length === 0) return out;
    const state = this.#decideState;
    state.entriesPaused = this.entriesPaused;
    state.cashLimit = this.cashLimit;
    state.dayStartEquity = this.#dayStartEquity;
    state.pending = this.#pending;
    state.risk = this.#risk?.state;
    state.now = closeTs;
    const decision = decide(buffer, this.account, this.priceOf, this.#config, state);
    const placedTs = closeTs;
    const intents = decision.intents;
    for (let k = 0; k < intents.length; k++) {
      const intent = intents[k]!;
      if (intent.side === 'buy') this.#risk?.attach(intent.symbol, intent.stop, intent.target);
      // A buy's amount goes on the step now, so the open order's record shows what fills.
      const amount =
        intent.side === 'buy'
          ? this.account.rules(intent.symbol).orderScale.floorNumber(intent.amount)
          : intent.amount;
      const id = this.#nextId();
      // Without a stop or target: the spread's fields, written out (no copy of the intent).
      const order: PendingOrder =
        intent.stop === undefined && intent.target === undefined
          ? {
              symbol: intent.symbol,
              side: intent.side,
              amount,
              reason: intent.reason,
              id,
              placedTs,
            }
          : { ...intent, amount, id, placedTs };
      this.#pending.push(order);
      out.placed.push(order);
    }
    const rejections = decision.rejections;
    for (let k = 0; k < rejections.length; k++) out.rejections.push(rejections[k]!);
    return out;
  }

  /**
   * A live price update between candle times (a real-time feed's forming candle): only the
   * protective exits of the positions whose bars are written run, at `ts`; no pending order
   * fills, no signal is decided, prices and equity stay the last close's. The bars' present
   * flags are cleared on return, as by `step`.
   */
  checkExits(ts: number): StepOutput {
    const out = this.out;
    clear(out.settled);
    clear(out.placed);
    clear(out.rejections);
    if (out.killSwitch != null) out.killSwitch = null;
    if (this.#exits !== undefined && this.account.openCount > 0) this.#protectiveExits(ts);
    this.bars.present.fill(0);
    return out;
  }

  /**
   * Fill `order` now at `refPrice` (slippage and fee applied) and apply it to the account:
   * a stop's closing orders, or a protective exit.
   */
  fillNow(order: PendingOrder, refPrice: number, ts: number, wasPending = false): Settled {
    const rules = this.account.rules(order.symbol);
    const r = fillMarketOrder(order, refPrice, this.account, rules, this.#config.fill, ts);
    if (!r.ok) return { order, fill: null, reason: r.reason, trade: null, wasPending };
    const trade = this.account.apply(r.fill);
    this.#risk?.onFill(trade);
    return { order, fill: r.fill, reason: null, trade, wasPending };
  }

  /** Close every open position at its latest price (a stop that closes positions). */
  closeAll(ts: number, reason: string): Settled[] {
    const settled: Settled[] = [];
    for (const p of [...this.account.positions()]) {
      const price = this.priceOf(p.symbol);
      const order = this.#order(p.symbol, 'sell', p.amount, reason, ts);
      settled.push(
        price === undefined
          ? {
              order,
              fill: null,
              reason: `no price for ${p.symbol}`,
              trade: null,
              wasPending: false,
            }
          : this.fillNow(order, price, ts),
      );
    }
    return settled;
  }

  #order(
    symbol: string,
    side: OrderSide,
    amount: number,
    reason: string,
    ts: number,
  ): PendingOrder {
    return { symbol, side, amount, reason, id: this.#nextId(), placedTs: ts };
  }

  #nextId(): string {
    this.#seq += 1;
    return this.#idPrefix + this.#seq;
  }

  #trackDay(ts: number): void {
    const day = Math.floor(ts / DAY_MS);
    if (day === this.#day) return;
    this.#day = day;
    this.#dayStartEquity = this.#recordedDayStart?.(day * DAY_MS) ?? this.equity();
  }

  #fillPendingAtOpen(ts: number, open: Float64Array, present: Uint8Array): void {
    const pending = this.#pending;
    let kept = 0;
    // Sells first: their proceeds pay for the buys of the same open.
    for (let pass = 0; pass < 2; pass++) {
      const side = pass === 0 ? 'sell' : 'buy';
      for (const order of pending) {
        if (order.side !== side) continue;
        const i = this.#index.get(order.symbol)!;
        if (present[i] !== 1) continue;
        this.out.settled.push(this.fillNow(order, open[i]!, ts, true));
      }
    }
    for (const order of pending) {
      if (present[this.#index.get(order.symbol)!] !== 1) pending[kept++] = order;
    }
    while (pending.length > kept) pending.pop();
  }

  #exitPending(symbol: string): boolean {
    for (const o of this.#pending) if (o.symbol === symbol && o.side === 'sell') return true;
    return false;
  }

  #protectiveExits(ts: number): void {
    const exits = this.#exits!;
    const present = this.bars.present;
    for (const p of this.account.positions()) {
      const i = this.#index.get(p.symbol);
      if (i === undefined || present[i] !== 1) continue;
      if (this.#exitPending(p.symbol)) continue;
      const hit = exits(p, this.bars, i, ts);
      if (hit === null) continue;
      const base = this.#order(p.symbol, 'sell', p.amount, hit.reason, ts);
      const order = hit.rule === undefined ? base : { ...base, rule: hit.rule };
      if (this.#execution === 'external') {
        // An exchange fills it: handed over like any decided order.
        this.#pending.push(order);
        this.out.placed.push(order);
        continue;
      }
      // Applying the exit changes the positions being iterated; the generator reads live state.
      this.out.settled.push(this.fillNow(order, hit.price, ts));
    }
  }
}
