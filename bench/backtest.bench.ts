/**
 * Backtest benchmark.
 *
 * 1. SMA crossover on 1,000,000 one-minute candles, trades and fees included, one core,
 *    through the columnar form (the built-in path): candles per second, best and median
 *    of several runs, with the signal and simulation parts apart. Also with slower
 *    averages (fewer trades), to tell the per-candle cost from the per-trade cost. The
 *    simulation takes the single-pair loop (fast.ts); the general loop over the trading
 *    core is timed on the same signals alongside (`coreLoop`), with the results compared.
 * 2. The same through update() only (the user-strategy path).
 * 3. A 100-combination grid over the compute pool (real worker processes): wall time and
 *    speed-up over the same 100 runs done serially in this process, with workers started
 *    for the grid (cold) and with workers already running and the file read kept (warm, as
 *    the backtest service keeps both between runs), measured side by side.
 * 4. Peak RSS of a process that builds the 1M candles and backtests them once.
 *
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyColumns, type LoadedData } from '../src/core/backtest/data.ts';
import { simulate } from '../src/core/backtest/engine.ts';
import { runJob, type BacktestJob } from '../src/core/backtest/job.ts';
import { JobPool } from '../src/core/backtest/job-pool.ts';
import { runBacktest } from '../src/core/backtest/runner.ts';
import { strategySignals } from '../src/core/backtest/signals.ts';
import { getBuiltinStrategy } from '../src/core/strategy/registry.ts';
import type { CandleColumns } from '../src/core/strategy/types.ts';
import { mulberry32 } from '../test/fixtures/strategies/candles.ts';

const log = (msg: string) => process.stderr.write(`backtest bench: ${msg}\n`);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const MIN = 60_000;
const T0 = Date.UTC(2023, 0, 1);
const N = 1_000_000;

/** A seeded random walk with slow cycles, as columns (no candle objects). */
function series(n: number, seed = 7): CandleColumns {
  const c = emptyColumns(n);
  const rand = mulberry32(seed);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = Math.max(0.01, open * (1 + (rand() - 0.5) * 0.004 + Math.sin(i / 700) * 0.0002));
    c.ts[i] = T0 + i * MIN;
    c.open[i] = open;
    c.close[i] = close;
    c.high[i] = Math.max(open, close) * (1 + rand() * 0.001);
    c.low[i] = Math.min(open, close) * (1 - rand() * 0.001);
    c.volume[i] = 1 + rand();
    price = close;
  }
  return c;
}

const RISK = { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 0.05 };
const FILL = { feeRate: 0.001, slippageBps: 5 };

function job(columns: CandleColumns, runs: BacktestJob['runs'], forceUpdate = false): BacktestJob {
  return {
    strategyId: 'sma-crossover',
    runs,
    series: [{ symbol: 'BTC/USDT', columns }],
    timeframeMs: MIN,
    startingBalance: 10_000,
    risk: RISK,
    fill: FILL,
    tradeFrom: columns.ts[0]!,
    splitTs: null,
    detail: true,
    forceUpdate,
  };
}

const sma = () => getBuiltinStrategy('sma-crossover')!;

