/**
 * One backtest or grid, end to end: validate the request (nothing runs and nothing is
 * stored on bad input), load the candles, run the jobs in compute workers, rank a grid's
 * combinations and re-run the winner in full, and hand back one result.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import {
  BacktestRequest,
  type BacktestProgress,
  type BacktestRequestInput,
  type BacktestResult,
  type GridRow,
  type Metrics,
} from '../api/backtest.ts';
import { BotDeskError } from '../api/errors.ts';
import type { StrategyInfo } from '../api/schemas.ts';
import type { WorkerHost } from '../compute/host.ts';
import type { CcxtSourceOptions } from '../market/ccxt-source.ts';
import { getBuiltinStrategy } from '../strategy/builtin/index.ts';
import { describeStrategy, prepareStrategy } from '../strategy/definition.ts';
import { loadBacktestData, type LoadedData, type LoadOptions } from './data.ts';
import { combinations, parseGrid } from './grid.ts';
import type { BacktestJob, RunOutcome } from './job.ts';
import { JobPool, defaultJobPoolSize } from './job-pool.ts';
import { rankRows } from './rank.ts';

export { rankRows } from './rank.ts';

export interface RunnerOptions {
  dataDir: string;
  /** User strategy folder (`<dataDir>/strategies`); null for built-ins only. */
  strategiesDir?: string | null;
  workerHost?: WorkerHost;
  entry?: string;
  /** Worker processes for grids (default: the machine's cores). */
  poolSize?: number;
  ccxt?: Omit<CcxtSourceOptions, 'exchange' | 'store' | 'ownsStore'>;
  runId?: string;
  onProgress?: (p: BacktestProgress) => void;
  signal?: AbortSignal;
  /** update() only, even for strategies with a columnar form (benchmarks). */
  forceUpdate?: boolean;
  /**
   * Where a data file may be read from: returns the path to read or throws (FORBIDDEN). The
   * host passes its replay-file gate, since a request may come from a remote client.
   */
  checkFile?: (path: string) => string;
  /**
   * Lends started workers for built-in strategies (the service keeps them warm between
   * runs, so a run does not wait for processes to start); `release` takes them back after a
   * run that succeeded. Without it, each run starts its own workers and closes them.
   */
  workers?: WorkerLender;
  /** Keeps a file's loaded candles for the next run on it (the service holds the last one). */
  dataCache?: DataCache;
}

/**
 * Candles loaded from a file, kept for the next run on the same file (read only: runs
 * never change them). Keyed by `fileKey`: the file's path, size and modification time and
 * every option that shapes what is loaded.
 */
export interface DataCache {
  get(key: string): LoadedData | undefined;
  set(key: string, data: LoadedData): void;
}

/** The cache key of a load from a file given by its absolute path (null: not cached). */
function fileKey(load: LoadOptions): string | null {
  if (load.data.kind !== 'file' || !isAbsolute(load.data.path)) return null;
  let stat;
  try {
    stat = statSync(load.data.path);
  } catch {
    return null; // the loader reports what is wrong with the file
  }
  return JSON.stringify([
    load.data.path,
    stat.size,
    stat.mtimeMs,
    stat.ino,
    load.from ?? null,
    load.to ?? null,
    load.symbols ?? null,
    load.gaps,
    load.warmup,
    load.history ?? null,
  ]);
}

export interface WorkerLender {
  /** Started workers, at least `size` of them. */
  acquire(size: number): Promise<JobPool>;
  release(pool: JobPool): void;
}

function strip(m: Metrics): GridRow['metrics'] {
  const { perPair: _, ...rest } = m;
  return rest;
}

function invalid(message: string): BotDeskError {
  return new BotDeskError('INVALID_INPUT', message);
}

function parseRequest(input: BacktestRequestInput): BacktestRequest {
  const parsed = BacktestRequest.safeParse(input);
  if (!parsed.success) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `invalid backtest: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`,
      parsed.error.issues,
    );
  }
  return parsed.data;
}

