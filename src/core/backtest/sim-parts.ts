/**
 * Pieces both simulation loops share (engine.ts, the general one over the trading core,
 * and fast.ts, the single-pair loop): binary search over candle times, the tallies behind
 * the run's warnings, and the metrics of a finished run.
 */
import type { BacktestTrade, Metrics } from '../api/backtest.ts';
import type { ClosedTrade } from '../trading/account.ts';
import type { CandleColumns } from '../strategy/types.ts';
import { computeMetrics, type EquityStats, type PriceSpan } from './metrics.ts';

export const DAY_MS = 86_400_000;

/** The trading reason of a forced sale when the data (or the in-sample part) ends. */
export const END_OF_DATA = 'end of data';

/**
 * First index of `ts` at or after `from` with a value ≥ `t`. Gallops from `from` first:
 * the loop's next event is usually a few candles ahead, and probing near it touches far
 * less memory than bisecting a million-candle column.
 */
export function lowerBound(ts: Float64Array, t: number, from = 0): number {
  let lo = from;
  let hi = ts.length;
  for (let step = 1; lo + step < hi; step *= 2) {
    if (ts[lo + step]! >= t) {
      hi = lo + step;
      break;
    }
    lo += step;
  }
  if (lo < hi && ts[lo]! >= t) return lo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A round trip of the account as a backtest result's trade (PnL % as a percentage). */
export function resultTrade(t: ClosedTrade, exitReason: string): BacktestTrade {
  return {
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
    exitReason,
  };
}

export function quoteOf(symbol: string): string {
  return symbol.split('/')[1] ?? 'USDT';
}

/** Refusals grouped by their wording (numbers aside), each with its first full text. */
export type Tally = Map<string, { n: number; first: string }>;

export function tally(counts: Tally, reason: string): void {
  // Numbers vary per order (stakes, balances): group by the wording, keep the first as said.
  const key = reason.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, '#');
  const seen = counts.get(key);
  if (seen) seen.n += 1;
  else counts.set(key, { n: 1, first: reason });
}

export function summarise(what: string, counts: Tally): string[] {
  if (counts.size === 0) return [];
  const groups = [...counts.values()];
  const total = groups.reduce((a, g) => a + g.n, 0);
  const top = groups
    .sort((a, b) => b.n - a.n)
    .slice(0, 4)
    .map((g) => (g.n === 1 ? g.first : `${g.first} (and ${g.n - 1} more like it)`))
    .join('; ');
  return [`${total} ${what}: ${top}`];
}

export interface RunTotals {
  series: ReadonlyArray<{ symbol: string; columns: CandleColumns }>;
  /** The simulated candle times (ascending). */
  times: Float64Array;
  startingBalance: number;
  timeframeMs: number;
  trades: readonly BacktestTrade[];
  stats: EquityStats;
  exposed: number;
  /** Per series, candle times its position was open. */
  exposedBy: Float64Array;
}

/** The metrics of a finished run: overall and per pair, with buy-and-hold over the same span. */
export function runMetrics(r: RunTotals): Metrics {
  const T = r.times.length;
  const prices: PriceSpan[] = [];
  const exposedByPair = new Map<string, number>();
  for (let s = 0; s < r.series.length; s++) {
    const { symbol, columns: col } = r.series[s]!;
    const a = T > 0 ? lowerBound(col.ts, r.times[0]!) : 0;
    const b = T > 0 ? lowerBound(col.ts, r.times[T - 1]! + 1) - 1 : -1;
    exposedByPair.set(symbol, r.exposedBy[s]!);
    if (b >= a) prices.push({ symbol, firstOpen: col.open[a]!, lastClose: col.close[b]! });
  }
  return computeMetrics({
    initialBalance: r.startingBalance,
    trades: r.trades,
    curve: r.stats,
    timeframeMs: r.timeframeMs,
    exposedSamples: r.exposed,
    exposedByPair,
    prices,
  });
}
