/**
 * Backtests through real compute workers: a grid's results equal the same runs done one
 * by one, cancel stops a grid and leaves no worker behind, and bad inputs each give a
 * clear error with nothing stored.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestRequestInput } from '../../../src/core/api/backtest.ts';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { Candle } from '../../../src/core/api/schemas.ts';
import { loadBacktestData, type LoadedData } from '../../../src/core/backtest/data.ts';
import { runJob } from '../../../src/core/backtest/job.ts';
import { runBacktest } from '../../../src/core/backtest/runner.ts';
import { BacktestService } from '../../../src/core/backtest/service.ts';
import { getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';
import { generatedSeries } from '../../fixtures/strategies/generated.ts';
import { childPids } from '../../support/child-processes.ts';

let dir: string;
let file: string;
let bigFile: string;

function csv(candles: readonly Candle[]): string {
  return [
    'timestamp,open,high,low,close,volume',
    ...candles.map((c) => `${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume}`),
  ].join('\n');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-backtest-'));
  file = join(dir, 'series.csv');
  writeFileSync(file, csv(generatedSeries(6000, 5).candles));
  bigFile = join(dir, 'big.csv');
  writeFileSync(bigFile, csv(generatedSeries(150_000, 6).candles));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (path = file): BacktestRequestInput => ({
  data: { kind: 'file', path },
  strategy: { id: 'sma-crossover', params: {} },
  risk: { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 0.05 },
  gaps: 'fill',
});

describe('a grid over the compute workers', () => {
  it('gives the same results as the same runs done one by one, ranked by the chosen metric', async () => {
    const progress: number[] = [];
    const result = await runBacktest(
      { ...base(), grid: 'fast=5..15:5,slow=20..30:10', rankBy: 'sharpe', outOfSample: 0.25 },
      { dataDir: dir, poolSize: 2, onProgress: (p) => progress.push(p.done) },
    );
    const rows = result.grid!.rows;
    expect(rows).toHaveLength(6);
    expect(progress.at(-1)).toBe(7);
    // Ranked best Sharpe first.
    const sharpes = rows.map((r) => r.metrics.sharpe ?? -Infinity);
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes);

    // The same runs, one by one, in this process.
    const data = await loadBacktestData({
      data: { kind: 'file', path: file },
      gaps: 'fill',
      warmup: 31,
      dataDir: dir,
    });
    const split = result.grid!.splitTs!;
    expect(split).toBeGreaterThan(data.tradeFrom);
    const job = (params: Record<string, unknown>, detail: boolean) => ({
      strategyId: 'sma-crossover',
      runs: [params],
      series: data.series.map((s) => ({ symbol: s.symbol, columns: s.columns })),
      timeframeMs: data.timeframeMs,
      startingBalance: 10_000,
      risk: { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 0.05 },
      fill: { feeRate: 0.001, slippageBps: 5 },
      tradeFrom: data.tradeFrom,
      splitTs: split,
      detail,
    });
    for (const row of rows) {
      const [one] = runJob(job(row.params, false), (id) => getBuiltinStrategy(id)!);
      const { perPair: _a, ...inSample } = one!.metrics;
      const { perPair: _b, ...outOfSample } = one!.outOfSample!;
      expect(row.metrics).toEqual(inSample);
      expect(row.outOfSample).toEqual(outOfSample);
    }

    // The winner's full result is the winner run alone, over the in-sample part.
    expect(result.strategy.params).toEqual(rows[0]!.params);
    const { perPair: _c, ...winner } = result.metrics;
    expect(winner).toEqual(rows[0]!.metrics);
    expect(result.trades.length).toBe(rows[0]!.metrics.trades);
    expect(result.to).toBeLessThan(split);
    // Its trades and equity came back with the grid (no second run): the same as running it alone.
    const [alone] = runJob(job(rows[0]!.params, true), (id) => getBuiltinStrategy(id)!);
    expect(result.trades).toEqual(alone!.detail!.trades);
    expect(result.equity).toEqual(alone!.detail!.equity);

    // A job asked for its best run's detail keeps exactly one: the first of the best.
    const all = rows.map((r) => r.params);
    const kept = runJob({ ...job(rows[0]!.params, false), runs: all, bestDetail: 'sharpe' }, (id) =>
      getBuiltinStrategy(id)!,
    );
    expect(kept.filter((o) => o.detail !== null).map((o) => o.params)).toEqual([rows[0]!.params]);
  });

  it('cancel stops a grid: CANCELLED, no worker left behind, nothing stored', async () => {
    const before = childPids();
    const service = new BacktestService({
      dataDir: dir,
      poolSize: 2,
      onProgress: (p) => {
        if (p.phase === 'running') service.cancel(p.runId);
      },
      forceUpdate: true,
    });
    const storedBefore = service.list().length;
    const run = service.run({ ...base(bigFile), grid: 'fast=2..21,slow=30|40' });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(childPids().filter((pid) => !before.includes(pid))).toEqual([]);
    expect(service.list()).toHaveLength(storedBefore);
    expect(service.running()).toEqual([]);
    service.close();
  });
});

describe('warm workers', () => {
  it('a service keeps its workers between runs, a grid reuses them, and close ends them', async () => {
    const before = childPids();
    const fresh = () => childPids().filter((pid) => !before.includes(pid));
    const service = new BacktestService({ dataDir: dir, poolSize: 2 });
    const grid = { ...base(), grid: 'fast=5..15:5,slow=20..30:10', save: false };
    const first = await service.run(grid);
    const warm = fresh();
    expect(warm).toHaveLength(2);
    // The same grid again on the same two processes, with the same results.
    const again = await service.run(grid);
    expect(fresh()).toEqual(warm);
    expect(again.grid!.rows).toEqual(first.grid!.rows);
    expect(again.trades).toEqual(first.trades);
    // A single run takes one of them and hands the pair back.
    await service.run({ ...base(), save: false });
    expect(fresh()).toEqual(warm);
    service.close();
    for (let i = 0; i < 100 && fresh().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(fresh()).toEqual([]);
  });
});

describe('loaded candles kept for the next run', () => {
  it('a data cache serves the next run on the same file; a changed file is read again', async () => {
    const stored = new Map<string, LoadedData>();
    let hits = 0;
    const dataCache = {
      get: (key: string) => {
        const d = stored.get(key);
        if (d !== undefined) hits++;
        return d;
      },
      set: (key: string, d: LoadedData) => void stored.set(key, d),
    };
    const f = join(dir, 'cached.csv');
    writeFileSync(f, csv(generatedSeries(3000, 21).candles));
    const opts = { dataDir: dir, poolSize: 1, dataCache };
    const a = await runBacktest({ ...base(f), save: false }, opts);
    const b = await runBacktest({ ...base(f), save: false }, opts);
    expect(hits).toBe(1);
    expect(b.trades).toEqual(a.trades);
    // Other options load anew.
    await runBacktest({ ...base(f), gaps: 'keep', save: false }, opts);
    expect(hits).toBe(1);
    writeFileSync(f, csv(generatedSeries(3000, 22).candles));
    const c = await runBacktest({ ...base(f), save: false }, opts);
    expect(hits).toBe(1);
    expect(c.trades).not.toEqual(a.trades);
  });
});

describe('user strategies', () => {
  it('run in a compute worker through update() (the shipped example)', async () => {
    const strategiesDir = join(dir, 'strategies');
    mkdirSync(strategiesDir, { recursive: true });
    copyFileSync(
      join(import.meta.dirname, '../../../resources/strategies/example-momentum.mjs'),
      join(strategiesDir, 'example-momentum.mjs'),
    );
    const result = await runBacktest(
      { ...base(), strategy: { id: 'example-momentum', params: { threshold: 0.1 } }, save: false },
      { dataDir: dir, strategiesDir, poolSize: 1 },
    );
    expect(result.strategy.id).toBe('example-momentum');
    expect(result.trades.length).toBeGreaterThan(0);
    await expect(
      runBacktest(
        { ...base(), strategy: { id: 'example-momentum', params: { period: 'x' } }, save: false },
        { dataDir: dir, strategiesDir, poolSize: 1 },
      ),
    ).rejects.toThrowError(/invalid parameters for strategy 'example-momentum': period/);
  });
});

describe('bad inputs: a clear error and nothing stored', () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const header = 'timestamp,open,high,low,close,volume';
  const row = (minute: number, price = 100) =>
    `${Date.UTC(2024, 0, 1) + minute * 60_000},${price},${price},${price},${price},1`;

  const cases: Array<[string, () => BacktestRequestInput, RegExp, string]> = [
    ['an empty file', () => base(write('empty.csv', '')), /the file is empty/, 'INVALID_INPUT'],
    [
      'unsorted timestamps',
      () => base(write('unsorted.csv', [header, row(0), row(2), row(1), row(3)].join('\n'))),
      /line 4: timestamp .* is not after the row on line 3/,
      'INVALID_INPUT',
    ],
    [
      'duplicate timestamps',
      () => base(write('dup.csv', [header, row(0), row(1), row(1), row(2)].join('\n'))),
      /line 4: timestamp .* is not after the row on line 3/,
      'INVALID_INPUT',
    ],
    [
      'fewer candles than the warm-up',
      () =>
        base(
          write('short.csv', [header, ...Array.from({ length: 20 }, (_, i) => row(i))].join('\n')),
        ),
      /20 candle\(s\), fewer than the strategy's warm-up of 31 plus one/,
      'INVALID_INPUT',
    ],
    [
      'an unknown strategy',
      () => ({ ...base(), strategy: { id: 'no-such-strategy', params: {} } }),
      /unknown strategy 'no-such-strategy'/,
      'NOT_FOUND',
    ],
    [
      'bad params',
      () => ({ ...base(), strategy: { id: 'sma-crossover', params: { fast: 40, slow: 10 } } }),
      /invalid parameters for strategy 'sma-crossover': fast: fast must be shorter than slow/,
      'INVALID_INPUT',
    ],
    [
      'bad grid syntax',
      () => ({ ...base(), grid: 'fast=5..20:5,slow=60..20:10' }),
      /grid: slow: the range 60..20:10 runs backwards/,
      'INVALID_INPUT',
    ],
    [
      'a date range with no data',
      () => ({ ...base(), from: Date.UTC(2030, 0, 1), to: Date.UTC(2030, 1, 1) }),
      /no data in the date range 2030-01-01T00:00:00.000Z – 2030-02-01T00:00:00.000Z: BTC\/USDT has candles from/,
      'INVALID_INPUT',
    ],
    [
      'a negative fee',
      () => ({ ...base(), feeRate: -0.01 }),
      /invalid backtest: feeRate/,
      'INVALID_INPUT',
    ],
  ];

  it.each(cases)('%s', async (_name, request, message, code) => {
    const service = new BacktestService({ dataDir: dir, poolSize: 1 });
    const stored = service.list().length;
    const err = await service.run(request()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BotDeskError);
    expect((err as BotDeskError).message).toMatch(message);
    expect((err as BotDeskError).code).toBe(code);
    expect(service.list()).toHaveLength(stored);
    service.close();
  });

  it('a good run is stored and read back whole', async () => {
    const service = new BacktestService({ dataDir: dir, poolSize: 1 });
    const result = await service.run({ ...base(), feeRate: 0, slippageBps: 0 });
    expect(result.metrics.fees).toBe(0);
    expect(service.list()[0]).toMatchObject({
      id: result.id,
      trades: result.metrics.trades,
      totalReturnPct: result.metrics.totalReturnPct,
      grid: false,
    });
    expect(service.get(result.id)).toEqual(result);
    expect(() => service.get('missing')).toThrowError(/no backtest with id 'missing'/);
    service.close();
  });
});
