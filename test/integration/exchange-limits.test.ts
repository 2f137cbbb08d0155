/**
 * Exchange limits in paper trading and backtests: a loopback Binance (the real ccxt) serves
 * markets with their own amount steps, price ticks and minimum order values. A paper bot on
 * its candles loads the markets before its account is built and trades on them: every
 * amount is on its market's step, and an entry under a market's minimum cost is refused
 * with the rule journaled. A backtest downloading the same candles fetches the markets once
 * and does the same; and the paper run and the backtest of its candles trade alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotConfigInput, Fill } from '../../src/core/api/schemas.ts';
import { runBacktest } from '../../src/core/backtest/runner.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';
import { paperTrades } from '../support/replay-file.ts';
import { until } from '../support/until.ts';

const MIN = 60_000;
const clock = createClock({ start: Date.UTC(2026, 0, 15, 12, 0, 10), speed: 60 });
/** Steps as the exchange reports them (and the minimum value of an order). */
const STEP: Record<string, number> = { 'BTC/USDT': 0.00001, 'ETH/USDT': 0.001, 'SOL/USDT': 0.1 };
const STAKE = 20;
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const CONFIG: BotConfigInput = {
  mode: 'paper',
  market: { source: 'ccxt', exchange: 'binance', speed: 60, seed: 1 },
  symbols: SYMBOLS,
  timeframe: '1m',
  strategy: { id: 'sma-crossover', params: { fast: 2, slow: 5 } },
  warmupCandles: 30,
  startingBalance: 10_000,
  // 20 USDT per entry: above BTC's and SOL's 5 USDT minimum, under ETH's 50.
  risk: {
    sizing: 'fixed_quote',
    stakeAmount: STAKE,
    stakeFraction: 0.1,
    maxOpenPositions: 3,
    maxDailyLoss: 0.5,
  },
};

let fake: FakeBinance;
let host: CoreHost;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'botdesk-limits-'));
  dirs.push(d);
  return d;
};
const ccxt = {
  clock,
  configure: (exchange: unknown) => fake.configure(exchange as never),
  retry: { attempts: 5, baseMs: 10, maxMs: 80 },
  timeoutMs: 1500,
};

