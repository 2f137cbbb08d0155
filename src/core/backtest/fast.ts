/**
 * The single-pair backtest loop: the trading core's step (step.ts) written out for one
 * pair without protective exits, where it reduces to a handful of cases, so a million
 * candles cost little more than reading them. It calls the very same pure functions as the
 * core — `decide` (sizing, limits, daily loss, cooldowns), `fillMarketOrder` (slippage,
 * fee, amount step, insufficient balance), `Account.apply` (cash, positions, PnL) and the
 * RiskBook's fill hook — in the same order, so the trades, equity and metrics are the same
 * to the bit (test/unit/backtest/fast-path.test.ts runs both loops side by side).
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
import type { EquityPoint, SignalAction } from '../api/schemas.ts';
import { Account } from '../trading/account.ts';
import {
  decide,
  STRATEGY_EXIT,
  type DecideConfig,
  type DecideSignal,
  type DecideState,
} from '../trading/decide.ts';
import { checkFillModel, fillMarketOrder, type MarketOrder } from '../trading/fill-model.ts';
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
  runMetrics,
  summarise,
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

interface Pending {
  side: 'buy' | 'sell';
  amount: number;
  reason: string;
}

export function simulateSinglePair(input: SimulationInput): Simulation {
  const { timeframeMs } = input;
  if (!(timeframeMs > 0)) {
    throw new BotDeskError('INVALID_INPUT', `timeframe must be > 0 ms, got ${timeframeMs}`);
  }
  const { symbol, columns } = input.series[0]!;
  const { ts, open, close } = columns;
  const { action, strength } = input.signals[0]!;
  const a = lowerBound(ts, input.tradeFrom ?? -Infinity);
  const b = lowerBound(ts, input.tradeTo ?? Infinity, a);
  const times = ts.subarray(a, b);
  const T = b - a;
  const lastT = T - 1;

  const account = new Account({
    quote: quoteOf(symbol),
    cash: input.startingBalance,
    ...(input.rules ? { rules: input.rules } : {}),
  });
  const risk = new RiskBook(input.risk);
  const config: DecideConfig = { risk: input.risk, fill: checkFillModel(input.fill) };
  const rules = account.rules(symbol);

  // The core's latest close of the pair (0: none yet).
  let last = 0;
  const priceOf = (s: string): number | undefined => (s === symbol && last > 0 ? last : undefined);
  const signal: DecideSignal = { symbol, action: 'enter_long', strength: 0 };
  const batch = [signal];
  const state: DecideState = {
    entriesPaused: false,
    dayStartEquity: 0,
    pending: NOTHING_PENDING,
    risk: risk.state,
    now: 0,
  };
  let day = Number.NaN;
  let pending: Pending | null = null;
  const order: MarketOrder = { symbol, side: 'buy', amount: 0 };

  const stats = new EquityStats();
  const maxPoints = Math.max(2, input.equityPoints ?? 2000);
  const stride = Math.max(1, Math.ceil(T / maxPoints));
  const points: EquityPoint[] = [];
  const trades: BacktestTrade[] = [];
  const rejected = new Map<string, number>();
  const refused = new Map<string, number>();
  let held = 0;
  let exposed = 0;

  /** TradingCore.fillNow: the fill model's answer applied to the account and the risk state. */
  const fill = (
    side: 'buy' | 'sell',
    amount: number,
    reason: string,
    price: number,
    at: number,
  ) => {
    order.side = side;
    order.amount = amount;
    const r = fillMarketOrder(order, price, account, rules, config.fill, at);
    if (!r.ok) {
      tally(refused, r.reason);
      return;
    }
    const t = account.apply(r.fill);
    risk.onFill(t);
    held = account.position(symbol)?.amount ?? 0;
    if (t === null) return;
    trades.push({
      symbol: t.symbol,
      entryTs: t.entryTs,
      exitTs: t.exitTs,
      entryPrice: t.entryPrice,
      exitPrice: t.exitPrice,
      amount: t.amount,
      fees: t.fees,
      pnl: t.pnl,
      pnlPct: t.pnlPct * 100,
      durationMs: t.exitTs - t.entryTs,
      exitReason: reason,
    });
  };

  /** TradingCore.step for candle time t (candle a + t of the pair). */
  const step = (t: number) => {
    const c = a + t;
    const now = times[t]!;
    const today = Math.floor(now / DAY_MS);
    if (today !== day) {
      day = today;
      state.dayStartEquity = account.equity(priceOf);
    }
    if (pending !== null) {
      const p: Pending = pending;
      pending = null;
      fill(p.side, p.amount, p.reason, open[c]!, now);
    }
    last = close[c]!;
    const code = action[c]!;
    if (code === 0) return;
    if (code !== ENTER_LONG) {
      // decide's exit for one pair with nothing pending: sell all that is held ('strategy
      // exit'), or refuse without a position (a refused exit is not counted in the warnings).
      const held = account.position(symbol);
      if (held !== undefined)
        pending = { side: 'sell', amount: held.amount, reason: STRATEGY_EXIT };
      return;
    }
    signal.action = (code === ENTER_LONG ? 'enter_long' : 'exit') satisfies SignalAction;
    signal.strength = strength[c]!;
    state.now = now + timeframeMs;
    const decision = decide(batch, account, priceOf, config, state);
    for (const intent of decision.intents) {
      if (intent.side === 'buy') risk.attach(symbol, intent.stop, intent.target);
      const amount = intent.side === 'buy' ? rules.scale.floorNumber(intent.amount) : intent.amount;
      pending = { side: intent.side, amount, reason: intent.reason };
    }
    for (const r of decision.rejections) if (r.action === 'enter_long') tally(rejected, r.reason);
  };

  /** Candle times [from, to) that need no step: only the equity moves. */
  const coast = (from: number, to: number) => {
    const cash = account.cash;
    if (account.openCount === 0) {
      const upto = Math.min(to, lastT);
      if (upto > from) stats.addFlat(times[from]!, times[upto - 1]!, cash, upto - from);
      for (let t = Math.ceil(from / stride) * stride; t < to; t += stride)
        points.push({ ts: times[t]!, equity: cash, cash });
    } else {
      stats.addHolding(ts, close, a + from, a + Math.min(to, lastT), cash, held);
      for (let t = Math.ceil(from / stride) * stride; t < to; t += stride)
        points.push({ ts: times[t]!, equity: cash + held * close[a + t]!, cash });
      exposed += to - from;
    }
    const lc = close[a + to - 1]!;
    if (lc > 0) last = lc;
  };

  // The next candle time with a signal (T: none left).
  let nextSignal = -1;
  let t = 0;
  while (t < T) {
    if (pending === null) {
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
        coast(t, target);
        t = target;
        if (t >= T) break;
      }
    }
    step(t);
    let e = account.cash;
    if (account.openCount > 0) {
      exposed++;
      e += held * last;
    }
    if (t !== lastT) stats.add(times[t]!, e);
    if (t % stride === 0) points.push({ ts: times[t]!, equity: e, cash: account.cash });
    t++;
  }

  const warnings: string[] = [];
  if (T > 0) {
    const lastTs = times[lastT]!;
    const lc = close[b - 1]!;
    if (lc > 0) last = lc;
    const p = account.position(symbol);
    if (p !== undefined) {
      // TradingCore.closeAll: the final sale at the last close.
      if (last > 0) fill('sell', p.amount, END_OF_DATA, last, lastTs);
      else tally(refused, `no price for ${symbol}`);
    }
    if (pending !== null)
      warnings.push(`1 order(s) decided on the last candle were not filled (no next candle)`);
    const finalEquity = account.equity(priceOf);
    stats.add(lastTs, finalEquity);
    const final = { ts: lastTs, equity: finalEquity, cash: account.cash };
    if (points.at(-1)?.ts === lastTs) points[points.length - 1] = final;
    else points.push(final);
  }
  warnings.push(...summarise('entry signal(s) not taken', rejected));
  warnings.push(...summarise('order(s) refused at fill time', refused));
  const metrics = runMetrics({
    series: input.series,
    times,
    startingBalance: input.startingBalance,
    timeframeMs,
    trades,
    stats,
    exposed,
    exposedBy: Float64Array.of(exposed),
  });
  return {
    trades,
    equity: points,
    metrics,
    warnings,
    times: T,
    from: T > 0 ? times[0]! : 0,
    to: T > 0 ? times[lastT]! : 0,
    path: 'single-pair',
  };
}
