/**
 * The backtester: a tight loop that feeds candle times to the same TradingCore the paper
 * engine steps (fill at the next open with slippage and fee, exits before entries, one
 * shared wallet and the same limits), so a backtest and a paper run over the same candles
 * trade alike by construction. Nothing here decides or fills: it only moves candles and
 * signals into the core's columns and records what comes out.
 *
 * Speed comes from skipping: while the account holds nothing and no order is pending, a
 * candle time without a signal cannot change anything, so the loop jumps straight to the
 * next signal. No allocation happens per candle.
 */
import type { BacktestTrade, Metrics } from '../api/backtest.ts';
import type { EquityPoint, RiskConfig } from '../api/schemas.ts';
import { Account } from '../trading/account.ts';
import type { FillModel } from '../trading/fill-model.ts';
import type { RulesOf } from '../trading/market-rules.ts';
import { rulesWatchEveryCandle } from '../trading/rules/apply.ts';
import { RiskBook } from '../trading/rules/risk-book.ts';
import { TradingCore, type ExitRule, type StepOutput } from '../trading/step.ts';
import type { CandleColumns } from '../strategy/types.ts';
import { simulateSinglePair, singlePairBlocker } from './fast.ts';
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

export { END_OF_DATA } from './sim-parts.ts';

export interface SymbolSignals {
  /** Per candle: 0 hold, 1 enter_long, 2 exit (the strategy's columnar action codes). */
  action: Uint8Array;
  strength: Float64Array;
  /** Entry signals' own stop and target prices (NaN: none); absent when the strategy set none. */
  stop?: Float64Array;
  target?: Float64Array;
}

export interface SimSeries {
  symbol: string;
  columns: CandleColumns;
}

export interface SimulationInput {
  series: readonly SimSeries[];
  /** One per series, same order, one entry per candle. */
  signals: readonly SymbolSignals[];
  timeframeMs: number;
  startingBalance: number;
  risk: RiskConfig;
  fill: FillModel;
  /** Trade candle times in [tradeFrom, tradeTo); earlier candles only warmed the strategy up. */
  tradeFrom?: number;
  tradeTo?: number;
  rules?: RulesOf;
  exits?: ExitRule;
  /** Most equity points kept for the result (the metrics use every candle time). Default 2000. */
  equityPoints?: number;
  /**
   * 'auto' (default): the single-pair loop (fast.ts) where it applies, else the general one;
   * 'exact': always the general loop over the trading core (the reference, for tests).
   */
  path?: 'auto' | 'exact';
}

export interface Simulation {
  trades: BacktestTrade[];
  equity: EquityPoint[];
  metrics: Metrics;
  warnings: string[];
  /** Candle times simulated, and the first and last of them. */
  times: number;
  from: number;
  to: number;
  /** Which loop ran: 'single-pair' (fast.ts) or 'core' (the trading core, every case). */
  path: 'single-pair' | 'core';
}

/** Ascending union of the candle times of every series within [from, to). */
function timeline(series: readonly SimSeries[], from: number, to: number): Float64Array {
  if (series.length === 1) {
    const ts = series[0]!.columns.ts;
    const a = lowerBound(ts, from);
    return ts.subarray(a, lowerBound(ts, to, a));
  }
  // A k-way merge of the sorted columns (no array of every timestamp to sort).
  const cols = series.map((x) => x.columns.ts);
  const heads = cols.map((ts) => lowerBound(ts, from));
  const ends = cols.map((ts, i) => lowerBound(ts, to, heads[i]));
  let total = 0;
  for (let i = 0; i < cols.length; i++) total += ends[i]! - heads[i]!;
  const out = new Float64Array(total);
  let n = 0;
  for (;;) {
    let next = Infinity;
    for (let i = 0; i < cols.length; i++)
      if (heads[i]! < ends[i]! && cols[i]![heads[i]!]! < next) next = cols[i]![heads[i]!]!;
    if (next === Infinity) break;
    out[n++] = next;
    for (let i = 0; i < cols.length; i++)
      if (heads[i]! < ends[i]! && cols[i]![heads[i]!] === next) heads[i]!++;
  }
  return out.subarray(0, n);
}

/**
 * Run a backtest: the single-pair loop when the configuration allows it (see
 * `singlePairBlocker`), else the general loop. Both give the same results (a test hashes
 * them side by side); the single-pair loop only skips the core's per-step machinery.
 */
export function simulate(input: SimulationInput): Simulation {
  if (input.path !== 'exact' && singlePairBlocker(input) === null) return simulateSinglePair(input);
  return simulateCore(input);
}