/** The parameter sets to run and the warm-up they need; bad params fail here, before any work. */
function planRuns(
  req: BacktestRequest,
  info: StrategyInfo,
): { runs: Array<Record<string, unknown>>; warmup: number; skipped: string[] } {
  const def = getBuiltinStrategy(info.id);
  const base = req.strategy.params;
  if (req.grid === undefined) {
    // Built-ins are checked here; user strategies are checked by the worker that loads them.
    const warmup = def ? prepareStrategy(def, base).warmup : info.warmup;
    return { runs: [base], warmup, skipped: [] };
  }
  const all = combinations(parseGrid(req.grid, info.paramsSchema), base);
  if (def === undefined) return { runs: all, warmup: info.warmup, skipped: [] };
  const runs: Array<Record<string, unknown>> = [];
  const reasons = new Map<string, number>();
  let warmup = 0;
  for (const params of all) {
    const ok = def.params.safeParse(params);
    if (ok.success) {
      runs.push(params);
      warmup = Math.max(warmup, def.warmup(ok.data));
    } else {
      const why = ok.error.issues[0]?.message ?? 'invalid';
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }
  }
  if (runs.length === 0)
    throw invalid(
      `grid: none of its ${all.length} combinations is valid for '${info.id}' (${[...reasons.keys()].join('; ')})`,
    );
  const skipped = [...reasons].map(([why, n]) => `grid: ${n} combination(s) left out: ${why}`);
  return { runs, warmup, skipped };
}

/** Open time splitting the traded period: the last `fraction` of it is out of sample. */
function splitTime(data: LoadedData, fraction: number): number {
  let last = -Infinity;
  for (const s of data.series) last = Math.max(last, s.columns.ts[s.columns.ts.length - 1]!);
  const tf = data.timeframeMs;
  const span = last + tf - data.tradeFrom;
  const split = data.tradeFrom + Math.round((span * (1 - fraction)) / tf) * tf;
  if (split <= data.tradeFrom || split > last)
    throw invalid('the out-of-sample split leaves one part without candles; use more data');
  return split;
}

function baseJob(
  req: BacktestRequest,
  data: LoadedData,
  forceUpdate: boolean,
): Omit<BacktestJob, 'runs' | 'detail' | 'splitTs'> {
  return {
    strategyId: req.strategy.id,
    series: data.series.map((s) => ({ symbol: s.symbol, columns: s.columns })),
    timeframeMs: data.timeframeMs,
    startingBalance: req.startingBalance,
    risk: req.risk,
    fill: { feeRate: req.feeRate, slippageBps: req.slippageBps },
    tradeFrom: data.tradeFrom,
    forceUpdate,
    ...(data.markets ? { markets: data.markets } : {}),
  };
}

/** Splits runs over `parts` jobs, interleaved so each gets a similar mix. */
function spread<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: Math.min(parts, items.length) }, () => []);
  items.forEach((item, i) => out[i % out.length]!.push(item));
  return out;
}

