/**
 * Backtest requests and results as they cross the contract (`backtest:*` channels) and
 * as `botdesk backtest --json` prints them. Percentages are in percent (12.5 = 12.5 %);
 * ratios without a defined value are null.
 */
import { z } from 'zod';
import {
  DEFAULT_GAP_MODE,
  EquityPoint,
  GapMode,
  RiskConfig,
  StrategyRef,
  Symbol,
  Timeframe,
} from './schemas.ts';

// One gap option for replay and backtests alike (defined with the market config).
export { GapMode } from './schemas.ts';

/** Where the candles come from. */
export const BacktestData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('store'),
      exchange: z.string().min(1),
      symbols: z.array(Symbol).min(1).max(500),
      timeframe: Timeframe,
    })
    .strict(),
  z
    .object({
      kind: z.literal('exchange'),
      exchange: z.string().min(1),
      symbols: z.array(Symbol).min(1).max(500),
      timeframe: Timeframe,
    })
    .strict(),
]);
export type BacktestData = z.infer<typeof BacktestData>;

export const RankMetric = z.enum([
  'totalReturnPct',
  'cagrPct',
  'sharpe',
  'sortino',
  'calmar',
  'profitFactor',
  'winRatePct',
  'expectancy',
  'maxDrawdownPct',
]);
export type RankMetric = z.infer<typeof RankMetric>;

const Millis = z.number().int().min(0);

export const BacktestRequest = z
  .object({
    data: BacktestData,
    /** Only candles opening at or after `from` and before `to` (ms since 1970, UTC). */
    from: Millis.optional(),
    to: Millis.optional(),
    /** Only these symbols of a multi-symbol file. */
    symbols: z.array(Symbol).min(1).max(500).optional(),
    strategy: StrategyRef,
    /** Fee rate per fill (0.001 = 0.1 %). */
    feeRate: z.number().min(0).max(0.1).default(0.001),
    /** Slippage against the trader, in basis points of the fill price. */
    slippageBps: z.number().min(0).max(1000).default(5),
    startingBalance: z.number().positive().max(1e15).default(10_000),
    risk: RiskConfig.default({ stakeFraction: 0.1, maxOpenPositions: 5, maxDailyLoss: 0.05 }),
    // The replay's default too, so a backtest and a paper replay of one file see the same candles.
    gaps: GapMode.default(DEFAULT_GAP_MODE),
    /** Parameter grid: `fast=5..20:5,slow=20..60:10`, or lists of values by parameter. */
    grid: z
      .union([z.string().min(1).max(2000), z.record(z.string(), z.array(z.unknown()).min(1))])
      .optional(),
    rankBy: RankMetric.default('totalReturnPct'),
    /**
     * Candles before `from` the strategy warms up on (at least its own warm-up), as a paper
     * bot's `warmupCandles`: indicators with memory (EMA, MACD, RSI) then start alike.
     */
    warmupCandles: z.number().int().min(0).max(5000).default(200),
    /** Fraction of the period kept out of the grid search and reported separately (0 = none). */
    outOfSample: z.number().min(0).max(0.9).default(0),
    /** Keep the result in the backtest history (backtests.sqlite). Default true. */
    save: z.boolean().default(true),
  })
  .strict();
export type BacktestRequest = z.infer<typeof BacktestRequest>;
export type BacktestRequestInput = z.input<typeof BacktestRequest>;

