/**
 * The single-pair backtest loop: the trading core's step (step.ts) written out for one
 * pair without protective exits, where it reduces to a handful of cases, so a million
 * candles cost little more than reading them. It calls the very same pure functions as the
 * core — `decide` (sizing, limits, daily loss, cooldowns), `fillMarketOrder` (slippage,
 * fee, amount step, insufficient balance), `Account.apply` (cash, positions, PnL) and the
 * RiskBook's fill hook — in the same order, so the trades, equity and metrics are the same
 * to the bit (test/unit/backtest/fast-path.test.ts runs both loops side by side). It takes
 * their allocation-free forms (`decide(…, out)`, `fillMarketOrderInto`, which
 * `fillMarketOrder` wraps, and `Account.apply(fill, out)`) with objects reused across the
 * run, and asks decide for no entry reason (a trade carries its exit's reason).
 *
 * What makes the general loop's work unnecessary here, candle by candle:
 * - one pair: its candle times are the timeline and it has a candle at every one, so an
 *   order decided at a close always settles at the very next step; `decide` therefore never
 *   sees a pending order, and at most one is ever pending;
 * - no protective exit can fire (no stop, target, trailing, ROI or max-hold rule, no stop or
 *   target on signals, no custom exit rule) and no kill switch can trip (no max drawdown):
 *   between signals an open position only moves the equity, which is sampled with a plain
 *   loop; the first candle of each UTC day is still stepped so the daily-loss reference is
 *   taken exactly as the core takes it.
 * `singlePairBlocker` names the first condition a run breaks; such runs take the core.
 */
import type { BacktestTrade } from '../api/backtest.ts';
import { BotDeskError } from '../api/errors.ts';
import type { EquityPoint } from '../api/schemas.ts';
import { Account, emptyRoundTrip, type ClosedTrade } from '../trading/account.ts';
import {
  decide,
  STRATEGY_EXIT,
  type Decision,
  type DecideConfig,
  type DecideSignal,
  type DecideState,
} from '../trading/decide.ts';
import {
  checkFillModel,
  emptyFill,
  fillMarketOrderInto,
  type MarketOrder,
  type ModelFill,
} from '../trading/fill-model.ts';
import type { CompiledRules } from '../trading/market-rules.ts';
import { rulesWatchEveryCandle } from '../trading/rules/apply.ts';
import { RiskBook } from '../trading/rules/risk-book.ts';
import { ENTER_LONG } from '../trading/step.ts';
import type { Simulation, SimulationInput } from './engine.ts';
import { EquityStats } from './metrics.ts';
import {
  DAY_MS,
  END_OF_DATA,
  lowerBound,
  quoteOf,
  resultTrade,
  runMetrics,
  summarise,
  type Tally,
  tally,
} from './sim-parts.ts';

/** Why a run cannot take the single-pair loop, or null when it can. */
export function singlePairBlocker(input: SimulationInput): string | null {
  if (input.series.length !== 1) return 'more than one pair';
  if (input.exits !== undefined) return 'a custom exit rule';
  if (rulesWatchEveryCandle(input.risk)) return 'risk rules that watch every candle';
  const s = input.signals[0];
  if (s === undefined) return 'no signals';
  if (s.stop !== undefined || s.target !== undefined) return 'signals carry stops or targets';
  return null;
}

const NOTHING_PENDING: DecideState['pending'] = Object.freeze([]);

/** A decided order waiting for the next open (at most one with one pair). */
const NONE = 0;
const BUY = 1;
const SELL = 2;

export function simulateSinglePair(input: SimulationInput): Simulation {
  return new SinglePairRun(input).run();
}

/**
 * One run's state. A class rather than closures: V8 optimises its methods once for every
 * run, where fresh closures per run would throw the optimised loop away each time.
 */
class SinglePairRun {
  readonly input: SimulationInput;
  readonly symbol: string;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly close: Float64Array;
  readonly action: Uint8Array;
  readonly strength: Float64Array;
  /** The pair's candles a..b-1 are the run's candle times 0..T-1. */
  readonly a: number;
  readonly b: number;
  readonly times: Float64Array;
  readonly T: number;
  readonly lastT: number;
  readonly timeframeMs: number;