export async function runBacktest(
  input: BacktestRequestInput,
  opts: RunnerOptions,
): Promise<BacktestResult> {
  const req = parseRequest(input);
  const runId = opts.runId ?? randomUUID();
  const progress = (p: Omit<BacktestProgress, 'runId'>) => opts.onProgress?.({ runId, ...p });
  const cancelled = () => new BotDeskError('CANCELLED', 'the backtest was cancelled');
  if (opts.signal?.aborted) throw cancelled();
  if (req.outOfSample > 0 && req.grid === undefined)
    throw invalid('outOfSample applies to a grid (optimise on the first part, report the rest)');

  const builtin = getBuiltinStrategy(req.strategy.id);
  let pool: JobPool | null = null;
  // Workers lent by opts.workers: handed back after a good run, closed otherwise.
  let lent: JobPool | null = null;
  let succeeded = false;
  const onAbort = () => void pool?.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let info: StrategyInfo;
    if (builtin) info = describeStrategy(builtin, 'builtin');
    else {
      // A user strategy: only a worker may load it, so start the workers first.
      pool = await JobPool.start({
        size: 1,
        ...(opts.workerHost ? { host: opts.workerHost } : {}),
        ...(opts.entry ? { entry: opts.entry } : {}),
        strategiesDir: opts.strategiesDir ?? null,
      });
      const found = (await pool.describe()).find((s) => s.id === req.strategy.id);
      if (found === undefined)
        throw new BotDeskError(
          'NOT_FOUND',
          `unknown strategy '${req.strategy.id}'; see 'botdesk strategies' for the list`,
        );
      if (found.error !== undefined)
        throw new BotDeskError(
          'STRATEGY_ERROR',
          `user strategy '${found.id}' failed to load: ${found.error}`,
        );
      info = found;
    }
    const plan = planRuns(req, info);

    progress({ phase: 'loading', done: 0, total: 1 });
    const loadStart = performance.now();
    const source =
      req.data.kind === 'file' && opts.checkFile
        ? { ...req.data, path: opts.checkFile(req.data.path) }
        : req.data;
    const load: LoadOptions = {
      data: source,
      from: req.from,
      to: req.to,
      symbols: req.symbols,
      gaps: req.gaps,
      warmup: plan.warmup,
      history: req.warmupCandles,
      dataDir: opts.dataDir,
      ...(opts.ccxt ? { ccxt: opts.ccxt } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done, total, message) => progress({ phase: 'loading', done, total, message }),
    };
    const key = opts.dataCache ? fileKey(load) : null;
    let data = key !== null ? opts.dataCache!.get(key) : undefined;
    if (data === undefined) {
      data = await loadBacktestData(load);
      if (key !== null) opts.dataCache!.set(key, data);
    }
    const loadMs = performance.now() - loadStart;
    if (opts.signal?.aborted) throw cancelled();
    const splitTs = req.outOfSample > 0 ? splitTime(data, req.outOfSample) : null;

    const wanted = Math.min(opts.poolSize ?? defaultJobPoolSize(), plan.runs.length);
    if (builtin && opts.workers) {
      pool = await opts.workers.acquire(wanted);
      lent = pool;
    } else if (pool === null || pool.size < wanted) {
      await pool?.close();
      pool = await JobPool.start({
        size: wanted,
        ...(opts.workerHost ? { host: opts.workerHost } : {}),
        ...(opts.entry ? { entry: opts.entry } : {}),
        strategiesDir: builtin ? null : (opts.strategiesDir ?? null),
      });
    }
    if (opts.signal?.aborted) throw cancelled();
    const workers = pool;
    const base = baseJob(req, data, opts.forceUpdate === true);
    const started = performance.now();
    const grid = req.grid !== undefined;
    const total = plan.runs.length + (grid ? 1 : 0);
    const doneBy = new Map<number, number>();
    const report = () =>
      progress({ phase: 'running', done: [...doneBy.values()].reduce((a, b) => a + b, 0), total });
    report();
    let winner: RunOutcome;
    let rows: GridRow[] | null = null;
    if (!grid) {
      [winner] = (await workers.run({ ...base, runs: plan.runs, detail: true, splitTs: null })) as [
        RunOutcome,
      ];
      doneBy.set(0, 1);
    } else {
      // One job per worker (its share of the runs in one message, the candles sent once);
      // each keeps the detail of its best run, so the grid's winner comes back complete.
      const parts = spread(plan.runs, workers.size);
      const outcomes = (
        await Promise.all(
          parts.map((runs, i) =>
            workers.run(
              { ...base, runs, detail: false, bestDetail: req.rankBy, splitTs },
              (done) => {
                doneBy.set(i, done);
                report();
              },
            ),
          ),
        )
      ).flat();
      const ranked = rankRows(outcomes, req.rankBy);
      rows = ranked.map((o) => ({
        params: o.params,
        metrics: strip(o.metrics),
        outOfSample: o.outOfSample ? strip(o.outOfSample) : null,
      }));
      // The winner in full (trades, equity, per pair) over the in-sample part: the first
      // of the best is its job's first best too, so its detail came back with it.
      winner = ranked[0]!;
      if (winner.detail === null)
        [winner] = (await workers.run({
          ...base,
          runs: [winner.params],
          detail: true,
          splitTs,
        })) as [RunOutcome];
      doneBy.set(-1, 1);
    }
    const elapsedMs = performance.now() - started;
    report();
    progress({ phase: 'done', done: total, total });
    const detail = winner.detail!;
    succeeded = true;
    return {
      id: runId,
      createdAt: Date.now(),
      strategy: { id: req.strategy.id, params: winner.params },
      symbols: data.series.map((s) => s.symbol),
      timeframe: data.timeframe,
      from: detail.from,
      to: detail.to,
      candles: detail.times,
      feeRate: req.feeRate,
      slippageBps: req.slippageBps,
      startingBalance: req.startingBalance,
      gaps: req.gaps,
      trades: detail.trades,
      equity: detail.equity,
      metrics: winner.metrics,
      warnings: [...data.warnings, ...plan.skipped, ...detail.warnings],
      elapsedMs,
      loadMs,
      ...(rows ? { grid: { rankBy: req.rankBy, rows, splitTs } } : {}),
    };
  } catch (err) {
    if (opts.signal?.aborted) throw cancelled();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (pool !== null && pool === lent && succeeded && pool.healthy && !opts.signal?.aborted)
      opts.workers!.release(pool);
    else await pool?.close();
  }
}