export const BacktestTrade = z.object({
  symbol: z.string(),
  entryTs: z.number(),
  exitTs: z.number(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  amount: z.number(),
  /** Entry plus exit fee, in quote. */
  fees: z.number(),
  /** Net of both fees, in quote. */
  pnl: z.number(),
  /** pnl as a percentage of the entry cost (amount × entry price + entry fee). */
  pnlPct: z.number(),
  durationMs: z.number(),
  /** 'signal', a risk exit reason, or 'end' (still open when the data ran out, valued at the last close). */
  exitReason: z.string(),
});
export type BacktestTrade = z.infer<typeof BacktestTrade>;

const TradeStats = {
  trades: z.number().int(),
  wins: z.number().int(),
  winRatePct: z.number().nullable(),
  profitFactor: z.number().nullable(),
  /** Average PnL per trade, in quote. */
  expectancy: z.number().nullable(),
  avgTradePct: z.number().nullable(),
  bestTradePct: z.number().nullable(),
  worstTradePct: z.number().nullable(),
  pnl: z.number(),
  fees: z.number(),
};

export const PairMetrics = z.object({
  ...TradeStats,
  /** The pair's PnL as a percentage of the starting balance. */
  returnPct: z.number(),
  exposurePct: z.number(),
  buyAndHoldPct: z.number(),
});
export type PairMetrics = z.infer<typeof PairMetrics>;

export const Metrics = z.object({
  initialBalance: z.number(),
  finalEquity: z.number(),
  totalReturnPct: z.number(),
  cagrPct: z.number().nullable(),
  maxDrawdownPct: z.number(),
  maxDrawdownQuote: z.number(),
  maxDrawdownDurationMs: z.number(),
  sharpe: z.number().nullable(),
  sortino: z.number().nullable(),
  calmar: z.number().nullable(),
  exposurePct: z.number(),
  buyAndHoldPct: z.number(),
  ...TradeStats,
  perPair: z.record(z.string(), PairMetrics),
});
export type Metrics = z.infer<typeof Metrics>;

export const GridRow = z.object({
  params: z.record(z.string(), z.unknown()),
  metrics: Metrics.omit({ perPair: true }),
  /** The same parameters on the out-of-sample part (with outOfSample > 0). */
  outOfSample: Metrics.omit({ perPair: true }).nullable(),
});
export type GridRow = z.infer<typeof GridRow>;

export const BacktestResult = z.object({
  id: z.string(),
  createdAt: z.number(),
  strategy: StrategyRef,
  symbols: z.array(z.string()),
  timeframe: Timeframe,
  /** Open time of the first and last candle simulated. */
  from: z.number(),
  to: z.number(),
  candles: z.number().int(),
  feeRate: z.number(),
  slippageBps: z.number(),
  startingBalance: z.number(),
  gaps: GapMode,
  trades: z.array(BacktestTrade),
  /** The equity curve, thinned to at most a few thousand points (the metrics use every candle). */
  equity: z.array(EquityPoint),
  metrics: Metrics,
  warnings: z.array(z.string()),
  /** The simulation itself (signals and trading), without loading data. */
  elapsedMs: z.number(),
  /** Reading or downloading the candles. */
  loadMs: z.number(),
  /** With a grid: every combination ranked by `rankBy` (best first); the rest of the result is the winner's. */
  grid: z
    .object({
      rankBy: RankMetric,
      rows: z.array(GridRow),
      /** Where the in-sample part ends (with outOfSample > 0). */
      splitTs: z.number().nullable(),
    })
    .optional(),
});
export type BacktestResult = z.infer<typeof BacktestResult>;

export const BacktestSummary = BacktestResult.pick({
  id: true,
  createdAt: true,
  strategy: true,
  symbols: true,
  timeframe: true,
  from: true,
  to: true,
  candles: true,
}).extend({
  totalReturnPct: z.number(),
  maxDrawdownPct: z.number(),
  trades: z.number().int(),
  sharpe: z.number().nullable(),
  grid: z.boolean(),
});
export type BacktestSummary = z.infer<typeof BacktestSummary>;

export const BacktestProgress = z.object({
  runId: z.string(),
  phase: z.enum(['loading', 'running', 'done']),
  /** Units done and total (candles while loading, combinations or pairs while running). */
  done: z.number(),
  total: z.number(),
  message: z.string().optional(),
});
export type BacktestProgress = z.infer<typeof BacktestProgress>;