beforeAll(async () => {
  fake = await FakeBinance.start({
    clock,
    markets: [
      { base: 'BTC', quote: 'USDT', price: 60_000 },
      {
        base: 'ETH',
        quote: 'USDT',
        price: 3_000,
        stepSize: '0.00100000',
        minQty: '0.00100000',
        minNotional: '50.00000000',
      },
      {
        base: 'SOL',
        quote: 'USDT',
        price: 150,
        stepSize: '0.10000000',
        minQty: '0.10000000',
        tickSize: '0.01000000',
      },
    ],
  });
  host = await createCoreHost({
    dataDir: tempDir(),
    settings: createConfSettingsStore(tempDir()),
    resume: false,
    marketOptions: { clock, ccxt },
  });
});
afterAll(async () => {
  await host?.close({ timeoutMs: 5000 });
  await fake?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Whole steps: amount ÷ step is an integer (to the last bits of a double). */
function onStep(amount: number, step: number): boolean {
  const n = amount / step;
  return Math.abs(n - Math.round(n)) < 1e-6 && Math.round(n) > 0;
}

describe('exchange limits in paper trading and backtests', () => {
  it('paper and backtest on the exchange: amounts on each market step, entries under the minimum cost refused, the same trades', async () => {
    const fills: Fill[] = [];
    const off = host.bus.on('fill', (f) => fills.push(f));
    const journal = () => host.manager.journal('paper');
    const refusedEth = () =>
      journal()
        .events(10_000)
        .filter(
          (e) =>
            e.kind === 'risk-rejected' && (e.payload as { symbol?: string }).symbol === 'ETH/USDT',
        );
    await host.manager.start(CONFIG);
    await until(
      'round trips on BTC and SOL and a refused ETH entry',
      () =>
        ['BTC/USDT', 'SOL/USDT'].every(
          (s) => fills.filter((f) => f.symbol === s && f.side === 'sell').length >= 1,
        ) &&
        fills.length >= 6 &&
        refusedEth().length >= 1,
      100_000,
    );
    const stopped = await host.manager.stop({ reason: 'test done', timeoutMs: 5000 });
    off();
    expect(stopped.state).toBe('stopped');

    // ---- paper: on the exchange's steps; ETH refused with the rule that refused it -------
    const paperFills = journal().fills(10_000).reverse();
    const startTs = journal()
      .events(10_000)
      .find((e) => e.kind === 'start')!.ts;
    expect(paperFills.length).toBeGreaterThanOrEqual(4);
    for (const f of paperFills) {
      expect(onStep(f.amount, STEP[f.symbol]!), `${f.symbol} ${f.amount}`).toBe(true);
      expect(onStep(f.price, 0.01), `${f.symbol} price ${f.price}`).toBe(true);
    }
    const sol = paperFills.find((f) => f.symbol === 'SOL/USDT' && f.side === 'buy')!;
    // The default 1e-8 step would have bought 20 / price, not whole tenths.
    expect(sol.amount).toBeLessThan(STAKE / sol.price);
    expect(paperFills.some((f) => f.symbol === 'ETH/USDT')).toBe(false);
    const refusal = refusedEth()[0]!.payload as { rule: string; reason: string };
    expect(refusal.rule).toBe('min_cost');
    expect(refusal.reason).toMatch(/min_cost: order value .* is below the minimum 50/);

    // ---- backtest of the same candles, downloaded with the exchange's markets -------------
    // The candle times the paper bot ticked on (an equity point each, at the candle's close).
    // Its first tick also took the candles that closed during the warm-up, trading only the
    // newest (a real-time feed merges late candle times): the backtest starts at that one.
    // A later merge (the machine stalled for a whole candle) ends the compared window.
    const ticks = journal()
      .equity(100_000)
      .map((p) => p.ts)
      .filter((ts) => ts > startTs);
    const from = ticks[0]! - MIN;
    let end = ticks.at(-1)!;
    for (let i = 1; i < ticks.length; i++) {
      if (ticks[i]! - ticks[i - 1]! > MIN) {
        end = ticks[i - 1]!;
        break;
      }
    }
    const backtest = await runBacktest(
      {
        data: {
          kind: 'exchange',
          exchange: 'binance',
          symbols: SYMBOLS,
          timeframe: '1m',
        },
        from,
        to: ticks.at(-1)!,
        strategy: CONFIG.strategy!,
        warmupCandles: 30,
        startingBalance: 10_000,
        risk: CONFIG.risk!,
        save: false,
      },
      { dataDir: tempDir(), ccxt },
    );
    for (const t of backtest.trades) {
      expect(onStep(t.amount, STEP[t.symbol]!), `${t.symbol} ${t.amount}`).toBe(true);
    }
    expect(backtest.trades.some((t) => t.symbol === 'ETH/USDT')).toBe(false);
    // The backtest tallies refusals by reason, each group shown by its first refusal.
    expect(backtest.warnings.join('\n')).toMatch(
      /entry signal\(s\) not taken: .*min_cost: order value [\d.]+ is below the minimum 50/,
    );

    // ---- parity: the same trades in the window, entry for entry, amount for amount ------
    // A fill at a candle's open is stepped by the tick whose equity point is that candle's close.
    const inWindow = (ts: number | null) => ts !== null && ts >= from && ts + MIN <= end;
    const byEntry = <T extends { symbol: string; entryTs: number }>(list: T[]): T[] =>
      list.sort((a, b) => a.entryTs - b.entryTs || a.symbol.localeCompare(b.symbol));
    const paper = byEntry(paperTrades(paperFills).filter((t) => inWindow(t.entryTs)));
    const bt = byEntry(backtest.trades.filter((t) => inWindow(t.entryTs)));
    expect(paper.length).toBeGreaterThanOrEqual(2);
    expect(bt.map((t) => [t.symbol, t.entryTs, t.amount])).toEqual(
      paper.map((t) => [t.symbol, t.entryTs, t.amount]),
    );
    bt.forEach((b, i) => {
      const p = paper[i]!;
      expect(Math.abs(b.entryPrice - p.entryPrice)).toBeLessThanOrEqual(p.entryPrice * 1e-12);
      if (inWindow(p.exitTs)) expect(b.exitTs).toBe(p.exitTs);
    });
  }, 180_000);
});
