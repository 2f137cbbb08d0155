/**
 * Backtest metrics: pure functions of the closed trades and the equity curve. Returns
 * and rates are percentages (12.5 = 12.5 %); ratios that have no defined value (no
 * losing trade for the profit factor, no drawdown for Calmar, no variance for Sharpe)
 * are null rather than Infinity, so results stay valid JSON.
 */
import type { BacktestTrade, Metrics, PairMetrics } from '../api/backtest.ts';

const YEAR_MS = 365 * 24 * 3_600_000;

export interface EquityCurve {
  /** Sample times (ms), ascending, one per candle time of the run. */
  ts: ArrayLike<number>;
  equity: ArrayLike<number>;
}

export interface PriceSpan {
  symbol: string;
  /** The first candle's open and the last candle's close of the pair in the run. */
  firstOpen: number;
  lastClose: number;
}

export interface MetricsInput {
  initialBalance: number;
  trades: readonly BacktestTrade[];
  curve: EquityCurve;
  /** Candle length, to annualise per-candle returns and to count the last candle's time. */
  timeframeMs: number;
  /** Candle times with at least one position open (overall exposure). */
  exposedSamples: number;
  /** Per pair: candle times with that pair's position open. */
  exposedByPair?: ReadonlyMap<string, number>;
  prices: readonly PriceSpan[];
}

export interface Drawdown {
  pct: number;
  quote: number;
  durationMs: number;
}

/** Deepest fall from a running peak (in % and quote) and the longest time spent below a peak. */
export function maxDrawdown(curve: EquityCurve): Drawdown {
  const { ts, equity } = curve;
  let peak = -Infinity;
  let peakTs = 0;
  let pct = 0;
  let quote = 0;
  let durationMs = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e >= peak) {
      peak = e;
      peakTs = ts[i]!;
      continue;
    }
    const fall = peak - e;
    if (fall > quote) quote = fall;
    const fallPct = peak > 0 ? (fall / peak) * 100 : 0;
    if (fallPct > pct) pct = fallPct;
    const under = ts[i]! - peakTs;
    if (under > durationMs) durationMs = under;
  }
  return { pct, quote, durationMs };
}

/** Annualised Sharpe and Sortino ratios of per-sample returns (risk-free rate 0). */
export function riskRatios(
  curve: EquityCurve,
  timeframeMs: number,
): { sharpe: number | null; sortino: number | null } {
  const e = curve.equity;
  const n = e.length - 1;
  if (n < 2) return { sharpe: null, sortino: null };
  // One pass; an unchanged equity (nothing held) is a zero return without a division.
  let sum = 0;
  let squares = 0;
  let downside = 0;
  let prev = e[0]!;
  for (let i = 1; i <= n; i++) {
    const cur = e[i]!;
    if (cur !== prev) {
      const r = cur / prev - 1;
      sum += r;
      squares += r * r;
      if (r < 0) downside += r * r;
      prev = cur;
    }
  }
  const mean = sum / n;
  const variance = Math.max(0, squares - n * mean * mean);
  const sd = Math.sqrt(variance / (n - 1));
  const dd = Math.sqrt(downside / n);
  const annual = Math.sqrt(YEAR_MS / timeframeMs);
  return {
    sharpe: sd > 0 ? (mean / sd) * annual : null,
    sortino: dd > 0 ? (mean / dd) * annual : null,
  };
}

interface TradeStats {
  trades: number;
  wins: number;
  winRatePct: number | null;
  profitFactor: number | null;
  expectancy: number | null;
  avgTradePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  pnl: number;
  fees: number;
}

export function tradeStats(trades: readonly BacktestTrade[]): TradeStats {
  let wins = 0;
  let gains = 0;
  let losses = 0;
  let pnl = 0;
  let fees = 0;
  let pctSum = 0;
  let best = -Infinity;
  let worst = Infinity;
  for (const t of trades) {
    pnl += t.pnl;
    fees += t.fees;
    pctSum += t.pnlPct;
    if (t.pnl > 0) {
      wins++;
      gains += t.pnl;
    } else losses -= t.pnl;
    if (t.pnlPct > best) best = t.pnlPct;
    if (t.pnlPct < worst) worst = t.pnlPct;
  }
  const n = trades.length;
  return {
    trades: n,
    wins,
    winRatePct: n > 0 ? (wins / n) * 100 : null,
    profitFactor: losses > 0 ? gains / losses : null,
    expectancy: n > 0 ? pnl / n : null,
    avgTradePct: n > 0 ? pctSum / n : null,
    bestTradePct: n > 0 ? best : null,
    worstTradePct: n > 0 ? worst : null,
    pnl,
    fees,
  };
}

const holdReturnPct = (p: PriceSpan) => (p.lastClose / p.firstOpen - 1) * 100;

export function computeMetrics(input: MetricsInput): Metrics {
  const { initialBalance, curve, timeframeMs, prices } = input;
  const samples = curve.equity.length;
  const finalEquity = samples > 0 ? curve.equity[samples - 1]! : initialBalance;
  const spanMs = samples > 0 ? curve.ts[samples - 1]! - curve.ts[0]! + timeframeMs : 0;
  const growth = finalEquity / initialBalance;
  const annualGrowth = spanMs > 0 && growth > 0 ? growth ** (YEAR_MS / spanMs) : Number.NaN;
  // Compounding a few hours to a year overflows: no meaningful CAGR then.
  const cagrPct = Number.isFinite(annualGrowth) ? (annualGrowth - 1) * 100 : null;
  const dd = maxDrawdown(curve);
  const { sharpe, sortino } = riskRatios(curve, timeframeMs);
  const stats = tradeStats(input.trades);
  const perPair: Record<string, PairMetrics> = {};
  for (const p of prices) {
    const own = tradeStats(input.trades.filter((t) => t.symbol === p.symbol));
    const exposed = input.exposedByPair?.get(p.symbol) ?? 0;
    perPair[p.symbol] = {
      ...own,
      returnPct: (own.pnl / initialBalance) * 100,
      exposurePct: samples > 0 ? (exposed / samples) * 100 : 0,
      buyAndHoldPct: holdReturnPct(p),
    };
  }
  return {
    initialBalance,
    finalEquity,
    totalReturnPct: (growth - 1) * 100,
    cagrPct,
    maxDrawdownPct: dd.pct,
    maxDrawdownQuote: dd.quote,
    maxDrawdownDurationMs: dd.durationMs,
    sharpe,
    sortino,
    calmar: cagrPct !== null && dd.pct > 0 ? cagrPct / dd.pct : null,
    exposurePct: samples > 0 ? (input.exposedSamples / samples) * 100 : 0,
    // Equal parts of the balance in each pair, bought at the first open and held to the last close.
    buyAndHoldPct:
      prices.length > 0 ? prices.reduce((s, p) => s + holdReturnPct(p), 0) / prices.length : 0,
    ...stats,
    perPair,
  };
}