/** Best and median wall time of `runs` single-core backtests (after one warm-up run). */
function singleCore(
  columns: CandleColumns,
  params: Record<string, unknown>,
  forceUpdate: boolean,
  runs: number,
  withCore = false,
) {
  const def = sma();
  const total: number[] = [];
  const cpu: number[] = [];
  const signalsMs: number[] = [];
  const simulateMs: number[] = [];
  const coreMs: number[] = [];
  let trades = 0;
  let path = '';
  let same = true;
  for (let r = 0; r <= runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const signals = strategySignals(def, params, columns, { forceUpdate });
    const t1 = performance.now();
    const input = {
      series: [{ symbol: 'BTC/USDT', columns }],
      signals: [signals],
      timeframeMs: MIN,
      startingBalance: 10_000,
      risk: RISK,
      fill: FILL,
    };
    const sim = simulate(input);
    const t2 = performance.now();
    const used = process.cpuUsage(c0);
    trades = sim.trades.length;
    path = sim.path;
    if (withCore) {
      // The general loop on the same signals: its time, and the same results.
      const t3 = performance.now();
      const core = simulate({ ...input, path: 'exact' });
      if (r > 0) coreMs.push(performance.now() - t3);
      same &&=
        JSON.stringify([core.trades, core.metrics, core.equity]) ===
        JSON.stringify([sim.trades, sim.metrics, sim.equity]);
    }
    if (r === 0) continue;
    total.push(t2 - t0);
    cpu.push((used.user + used.system) / 1000);
    signalsMs.push(t1 - t0);
    simulateMs.push(t2 - t1);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const best = Math.min(...total);
  return {
    params,
    candles: columns.ts.length,
    trades,
    bestMs: round(best),
    medianMs: round(median(total)),
    signalsMedianMs: round(median(signalsMs)),
    simulateMedianMs: round(median(simulateMs)),
    candlesPerSecondBest: Math.round(columns.ts.length / (best / 1000)),
    candlesPerSecondMedian: Math.round(columns.ts.length / (median(total) / 1000)),
    // CPU time of this process (all its threads: GC and compiler helpers too) is less
    // sensitive than wall time to other work on a shared machine.
    cpuMedianMs: round(median(cpu)),
    candlesPerCpuSecondBest: Math.round(columns.ts.length / (Math.min(...cpu) / 1000)),
    simulationLoop: path,
    ...(withCore
      ? {
          coreLoop: {
            simulateMedianMs: round(median(coreMs)),
            simulateBestMs: round(Math.min(...coreMs)),
            speedUpOfSinglePairLoop: round(median(coreMs) / median(simulateMs)),
            sameResults: same,
          },
        }
      : {}),
  };
}

async function grid(dir: string) {
  const n = 250_000;
  const columns = series(n, 11);
  const file = join(dir, 'grid.csv');
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < n; i++)
    lines.push(
      `${columns.ts[i]},${columns.open[i]},${columns.high[i]},${columns.low[i]},${columns.close[i]},${columns.volume[i]}`,
    );
  writeFileSync(file, lines.join('\n'));
  const spec = 'fast=5..50:5,slow=60..240:20';
  const runs: Array<Record<string, unknown>> = [];
  for (let fast = 5; fast <= 50; fast += 5)
    for (let slow = 60; slow <= 240; slow += 20) runs.push({ fast, slow });
  const workers = availableParallelism();
  const request = {
    data: { kind: 'file' as const, path: file },
    strategy: { id: 'sma-crossover', params: {} },
    grid: spec,
    risk: RISK,
    save: false,
  };
  const serial = () => {
    const s0 = performance.now();
    runJob({ ...job(columns, runs), detail: false }, sma);
    return performance.now() - s0;
  };
  log(`grid: ${runs.length} combinations serially in this process…`);
  const serialFirstMs = serial();
  log(`grid: the same over ${workers} worker process(es) started for it (cold)…`);
  const c0 = performance.now();
  const cold = await runBacktest(request, { dataDir: dir, poolSize: workers });
  const coldWallMs = performance.now() - c0;
  log('grid: serial and over workers already running (warm), side by side, 3 rounds…');
  const w0 = performance.now();
  const pool = await JobPool.start({ size: workers });
  const startMs = performance.now() - w0;
  // As the backtest service keeps them: the workers, and the last file's loaded candles.
  let kept: { key: string; data: LoadedData } | null = null;
  const dataCache = {
    get: (key: string) => (kept?.key === key ? kept.data : undefined),
    set: (key: string, data: LoadedData) => void (kept = { key, data }),
  };
  const serialMs: number[] = [serialFirstMs];
  const warmWall: number[] = [];
  const warmRun: number[] = [];
  const warmLoad: number[] = [];
  let warm;
  try {
    for (let round = 0; round < 3; round++) {
      const w1 = performance.now();
      warm = await runBacktest(request, {
        dataDir: dir,
        poolSize: workers,
        workers: { acquire: async () => pool, release: () => undefined },
        dataCache,
      });
      warmWall.push(performance.now() - w1);
      warmRun.push(warm.elapsedMs);
      warmLoad.push(warm.loadMs);
      serialMs.push(serial());
    }
  } finally {
    await pool.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const sameRows = JSON.stringify(cold.grid!.rows) === JSON.stringify(warm!.grid!.rows);
  return {
    combinations: cold.grid!.rows.length,
    candles: n,
    workers,
    serialInProcessMedianMs: round(median(serialMs)),
    serialInProcessBestMs: round(Math.min(...serialMs)),
    cold: {
      wallMs: round(coldWallMs),
      runMs: round(cold.elapsedMs),
      loadMs: round(cold.loadMs),
      speedUpWall: round(serialFirstMs / coldWallMs),
      speedUpRun: round(serialFirstMs / cold.elapsedMs),
    },
    warm: {
      workerStartMs: round(startMs),
      wallMedianMs: round(median(warmWall)),
      runMedianMs: round(median(warmRun)),
      runBestMs: round(Math.min(...warmRun)),
      loadMedianMs: round(median(warmLoad)),
      speedUpWall: round(median(serialMs) / median(warmWall)),
      speedUpRun: round(median(serialMs) / median(warmRun)),
      speedUpRunBest: round(Math.min(...serialMs) / Math.min(...warmRun)),
    },
    sameRows,
    note: 'wall includes reading the CSV (load) and, cold, starting the workers; warm: workers running and, after the first round, the file read kept (as the backtest service keeps both between runs). run is sending the candles to the last result (the winner comes back with its job: no second run). Serial and warm runs alternate, so both see the same load.',
  };
}

/** Child mode: build the 1M candles, backtest once, report peak RSS. */
function rssChild(): void {
  const columns = series(N);
  const out = runJob(job(columns, [{}]), sma);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ maxRssMb: round(maxRssMb, 1), trades: out[0]!.metrics.trades }),
  );
}

async function main(): Promise<void> {
  const load = loadavg()[0]!;
  log(`building ${N} candles…`);
  const columns = series(N);
  log('columnar, default SMA(10, 30)…');
  const columnar = singleCore(columns, {}, false, 15, true);
  log('columnar, SMA(50, 200)…');
  const columnarSlow = singleCore(columns, { fast: 50, slow: 200 }, false, 9);
  log('update() only…');
  const update = singleCore(columns, {}, true, 5);
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-backtest-bench-'));
  let gridResult;
  try {
    gridResult = await grid(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log('peak RSS of a 1M-candle backtest (own process)…');
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--rss-child'], {
    encoding: 'utf8',
  });
  const rss = JSON.parse(child.stdout) as { maxRssMb: number; trades: number };
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cores: availableParallelism(), loadAverage1m: round(load) },
        columnar1M: { ...columnar, targetCandlesPerSecond: 20_000_000 },
        columnar1MSlowAverages: columnarSlow,
        update1M: update,
        grid100: gridResult,
        peakRss1M: { ...rss, targetMb: 300 },
      },
      null,
      2,
    )}\n`,
  );
}

if (process.argv.includes('--rss-child')) rssChild();
else await main();
