/**
 * Protective exits live on an exchange feed: a paper bot on the real ccxt source against a
 * loopback Binance holds a position with a stop-loss; the exchange pushes a forming
 * (not closed) candle below the stop, and the bot exits on that price update, before the
 * candle closes, with one order whose reason names the rule. Market time runs 10× faster:
 * a 1m candle lasts 6 s.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Candle, Order } from '../../src/core/api/schemas.ts';
import type { CoreHost } from '../../src/core/host/core-host.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';
import { startCcxtHost, type CcxtHost } from '../support/ccxt-host.ts';
import { until } from '../support/until.ts';

const MIN = 60_000;
const SYMBOL = 'BTC/USDT';
const clock = createClock({ start: Date.UTC(2026, 0, 15, 12, 0, 10), speed: 10 });
let fake: FakeBinance;
let host: CoreHost;
let started: CcxtHost;

beforeAll(async () => {
  // Its own market list: the test moves the price.
  fake = await FakeBinance.start({
    clock,
    markets: [{ base: 'BTC', quote: 'USDT', price: 60_000 }],
  });
  started = await startCcxtHost(clock, fake, 'ccxt-live-stops');
  host = started.host;
});
afterAll(async () => {
  await started?.close();
  await fake?.close();
});

it('exits on a forming candle below the stop, before that candle closes, once', async () => {
  const candles: Candle[] = [];
  const orders: Order[] = [];
  const offCandle = host.bus.on('market:candle', (e) => candles.push(e.candle));
  const offOrder = host.bus.on('order', (o) => orders.push(o));
  let ticks = 0;
  const offTick = host.bus.on('bot:tick', () => (ticks += 1));
  try {
    await host.manager.start({
      mode: 'paper',
      market: { source: 'ccxt', exchange: 'binance', speed: 10, seed: 42 },
      symbols: [SYMBOL],
      timeframe: '1m',
      strategy: { id: 'sma-crossover', params: { fast: 20, slow: 50 } },
      warmupCandles: 60,
      risk: { stakeFraction: 0.2, maxOpenPositions: 1, stopLoss: 0.02 },
    });
    await until('a first tick', () => ticks >= 1);
    await host.manager.forceEntry(SYMBOL);
    const buy = await until('the forced entry filled', () =>
      orders.find((o) => o.side === 'buy' && o.status === 'filled'),
    );

    // Early in a candle's life: the price falls 10 % and the exchange says so at once.
    await until('a young candle', () => clock.now() % MIN < MIN / 3);
    const formingTs = Math.floor(clock.now() / MIN) * MIN;
    fake.markets[0]!.price *= 0.9;
    fake.sendFormingNow();

    const exit = await until('the stop-loss exit', () => orders.find((o) => o.side === 'sell'));
    // The candle it fired on had not closed: no candle of that time reached the bot yet.
    expect(candles.filter((c) => c.ts >= formingTs)).toEqual([]);
    expect(exit.reason).toMatch(/^stop_loss at /);
    expect(exit.status).toBe('filled');
    expect(exit.price!).toBeLessThan(buy.price! * 0.98);

    // The candle closes (below the stop too): no second exit for the same position.
    await until('the forming candle closed and traded', () =>
      candles.some((c) => c.ts >= formingTs + MIN),
    );
    expect(orders.filter((o) => o.side === 'sell')).toHaveLength(1);
  } finally {
    offCandle();
    offOrder();
    offTick();
    await host.manager.stop({ reason: 'test done', timeoutMs: 5000 });
  }
}, 90_000);
