/**
 * Parity: a paper bot over a replay file (the simulated market's output saved to a file,
 * with gaps and flat stretches) and a backtest of the same file, strategy, fees and risk
 * give the same trades, price for price — at 1000× and at the fastest replay speed, three
 * runs. The paper bot runs the real `botdesk run` path (compute workers, update()); the
 * backtest runs its columnar signals through the same trading core.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { BacktestTrade } from '../../src/core/api/backtest.ts';
import { END_OF_DATA } from '../../src/core/backtest/engine.ts';
import { runBacktest } from '../../src/core/backtest/runner.ts';
import {
  paperRunOverFile,
  paperTrades,
  simCandles,
  tempDirs,
  writeReplayFile,
  type PaperTrade,
} from '../support/replay-file.ts';

const dirs = tempDirs('botdesk-parity-');
afterAll(() => dirs.removeAll());
const tempDir = () => dirs.make();

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const STRATEGY = 'sma-crossover:fast=3,slow=8';

/** Equal to the last bits a division can leave: a backtest trade's price is cost ÷ amount. */
function samePrice(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.abs(b) * 1e-12;
}

const byEntry = <T extends { entryTs: number; symbol: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => a.entryTs - b.entryTs || a.symbol.localeCompare(b.symbol));

function compare(paperRun: PaperTrade[], backtestRun: BacktestTrade[]): void {
  // The backtest lists trades as they close; the paper run's fills list them as they open.
  const paper = byEntry(paperRun);
  const backtest = byEntry(backtestRun);
  expect(paper.length).toBe(backtest.length);
  backtest.forEach((bt, i) => {
    const p = paper[i]!;
    const at = `trade ${i} (${bt.symbol} ${new Date(bt.entryTs).toISOString()})`;
    expect([p.symbol, p.entryTs, p.amount], at).toEqual([bt.symbol, bt.entryTs, bt.amount]);
    expect(
      samePrice(p.entryPrice, bt.entryPrice),
      `${at}: entry ${p.entryPrice} vs ${bt.entryPrice}`,
    ).toBe(true);
    if (bt.exitReason === END_OF_DATA) {
      // Still open when the paper run's feed ended; the backtest sells it at the last close.
      expect(p.exitTs, at).toBeNull();
      return;
    }
    expect(p.exitTs, at).toBe(bt.exitTs);
    expect(
      samePrice(p.exitPrice!, bt.exitPrice),
      `${at}: exit ${p.exitPrice} vs ${bt.exitPrice}`,
    ).toBe(true);
    expect(p.fees).toBeCloseTo(bt.fees, 9);
  });
}

describe('paper trading and backtesting agree', () => {
  it.each([
    ['keep', undefined],
    // One position at a time, 30 % stakes: entries refused and cash shared across the pairs.
    ['fill', { stakeFraction: 0.3, maxOpenPositions: 1, maxDailyLoss: 0.05 }],
  ] as const)(
    'same file, strategy and fees: the same trades, price for price (gaps: %s, risk %o)',
    async (gaps, risk) => {
      const dir = tempDir();
      const file = join(dir, 'sim.json');
      writeReplayFile(
        file,
        await simCandles({
          symbols: SYMBOLS,
          candles: 120,
          gaps: { 'BTC/USDT': [40, 41, 77], 'SOL/USDT': [15] },
          flat: { 'ETH/USDT': [[30, 10]], 'SOL/USDT': [[60, 6]] },
        }),
      );
      const fees = { fee: 0.002, slippageBps: 7 };
      const backtest = await runBacktest(
        {
          data: { kind: 'file', path: file },
          symbols: SYMBOLS,
          strategy: { id: 'sma-crossover', params: { fast: 3, slow: 8 } },
          feeRate: fees.fee,
          slippageBps: fees.slippageBps,
          startingBalance: 10_000,
          gaps,
          ...(risk ? { risk } : {}),
          save: false,
        },
        { dataDir: tempDir() },
      );
      expect(backtest.trades.length).toBeGreaterThan(5);
      expect(backtest.trades.some((t) => t.exitReason !== END_OF_DATA)).toBe(true);
      if (risk) expect(backtest.warnings.join('\n')).toMatch(/not taken: max open positions/);
      for (const speed of [1000, 1_000_000, 1_000_000, 1_000_000]) {
        const run = await paperRunOverFile({
          dataDir: tempDir(),
          file,
          symbols: SYMBOLS,
          strategy: STRATEGY,
          speed,
          gaps,
          ...(risk ? { risk } : {}),
          ...fees,
        });
        expect(run.summary.state).toBe('stopped');
        compare(paperTrades(run.fills), backtest.trades);
      }
    },
    180_000,
  );

  it('a paper bot that warmed up and a backtest from the same candle, with the same warm-up: EMA state and trades alike', async () => {
    // An EMA remembers every candle it saw: only the same warm-up gives the same averages.
    const dir = tempDir();
    const file = join(dir, 'sim.json');
    const candles = await simCandles({ symbols: SYMBOLS, candles: 600 });
    writeReplayFile(file, candles);
    const warmupCandles = 150;
    const from = candles.get('BTC/USDT')![warmupCandles]!.ts;
    const backtest = async (warmup: number) =>
      runBacktest(
        {
          data: { kind: 'file', path: file },
          symbols: SYMBOLS,
          from,
          strategy: { id: 'ema-crossover', params: { fast: 12, slow: 100 } },
          warmupCandles: warmup,
          save: false,
        },
        { dataDir: tempDir() },
      );
    const run = await paperRunOverFile({
      dataDir: tempDir(),
      file,
      symbols: SYMBOLS,
      strategy: 'ema-crossover:fast=12,slow=100',
      speed: 1_000_000,
      warmupCandles,
    });
    expect(run.summary.state).toBe('stopped');
    const same = await backtest(warmupCandles);
    expect(same.trades.length).toBeGreaterThan(3);
    compare(paperTrades(run.fills), same.trades);
    // With only the strategy's own warm-up the averages start elsewhere and trades differ.
    const short = await backtest(0);
    expect(short.trades.map((t) => [t.symbol, t.entryTs])).not.toEqual(
      same.trades.map((t) => [t.symbol, t.entryTs]),
    );
  }, 120_000);
});