  readonly account: Account;
  readonly risk: RiskBook;
  readonly config: DecideConfig;
  readonly rules: CompiledRules;
  /** The core's latest close of the pair (0: none yet). */
  last = 0;
  readonly priceOf: (s: string) => number | undefined;
  readonly signal: DecideSignal;
  readonly batch: DecideSignal[];
  readonly state: DecideState;
  day = Number.NaN;
  pendingSide = NONE;
  pendingAmount = 0;
  pendingReason = '';
  readonly order: MarketOrder;
  /** The fill model's answer and decide's, reused for every order and entry signal. */
  readonly filled: ModelFill;
  readonly decision: Decision = { intents: [], rejections: [] };
  /** The account's round trip, reused: it is copied into the result's trade at once. */
  readonly closed: ClosedTrade = emptyRoundTrip();

  readonly stats = new EquityStats();
  readonly stride: number;
  readonly points: EquityPoint[] = [];
  readonly trades: BacktestTrade[] = [];
  readonly rejected: Tally = new Map();
  readonly refused: Tally = new Map();
  /** Amount held (0: flat). */
  held = 0;
  /** Candle times with the position open. */
  exposed = 0;

  constructor(input: SimulationInput) {
    const { timeframeMs } = input;
    if (!(timeframeMs > 0)) {
      throw new BotDeskError('INVALID_INPUT', `timeframe must be > 0 ms, got ${timeframeMs}`);
    }
    this.input = input;
    this.timeframeMs = timeframeMs;
    const { symbol, columns } = input.series[0]!;
    this.symbol = symbol;
    this.ts = columns.ts;
    this.open = columns.open;
    this.close = columns.close;
    this.action = input.signals[0]!.action;
    this.strength = input.signals[0]!.strength;
    this.a = lowerBound(this.ts, input.tradeFrom ?? -Infinity);
    this.b = lowerBound(this.ts, input.tradeTo ?? Infinity, this.a);
    this.times = this.ts.subarray(this.a, this.b);
    this.T = this.b - this.a;
    this.lastT = this.T - 1;
    this.account = new Account({
      quote: quoteOf(symbol),
      cash: input.startingBalance,
      ...(input.rules ? { rules: input.rules } : {}),
    });
    this.risk = new RiskBook(input.risk);
    // A trade's reason is its exit's: entries' reasons are never read here.
    this.config = { risk: input.risk, fill: checkFillModel(input.fill), entryReasons: false };
    this.rules = this.account.rules(symbol);
    this.priceOf = (s) => (s === symbol && this.last > 0 ? this.last : undefined);
    this.signal = { symbol, action: 'enter_long', strength: 0 };
    this.batch = [this.signal];
    this.state = {
      entriesPaused: false,
      dayStartEquity: 0,
      pending: NOTHING_PENDING,
      risk: this.risk.state,
      now: 0,
    };
    this.order = { symbol, side: 'buy', amount: 0 };
    this.filled = emptyFill(symbol);
    this.stride = Math.max(1, Math.ceil(this.T / Math.max(2, input.equityPoints ?? 2000)));
  }

  /** TradingCore.fillNow: the fill model's answer applied to the account and the risk state. */
  fill(side: 'buy' | 'sell', amount: number, reason: string, price: number, at: number): void {
    const order = this.order;
    order.side = side;
    order.amount = amount;
    const f = this.filled;
    const refused = fillMarketOrderInto(
      order,
      price,
      this.account,
      this.rules,
      this.config.fill,
      at,
      f,
    );
    if (refused !== null) {
      tally(this.refused, refused);
      return;
    }
    const t = this.account.apply(f, this.closed);
    this.risk.onFill(t);
    this.held = this.account.position(this.symbol)?.amount ?? 0;
    if (t === null) return;
    this.trades.push(resultTrade(t, reason));
  }

  /** TradingCore.step for candle time t (candle a + t of the pair). */
  step(t: number): void {
    const c = this.a + t;
    const now = this.times[t]!;
    const today = Math.floor(now / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.state.dayStartEquity = this.account.equity(this.priceOf);
    }
    if (this.pendingSide !== NONE) {
      const side = this.pendingSide === BUY ? 'buy' : 'sell';
      this.pendingSide = NONE;
      this.fill(side, this.pendingAmount, this.pendingReason, this.open[c]!, now);
    }
    this.last = this.close[c]!;
    const code = this.action[c]!;
    if (code === 0) return;
    if (code !== ENTER_LONG) {
      // decide's exit for one pair with nothing pending: sell all that is held ('strategy
      // exit'), or refuse without a position (a refused exit is not counted in the warnings).
      const held = this.account.position(this.symbol);
      if (held !== undefined) this.#place(SELL, held.amount, STRATEGY_EXIT);
      return;
    }
    this.signal.strength = this.strength[c]!;
    this.state.now = now + this.timeframeMs;
    const decision = decide(
      this.batch,
      this.account,
      this.priceOf,
      this.config,
      this.state,
      this.decision,
    );
    const intents = decision.intents;
    for (let k = 0; k < intents.length; k++) {
      const intent = intents[k]!;
      if (intent.side === 'buy') {
        this.risk.attach(this.symbol, intent.stop, intent.target);
        this.#place(BUY, this.rules.scale.floorNumber(intent.amount), intent.reason);
      } else this.#place(SELL, intent.amount, intent.reason);
    }
    const rejections = decision.rejections;
    for (let k = 0; k < rejections.length; k++)
      if (rejections[k]!.action === 'enter_long') tally(this.rejected, rejections[k]!.reason);
  }