/** The general loop: every candle time that matters goes through TradingCore.step. */
export function simulateCore(input: SimulationInput): Simulation {
  const { series, signals, timeframeMs } = input;
  const k = series.length;
  const symbols = series.map((s) => s.symbol);
  const times = timeline(series, input.tradeFrom ?? -Infinity, input.tradeTo ?? Infinity);
  const T = times.length;
  const account = new Account({
    quote: quoteOf(symbols[0]!),
    cash: input.startingBalance,
    ...(input.rules ? { rules: input.rules } : {}),
  });
  const core = new TradingCore({
    symbols,
    account,
    config: { risk: input.risk, fill: input.fill },
    timeframeMs,
    ...(input.exits ? { exits: input.exits } : {}),
    // The risk rules (stops, targets, trailing, ROI, max hold, cooldowns, kill switch), as live.
    risk: new RiskBook(input.risk),
    idPrefix: 'bt',
  });
  const { present, open, high, low, close } = core.bars;
  const sigAction = core.signals.action;
  const sigStrength = core.signals.strength;

  // The last candle time's sample is taken after the final sale (see below).
  const stats = new EquityStats();
  const lastT = T - 1;
  const maxPoints = Math.max(2, input.equityPoints ?? 2000);
  const stride = Math.max(1, Math.ceil(T / maxPoints));
  const points: EquityPoint[] = [];
  const trades: BacktestTrade[] = [];
  const rejected: Tally = new Map();
  const refused: Tally = new Map();

  // Per symbol: next candle index, next signal index, amount held, last close.
  const cursor = new Int32Array(k);
  const nextSignal = new Int32Array(k);
  const signalAt: Int32Array[] = [];
  const held = new Float64Array(k);
  const lastClose = new Float64Array(k);
  const exposedBy = new Float64Array(k);
  const tsOf: Float64Array[] = [];
  const closeOf: Float64Array[] = [];
  let exposed = 0;
  for (let s = 0; s < k; s++) {
    const col = series[s]!.columns;
    tsOf.push(col.ts);
    closeOf.push(col.close);
    const first = T > 0 ? lowerBound(col.ts, times[0]!) : col.ts.length;
    cursor[s] = first;
    const action = signals[s]!.action;
    const at: number[] = [];
    for (let i = first; i < action.length; i++) if (action[i] !== 0) at.push(i);
    signalAt.push(Int32Array.from(at));
    // The close before trading starts is the price the paper engine would know by then.
    if (first > 0) lastClose[s] = col.close[first - 1]!;
  }

  const record = (out: StepOutput) => {
    for (const settled of out.settled) {
      const s = core.index(settled.order.symbol)!;
      if (settled.fill === null) {
        tally(refused, settled.reason ?? 'refused');
        continue;
      }
      held[s] = account.position(settled.order.symbol)?.amount ?? 0;
      const t = settled.trade;
      if (t !== null) trades.push(resultTrade(t, settled.order.reason));
    }
    for (const r of out.rejections) {
      if (r.action === 'enter_long') tally(rejected, r.reason);
    }
  };

  /**
   * Candle times [from, to) that need no step: advance the cursors and prices and record
   * equity (cash plus holdings at their latest close).
   */
  const coast = (from: number, to: number) => {
    const cash = account.cash;
    if (account.openCount === 0) {
      const upto = Math.min(to, lastT);
      if (upto > from) stats.addFlat(times[from]!, times[upto - 1]!, cash, upto - from);
      for (let t = Math.ceil(from / stride) * stride; t < to; t += stride)
        points.push({ ts: times[t]!, equity: cash, cash });
      for (let s = 0; s < k; s++) {
        const ts = tsOf[s]!;
        const c = lowerBound(ts, to < T ? times[to]! : Infinity, cursor[s]!);
        if (c > cursor[s]!) lastClose[s] = closeOf[s]![c - 1]!;
        cursor[s] = c;
      }
      return;
    }
    if (k === 1) {
      // One pair: its candle times are the timeline.
      const cl = closeOf[0]!;
      const h = held[0]!;
      let c = cursor[0]!;
      for (let t = from; t < to; t++, c++) {
        const e = cash + h * cl[c]!;
        if (t !== lastT) stats.add(times[t]!, e);
        if (t % stride === 0) points.push({ ts: times[t]!, equity: e, cash });
      }
      cursor[0] = c;
      lastClose[0] = cl[c - 1]!;
      exposed += to - from;
      exposedBy[0]! += to - from;
      return;
    }
    for (let t = from; t < to; t++) {
      const now = times[t]!;
      let e = cash;
      for (let s = 0; s < k; s++) {
        const c = cursor[s]!;
        if (c < tsOf[s]!.length && tsOf[s]![c] === now) {
          lastClose[s] = closeOf[s]![c]!;
          cursor[s] = c + 1;
        }
        const h = held[s]!;
        if (h > 0) {
          e += h * lastClose[s]!;
          exposedBy[s]!++;
        }
      }
      exposed++;
      if (t !== lastT) stats.add(now, e);
      if (t % stride === 0) points.push({ ts: now, equity: e, cash });
    }
  };

  // Without protective exits, a candle time with no signal and no pending order changes
  // nothing but prices and, on the first candle of a UTC day, the daily-loss reference.
  // Protective rules (and the kill switch's equity peak) must see every candle a position is open.
  const canCoast =
    input.exits === undefined &&
    !rulesWatchEveryCandle(input.risk) &&
    signals.every((x) => x.stop === undefined && x.target === undefined);
  let halted: string | null = null;
  let t = 0;
  while (t < T) {
    if (core.pending().length === 0 && (account.openCount === 0 || canCoast)) {
      let next = Infinity;
      for (let s = 0; s < k; s++) {
        const at = signalAt[s]!;
        let j = nextSignal[s]!;
        while (j < at.length && at[j]! < cursor[s]!) j++;
        nextSignal[s] = j;
        if (j < at.length) {
          const ts = tsOf[s]![at[j]!]!;
          if (ts < next) next = ts;
        }
      }
      if (account.openCount > 0) {
        // Step the day's first candle time so the daily reference equity is taken as live.
        const nextDay = (Math.floor(times[t]! / DAY_MS) + 1) * DAY_MS;
        if (nextDay < next) next = nextDay;
      }
      const target = next === Infinity ? T : lowerBound(times, next, t);
      if (target > t) {
        coast(t, target);
        t = target;
        if (t >= T) break;
        // As if every coasted candle had been stepped: the core knows their last closes.
        for (let s = 0; s < k; s++)
          if (lastClose[s]! > 0) core.setPrice(symbols[s]!, lastClose[s]!);
      }
    }
    const now = times[t]!;
    for (let s = 0; s < k; s++) {
      const c = cursor[s]!;
      const ts = tsOf[s]!;
      if (c < ts.length && ts[c] === now) {
        const col = series[s]!.columns;
        present[s] = 1;
        open[s] = col.open[c]!;
        high[s] = col.high[c]!;
        low[s] = col.low[c]!;
        const cl = col.close[c]!;
        close[s] = cl;
        lastClose[s] = cl;
        const a = signals[s]!.action[c]!;
        if (a !== 0) {
          sigAction[s] = a;
          sigStrength[s] = signals[s]!.strength[c]!;
          const { stop, target } = signals[s]!;
          if (stop !== undefined) core.signals.stop[s] = stop[c]!;
          if (target !== undefined) core.signals.target[s] = target[c]!;
        }
        cursor[s] = c + 1;
      }
    }
    const out = core.step(now);
    if (out.settled.length > 0 || out.rejections.length > 0) record(out);
    if (out.killSwitch) {
      // As the bot stops: positions closed at this close, no trading after it.
      record({ settled: core.closeAll(now, out.killSwitch.message), placed: [], rejections: [] });
      core.cancelPending();
      halted = out.killSwitch.message;
    }
    let e = account.cash;
    if (account.openCount > 0) {
      exposed++;
      for (let s = 0; s < k; s++) {
        const h = held[s]!;
        if (h > 0) {
          e += h * lastClose[s]!;
          exposedBy[s]!++;
        }
      }
    }
    if (t !== lastT) stats.add(now, e);
    if (t % stride === 0) points.push({ ts: now, equity: e, cash: account.cash });
    t++;
    if (halted !== null && t < T) {
      coast(t, T);
      t = T;
    }
  }

  const warnings: string[] = halted === null ? [] : [`${halted}; trading stopped there`];
  if (T > 0) {
    const lastTs = times[T - 1]!;
    // Coasting to the end: the core prices the final sale at the last closes.
    for (let s = 0; s < k; s++) if (lastClose[s]! > 0) core.setPrice(symbols[s]!, lastClose[s]!);
    if (account.openCount > 0)
      record({ settled: core.closeAll(lastTs, END_OF_DATA), placed: [], rejections: [] });
    const left = core.cancelPending().length;
    if (left > 0)
      warnings.push(`${left} order(s) decided on the last candle were not filled (no next candle)`);
    const finalEquity = account.equity(core.priceOf);
    stats.add(lastTs, finalEquity);
    const last = points.at(-1);
    const final = { ts: lastTs, equity: finalEquity, cash: account.cash };
    if (last?.ts === lastTs) points[points.length - 1] = final;
    else points.push(final);
  }
  warnings.push(...summarise('entry signal(s) not taken', rejected));
  warnings.push(...summarise('order(s) refused at fill time', refused));

  const metrics = runMetrics({
    series,
    times,
    startingBalance: input.startingBalance,
    timeframeMs,
    trades,
    stats,
    exposed,
    exposedBy,
  });
  return {
    trades,
    equity: points,
    metrics,
    warnings,
    times: T,
    from: T > 0 ? times[0]! : 0,
    to: T > 0 ? times[T - 1]! : 0,
    path: 'core',
  };
}
