/**
 * The whole engine on "exchange" data: the core host (as the CLI and the app build it)
 * runs a paper bot with `market: { source: 'ccxt', exchange: 'binance' }`, the real ccxt
 * pointed at a loopback Binance through the host's market options, and real compute
 * workers. Market time runs 600× faster: a 1m candle lasts 100 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotStatus, Candle, Fill } from '../../src/core/api/schemas.ts';
import type { CoreHost } from '../../src/core/host/core-host.ts';
import { CandleStore } from '../../src/core/market/candle-store.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';
import { startCcxtHost, type CcxtHost } from '../support/ccxt-host.ts';

const MIN = 60_000;
const clock = createClock({ start: Date.UTC(2026, 0, 15, 12, 0, 10), speed: 600 });
let fake: FakeBinance;
let host: CoreHost;
let dataDir: string;
let started: CcxtHost;

async function until<T>(what: string, fn: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  fake = await FakeBinance.start({ clock });
  started = await startCcxtHost(clock, fake, 'ccxt-engine');
  ({ host, dataDir } = started);
});
afterAll(async () => {
  await started?.close();
  await fake?.close();
});

describe('engine on a ccxt exchange', () => {
  it('paper-trades the exchange candles in order, once each, through a dropped websocket', async () => {
    const symbols = ['BTC/USDT', 'ETH/USDT'];
    const candles = new Map<string, Candle[]>(symbols.map((s) => [s, []]));
    const fills: Fill[] = [];
    const offCandle = host.bus.on('market:candle', (e) => candles.get(e.symbol)?.push(e.candle));
    const offFill = host.bus.on('fill', (f) => fills.push(f));
    const started = await host.manager.start({
      mode: 'paper',
      market: { source: 'ccxt', exchange: 'binance', speed: 600, seed: 42 },
      symbols,
      timeframe: '1m',
      strategy: { id: 'sma-crossover', params: { fast: 3, slow: 8 } },
      warmupCandles: 30,
      risk: { stakeFraction: 0.2, maxOpenPositions: 2, maxDailyLoss: 0.5 },
    });
    expect(started).toMatchObject({ state: 'running', mode: 'paper', dataLabel: 'EXCHANGE' });
    expect(fake.requests.some((r) => r.startsWith('/api/v3/exchangeInfo'))).toBe(true);

    const connections = fake.wsConnections;
    await until('a few live candles', () => candles.get('ETH/USDT')!.length >= 5);
    fake.dropWebsockets(3 * MIN);
    const dropTs = candles.get('ETH/USDT')!.at(-1)!.ts;
    await until(
      'candles after the reconnect',
      () =>
        fake.wsConnections > connections &&
        symbols.every((s) => candles.get(s)!.at(-1)!.ts >= dropTs + 8 * MIN),
    );
    await until('fills', () => fills.length >= 2);
    // The feed reports the drop it recovered from.
    const health = host.manager.runningMarket()!.source.health();
    expect(health).toMatchObject({ connected: true, stale: false });
    expect(health.retries).toBeGreaterThan(0);
    expect(health.lastUpdateAt).toBeGreaterThan(dropTs);
    // …and the bot status carries it for the dashboard.
    const feed = host.manager.status().feed;
    expect(feed).toMatchObject({ connected: true, stale: false });
    expect(feed!.retries).toBeGreaterThan(0);
    // An exchange that goes silent shows up in the bot status within two candles.
    fake.dropWebsockets(60 * MIN);
    const stale = await until('a stale-feed warning naming both symbols', () =>
      host.manager
        .status()
        .warnings.find((w) => /no update from binance for BTC\/USDT, ETH\/USDT since/.test(w)),
    );
    expect(stale).toMatch(/\(over 2 candles\)$/);
    expect(host.manager.status().feed?.stale).toBe(true);
    const stopped = await host.manager.stop({ reason: 'test done', timeoutMs: 5000 });
    offCandle();
    offFill();

    expect(stopped).toMatchObject({ state: 'stopped', error: null });
    expect(stopped.ticks).toBeGreaterThan(0);
    for (const symbol of symbols) {
      const got = candles.get(symbol)!;
      // Every candle exactly as the exchange has it, one per minute, none twice, none missing.
      got.forEach((c, i) => {
        if (i > 0) expect(c.ts).toBe(got[i - 1]!.ts + MIN);
        expect(c).toEqual(fake.candle(symbol, c.ts, MIN));
      });
    }
    // Paper fills happen at the exchange's prices: near the close of the candle just traded.
    for (const f of fills) {
      const ref = fake.candle(f.symbol, Math.floor(f.ts / MIN) * MIN - MIN, MIN).close;
      expect(Math.abs(f.price / ref - 1)).toBeLessThan(0.02);
    }
    // The candles the bot saw were kept for the next start and for backtests.
    const store = CandleStore.inDataDir(dataDir);
    try {
      const kept = store.list().filter((s) => s.exchange === 'binance');
      expect(kept.map((s) => s.symbol).sort()).toEqual(symbols);
    } finally {
      store.close();
    }
  });

  it('refuses an unknown market at start with the exchange’s suggestion', async () => {
    await expect(
      host.manager.start({
        mode: 'paper',
        market: { source: 'ccxt', exchange: 'binance', speed: 600, seed: 42 },
        symbols: ['BTC/USDX'],
        timeframe: '1m',
      }),
    ).rejects.toThrow('BTC/USDX is not a market on binance; did you mean BTC/USDT?');
    const status: BotStatus = host.manager.status();
    expect(status.state).toBe('error');
  });
});