  #place(side: number, amount: number, reason: string): void {
    this.pendingSide = side;
    this.pendingAmount = amount;
    this.pendingReason = reason;
  }

  /** Candle times [from, to) that need no step: only the equity moves. */
  coast(from: number, to: number): void {
    const { a, times, close, stride, lastT } = this;
    const cash = this.account.cash;
    if (this.account.openCount === 0) {
      const upto = Math.min(to, lastT);
      if (upto > from) this.stats.addFlat(times[from]!, times[upto - 1]!, cash, upto - from);
      for (let t = Math.ceil(from / stride) * stride; t < to; t += stride)
        this.points.push({ ts: times[t]!, equity: cash, cash });
    } else {
      const held = this.held;
      this.stats.addHolding(this.ts, close, a + from, a + Math.min(to, lastT), cash, held);
      for (let t = Math.ceil(from / stride) * stride; t < to; t += stride)
        this.points.push({ ts: times[t]!, equity: cash + held * close[a + t]!, cash });
      this.exposed += to - from;
    }
    const lc = close[a + to - 1]!;
    if (lc > 0) this.last = lc;
  }

  run(): Simulation {
    const { a, b, T, lastT, times, action, close, account, stats, stride, points } = this;
    // The next candle time with a signal (T: none left).
    let nextSignal = -1;
    let t = 0;
    while (t < T) {
      if (this.pendingSide === NONE) {
        if (nextSignal < t) {
          nextSignal = t;
          while (nextSignal < T && action[a + nextSignal] === 0) nextSignal++;
        }
        let target = nextSignal;
        if (account.openCount > 0) {
          // Step the day's first candle time so the daily reference equity is taken as live.
          const nextDay = (Math.floor(times[t]! / DAY_MS) + 1) * DAY_MS;
          if (target === T || nextDay < times[target]!) target = lowerBound(times, nextDay, t);
        }
        if (target > t) {
          this.coast(t, target);
          t = target;
          if (t >= T) break;
        }
      }
      this.step(t);
      let e = account.cash;
      if (account.openCount > 0) {
        this.exposed++;
        e += this.held * this.last;
      }
      if (t !== lastT) stats.add(times[t]!, e);
      if (t % stride === 0) points.push({ ts: times[t]!, equity: e, cash: account.cash });
      t++;
    }

    const warnings: string[] = [];
    if (T > 0) {
      const lastTs = times[lastT]!;
      const lc = close[b - 1]!;
      if (lc > 0) this.last = lc;
      const p = account.position(this.symbol);
      if (p !== undefined) {
        // TradingCore.closeAll: the final sale at the last close.
        if (this.last > 0) this.fill('sell', p.amount, END_OF_DATA, this.last, lastTs);
        else tally(this.refused, `no price for ${this.symbol}`);
      }
      if (this.pendingSide !== NONE)
        warnings.push(`1 order(s) decided on the last candle were not filled (no next candle)`);
      const finalEquity = account.equity(this.priceOf);
      stats.add(lastTs, finalEquity);
      const final = { ts: lastTs, equity: finalEquity, cash: account.cash };
      if (points.at(-1)?.ts === lastTs) points[points.length - 1] = final;
      else points.push(final);
    }
    warnings.push(...summarise('entry signal(s) not taken', this.rejected));
    warnings.push(...summarise('order(s) refused at fill time', this.refused));
    const metrics = runMetrics({
      series: this.input.series,
      times,
      startingBalance: this.input.startingBalance,
      timeframeMs: this.timeframeMs,
      trades: this.trades,
      stats,
      exposed: this.exposed,
      exposedBy: Float64Array.of(this.exposed),
    });
    return {
      trades: this.trades,
      equity: points,
      metrics,
      warnings,
      times: T,
      from: T > 0 ? times[0]! : 0,
      to: T > 0 ? times[lastT]! : 0,
      path: 'single-pair',
    };
  }
}
