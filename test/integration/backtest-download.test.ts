/**
 * Backtest data downloaded from an exchange through real ccxt (a loopback Binance): paginated
 * in chunks with progress, kept in the candle store, and a second load downloads nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBacktestData } from '../../src/core/backtest/data.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';

const MIN = 60_000;
const clock = createClock({ start: Date.UTC(2026, 0, 15, 12, 0, 10), speed: 1 });
let fake: FakeBinance;
const dir = mkdtempSync(join(tmpdir(), 'botdesk-bt-download-'));

beforeAll(async () => {
  fake = await FakeBinance.start({ clock });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const klines = () => fake.requests.filter((r) => r.startsWith('/api/v3/klines')).length;

describe('backtest data from an exchange', () => {
  it('downloads a period in chunks with progress, stores it, and reuses it', async () => {
    const to = Date.UTC(2026, 0, 15, 0, 0);
    const from = to - 12_000 * MIN;
    const load = (onProgress?: (done: number, total: number) => void) =>
      loadBacktestData({
        data: { kind: 'exchange', exchange: 'binance', symbols: ['BTC/USDT'], timeframe: '1m' },
        from,
        to,
        gaps: 'keep',
        warmup: 30,
        dataDir: dir,
        ccxt: {
          clock,
          configure: (exchange) => fake.configure(exchange as never),
          retry: { attempts: 3, baseMs: 10, maxMs: 50 },
          timeoutMs: 5000,
        },
        ...(onProgress ? { onProgress } : {}),
      });
    const progress: Array<[number, number]> = [];
    const first = await load((done, total) => progress.push([done, total]));
    const ts = first.series[0]!.columns.ts;
    expect(ts[0]).toBe(from - 30 * MIN);
    expect(ts.at(-1)).toBe(to - MIN);
    expect(ts.length).toBe(12_030);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(MIN);
    expect(first.tradeFrom).toBe(from);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
    const requests = klines();
    const second = await load();
    expect(klines()).toBe(requests);
    expect(Array.from(second.series[0]!.columns.close)).toEqual(
      Array.from(first.series[0]!.columns.close),
    );
  }, 120_000);
});
