/**
 * Parity of the risk rules: a paper bot over a replay file and a backtest of it, with
 * stop-loss, take-profit, a trailing stop with activation, a ROI table, a maximum holding
 * time and a cooldown, close the same positions by the same rules at the same prices —
 * the rules are the same functions, stepped by the same trading core.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { END_OF_DATA } from '../../src/core/backtest/engine.ts';
import { runBacktest } from '../../src/core/backtest/runner.ts';
import { Journal, journalFile } from '../../src/core/journal/journal.ts';
import {
  paperRunOverFile,
  paperTrades,
  simCandles,
  writeReplayFile,
} from '../support/replay-file.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'botdesk-risk-parity-'));
  dirs.push(d);
  return d;
}

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
// seed 11, 240 candles: 18 stop_loss, 4 trailing_stop, 2 roi, 5 strategy exits, 4 entries in cooldown
const RISK = {
  stopLoss: 0.0015,
  takeProfit: 0.005,
  trailingStop: 0.002,
  trailingActivation: 0.0015,
  roi: [
    { afterMinutes: 0, minReturn: 0.02 },
    { afterMinutes: 12, minReturn: 0.0008 },
  ],
  maxHoldMinutes: 18,
  cooldownMinutes: 5,
};

describe('risk rules: paper trading and backtesting agree', () => {
  it('the same exits by the same rules, price for price', async () => {
    const dir = tempDir();
    const file = join(dir, 'sim.json');
    writeReplayFile(file, await simCandles({ symbols: SYMBOLS, candles: 240, seed: 11 }));
    const fees = { fee: 0.001, slippageBps: 5 };
    const backtest = await runBacktest(
      {
        data: { kind: 'file', path: file },
        symbols: SYMBOLS,
        strategy: { id: 'sma-crossover', params: { fast: 3, slow: 8 } },
        feeRate: fees.fee,
        slippageBps: fees.slippageBps,
        startingBalance: 10_000,
        risk: { stakeFraction: 0.1, maxOpenPositions: 5, maxDailyLoss: 0.05, ...RISK },
        gaps: 'keep',
        save: false,
      },
      { dataDir: tempDir() },
    );
    const rules = backtest.trades.map((t) => t.exitReason.split(' ')[0]!);
    // the series is long enough for several rules to act
    expect(
      new Set(rules.filter((r) => r !== 'strategy' && r !== END_OF_DATA)).size,
    ).toBeGreaterThanOrEqual(2);

    for (const speed of [1000, 1_000_000]) {
      const dataDir = tempDir();
      const run = await paperRunOverFile({
        dataDir,
        file,
        symbols: SYMBOLS,
        strategy: 'sma-crossover:fast=3,slow=8',
        speed,
        gaps: 'keep',
        risk: RISK,
        ...fees,
      });
      expect(run.summary.state).toBe('stopped');
      const paper = paperTrades(run.fills);
      const closed = backtest.trades.filter((t) => t.exitReason !== END_OF_DATA);
      const key = (t: { symbol: string; entryTs: number; exitTs: number | null }) =>
        `${t.symbol} ${t.entryTs} → ${t.exitTs}`;
      expect(
        paper
          .filter((t) => t.exitTs !== null)
          .map(key)
          .sort(),
      ).toEqual(closed.map(key).sort());
      for (const bt of closed) {
        const p = paper.find((x) => x.symbol === bt.symbol && x.entryTs === bt.entryTs)!;
        expect(Math.abs(p.exitPrice! - bt.exitPrice)).toBeLessThanOrEqual(bt.exitPrice * 1e-12);
      }
      // the paper run's sell orders name the same rules
      const j = new Journal(journalFile(dataDir, 'paper'));
      try {
        const sells = j
          .orders(10_000)
          .filter((o) => o.side === 'sell' && o.status === 'filled')
          .map((o) => `${o.symbol} ${o.ts} ${o.reason.split(' ')[0]}`)
          .sort();
        const want = closed
          .map((t) => `${t.symbol} ${t.exitTs} ${t.exitReason.split(' ')[0]}`)
          .sort();
        expect(sells).toEqual(want);
      } finally {
        j.close();
      }
    }
  }, 180_000);
});
