/**
 * A backtest on history downloaded through the real ccxt from a loopback Binance: paged,
 * chunked with progress, kept in the candle store so the next backtest downloads nothing,
 * gaps reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestProgress } from '../../src/core/api/backtest.ts';
import { loadBacktestData } from '../../src/core/backtest/data.ts';
import { runBacktest } from '../../src/core/backtest/runner.ts';
import { CandleStore } from '../../src/core/market/candle-store.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';

const MIN = 60_000;
const clock = createClock({ start: Date.UTC(2026, 0, 20), speed: 1 });
const FROM = Date.UTC(2026, 0, 10);
const TO = FROM + 12_000 * MIN;
let fake: FakeBinance;
let dir: string;

beforeAll(async () => {
  fake = await FakeBinance.start({ clock });
  dir = mkdtempSync(join(tmpdir(), 'botdesk-backtest-ccxt-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const ccxt = {
  clock,
  configure: (exchange: unknown) => fake.configure(exchange as never),
  retry: { attempts: 3, baseMs: 10, maxMs: 50 },
};
const klines = () => fake.requests.filter((r) => r.startsWith('/api/v3/klines')).length;

describe('backtest on exchange history', () => {
  it('downloads in chunks with progress, stores them, and reports the gaps', async () => {
    fake.omitCandle('BTC/USDT', FROM + 100 * MIN);
    fake.omitCandle('BTC/USDT', FROM + 101 * MIN);
    const progress: BacktestProgress[] = [];
    const before = klines();
    const result = await runBacktest(
      {
        data: { kind: 'exchange', exchange: 'binance', symbols: ['BTC/USDT'], timeframe: '1m' },
        from: FROM,
        to: TO,
        strategy: { id: 'sma-crossover', params: { fast: 5, slow: 20 } },
        save: false,
      },
      { dataDir: dir, ccxt, onProgress: (p) => progress.push(p) },
    );
    expect(result.candles).toBe(12_000);
    expect(result.from).toBe(FROM);
    expect(result.to).toBe(TO - MIN);
    expect(result.trades.length).toBeGreaterThan(20);
    // Pages of at most 1000 candles; the warm-up before FROM is downloaded too.
    expect(klines() - before).toBeGreaterThanOrEqual(13);
    const loading = progress.filter((p) => p.phase === 'loading' && p.total > 1);
    expect(loading.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(result.warnings.join('\n')).toMatch(
      /binance BTC\/USDT: 1 gap\(s\), 2 missing candle\(s\) filled flat with zero volume/,
    );
    const store = CandleStore.inDataDir(dir);
    try {
      expect(store.list()).toEqual([
        expect.objectContaining({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }),
      ]);
      expect(store.list()[0]!.count).toBeGreaterThanOrEqual(12_000);
    } finally {
      store.close();
    }
  });

  it('the next backtest of the period reads the candle store and downloads nothing', async () => {
    const before = klines();
    const data = await loadBacktestData({
      data: { kind: 'exchange', exchange: 'binance', symbols: ['BTC/USDT'], timeframe: '1m' },
      from: FROM,
      to: TO,
      gaps: 'fill',
      warmup: 21,
      dataDir: dir,
      ccxt,
    });
    expect(klines()).toBe(before);
    expect(data.series[0]!.columns.ts.length).toBe(12_000 + 21);
    // And --store works offline on what was downloaded.
    const stored = await loadBacktestData({
      data: { kind: 'store', exchange: 'binance', symbols: ['BTC/USDT'], timeframe: '1m' },
      from: FROM,
      to: TO,
      gaps: 'fill',
      warmup: 21,
      dataDir: dir,
    });
    expect(stored.series[0]!.columns.close).toEqual(data.series[0]!.columns.close);
  });

  it('an exchange download needs a start date; an unknown symbol is a clear error', async () => {
    const request = {
      data: {
        kind: 'exchange' as const,
        exchange: 'binance',
        symbols: ['BTC/USDT'],
        timeframe: '1m' as const,
      },
      strategy: { id: 'sma-crossover', params: {} },
      save: false,
    };
    await expect(runBacktest(request, { dataDir: dir, ccxt })).rejects.toThrowError(
      /downloading from an exchange needs a start date/,
    );
    await expect(
      runBacktest(
        { ...request, data: { ...request.data, symbols: ['NOPE/USDT'] }, from: FROM, to: TO },
        { dataDir: dir, ccxt },
      ),
    ).rejects.toThrowError(/NOPE\/USDT/);
  });
});
