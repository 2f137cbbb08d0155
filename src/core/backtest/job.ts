/**
 * One backtest job: a strategy with one or more parameter sets over the same candles.
 * Synchronous and free of process plumbing: a compute worker runs it for the pool, and
 * tests and benchmarks run the very same function in-process.
 */
import type { BacktestTrade, Metrics, RankMetric } from '../api/backtest.ts';
import type { EquityPoint, RiskConfig } from '../api/schemas.ts';
import type { FillModel } from '../trading/fill-model.ts';
import { exchangeRulesTable, type MarketRules } from '../trading/market-rules.ts';
import type { CandleColumns, StrategyDefinition } from '../strategy/types.ts';
import { simulate, type SymbolSignals } from './engine.ts';
import { compareBy } from './rank.ts';
import { strategySignals } from './signals.ts';

export interface JobSeries {
  symbol: string;
  columns: CandleColumns;
}

export interface BacktestJob {
  strategyId: string;
  /** One run per parameter set. */
  runs: Array<Record<string, unknown>>;
  series: JobSeries[];
  timeframeMs: number;
  startingBalance: number;
  risk: RiskConfig;
  fill: FillModel;
  /** Trading starts here (earlier candles warm the strategy up). */
  tradeFrom: number;
  /** With an out-of-sample split: the in-sample part ends here and the rest is run apart. */
  splitTs: number | null;
  /** Trades and equity too (else metrics only, as grid rows need). */
  detail: boolean;
  /**
   * A grid's ranking: the detail of the job's best run by this metric is kept (the first of
   * equals), so the grid's winner needs no second run. Ignored when `detail` is true.
   */
  bestDetail?: RankMetric;
  /** update() only, even for strategies with a columnar form. */
  forceUpdate?: boolean;
  /** The exchange's order rules per symbol (an exchange download); default rules without. */
  markets?: Record<string, MarketRules>;
}

export interface RunDetail {
  trades: BacktestTrade[];
  equity: EquityPoint[];
  warnings: string[];
  times: number;
  from: number;
  to: number;
}

export interface RunOutcome {
  params: Record<string, unknown>;
  metrics: Metrics;
  outOfSample: Metrics | null;
  detail: RunDetail | null;
  /** Signals and simulation time of this run, measured where it ran. */
  elapsedMs: number;
}

/**
 * The job's runs one at a time. With `bestDetail`, an outcome yielded earlier loses its
 * detail (set to null) when a later run ranks better, so only the best keeps one.
 */
export function* runJobSteps(
  job: BacktestJob,
  definition: (id: string) => StrategyDefinition,
): Generator<RunOutcome, void, void> {
  const def = definition(job.strategyId);
  const best = job.detail ? undefined : job.bestDetail;
  let leader: RunOutcome | null = null;
  const rules = job.markets ? exchangeRulesTable(job.markets) : undefined;
  for (const params of job.runs) {
    const started = performance.now();
    const signals: SymbolSignals[] = job.series.map((s) =>
      strategySignals(def, params, s.columns, { forceUpdate: job.forceUpdate === true }),
    );
    const base = {
      series: job.series,
      signals,
      timeframeMs: job.timeframeMs,
      startingBalance: job.startingBalance,
      risk: job.risk,
      fill: job.fill,
      ...(rules ? { rules } : {}),
    };
    const main = simulate({
      ...base,
      tradeFrom: job.tradeFrom,
      ...(job.splitTs !== null ? { tradeTo: job.splitTs } : {}),
    });
    const oos = job.splitTs !== null ? simulate({ ...base, tradeFrom: job.splitTs }) : null;
    const outcome: RunOutcome = {
      params,
      metrics: main.metrics,
      outOfSample: oos?.metrics ?? null,
      detail:
        job.detail || best !== undefined
          ? {
              trades: main.trades,
              equity: main.equity,
              warnings: main.warnings,
              times: main.times,
              from: main.from,
              to: main.to,
            }
          : null,
      elapsedMs: performance.now() - started,
    };
    if (best !== undefined) {
      if (leader === null || compareBy(outcome.metrics, leader.metrics, best) < 0) {
        if (leader !== null) leader.detail = null;
        leader = outcome;
      } else outcome.detail = null;
    }
    yield outcome;
  }
}

export function runJob(
  job: BacktestJob,
  definition: (id: string) => StrategyDefinition,
  onRun?: (done: number) => void,
): RunOutcome[] {
  const outcomes: RunOutcome[] = [];
  for (const outcome of runJobSteps(job, definition)) {
    outcomes.push(outcome);
    onRun?.(outcomes.length);
  }
  return outcomes;
}
