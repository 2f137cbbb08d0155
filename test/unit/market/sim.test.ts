import { describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { createClock } from '../../../src/core/market/clock.ts';
import type { Clock } from '../../../src/core/market/clock.ts';
import { SimMarketSource } from '../../../src/core/market/sim-source.ts';
import type { CandleEvent } from '../../../src/core/market/types.ts';
import { correlation, excessKurtosis, logReturns } from '../../support/candle-stats.ts';

// 12:00:30 UTC: far from a minute boundary, so sources built a few ms apart agree on "now".
const START = Date.UTC(2026, 0, 15, 12, 0, 30);

function sim(seed: number, speed = 1): SimMarketSource {
  return new SimMarketSource({ seed, clock: createClock({ start: START, speed }) });
}

async function take(stream: AsyncIterable<CandleEvent>, n: number): Promise<CandleEvent[]> {
  const out: CandleEvent[] = [];
  for await (const event of stream) {
    out.push(event);
    if (out.length === n) break;
  }
  return out;
}

describe('simulated market', () => {
  it('same seed gives the same candles, another seed different ones', async () => {
    const a = await sim(7).history('BTC/USDT', '1m', 3000);
    const b = await sim(7).history('BTC/USDT', '1m', 3000);
    const c = await sim(8).history('BTC/USDT', '1m', 3000);
    expect(a).toHaveLength(3000);
    expect(b).toEqual(a);
    expect(c.map((x) => x.close)).not.toEqual(a.map((x) => x.close));
  });

  it('history is gap-free, in order, ends before the forming candle and keeps OHLC invariants', async () => {
    const candles = await sim(1).history('ETH/USDT', '5m', 5000);
    const formingOpen = Math.floor(START / 300_000) * 300_000;
    expect(candles.at(-1)!.ts).toBe(formingOpen - 300_000);
    candles.forEach((c, i) => {
      if (i > 0) expect(c.ts - candles[i - 1]!.ts).toBe(300_000);
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeGreaterThan(0);
      expect(c.volume).toBeGreaterThanOrEqual(0);
    });
  });

  it('range() serves a past period from the same series as history()', async () => {
    const source = sim(11);
    const history = await source.history('BTC/USDT', '15m', 400);
    const from = history[100]!.ts;
    const to = history[300]!.ts;
    expect(await source.range('BTC/USDT', '15m', from, to)).toEqual(history.slice(100, 300));
    // Nothing from the future, and overlong periods are refused.
    const future = await source.range('BTC/USDT', '15m', to, START + 86_400_000);
    expect(future.at(-1)!.ts).toBe(history.at(-1)!.ts);
    await expect(source.range('BTC/USDT', '1m', 0, START)).rejects.toThrow(
      /ask for at most 1000000/,
    );
  });

  it('returns have fat tails, volatility clustering and cross-symbol correlation', async () => {
    const source = sim(42);
    const btc = logReturns(await source.history('BTC/USDT', '1m', 20_000));
    const eth = logReturns(await source.history('ETH/USDT', '1m', 20_000));
    expect(excessKurtosis(btc)).toBeGreaterThan(0.5);
    const abs = btc.map(Math.abs);
    const lag1 = correlation(abs.slice(1), abs.slice(0, -1));
    const lag10 = correlation(abs.slice(10), abs.slice(0, -10));
    expect(lag1).toBeGreaterThan(0.05);
    expect(lag10).toBeGreaterThan(0.02);
    expect(correlation(btc, eth)).toBeGreaterThan(0.3);
  });

  it('accepts any BASE/QUOTE with a seed-derived start price and rejects malformed symbols', async () => {
    const foo = (await sim(3).history('FOO/USDT', '1h', 10)).at(-1)!.close;
    const again = (await sim(3).history('FOO/USDT', '1h', 10)).at(-1)!.close;
    const other = (await sim(4).history('FOO/USDT', '1h', 10)).at(-1)!.close;
    expect(foo).toBeGreaterThan(0);
    expect(again).toBe(foo);
    expect(other).not.toBe(foo);
    await expect(sim(3).validate(['btcusdt'], '1m')).rejects.toThrow(/BASE\/QUOTE/);
    await expect(sim(3).validate(['BTC/USDT'], '7m' as never)).rejects.toBeInstanceOf(BotDeskError);
  });

  it('live candles continue the history series, all symbols of one close together', async () => {
    const source = sim(5, 120_000); // a 1m candle every 0.5 ms of real time
    const history = await source.history('BTC/USDT', '1m', 50);
    const last = history.at(-1)!;
    const controller = new AbortController();
    const events = await take(
      source.subscribe(['BTC/USDT', 'SOL/USDT', 'NEW/BTC'], '1m', {
        signal: controller.signal,
        since: last.ts + 60_000,
      }),
      30,
    );
    controller.abort();
    expect(events.every((e) => e.closed)).toBe(true);
    for (let i = 0; i < events.length; i += 3) {
      const burst = events.slice(i, i + 3);
      expect(burst.map((e) => e.symbol)).toEqual(['BTC/USDT', 'SOL/USDT', 'NEW/BTC']);
      expect(new Set(burst.map((e) => e.candle.ts)).size).toBe(1);
    }
    const btc = events.filter((e) => e.symbol === 'BTC/USDT').map((e) => e.candle);
    expect(btc[0]!.ts).toBe(last.ts + 60_000);
    // The first trade of the next candle is near the last one, though rarely at the same price.
    expect(Math.abs(btc[0]!.open / last.close - 1)).toBeLessThan(0.01);
    btc.slice(1).forEach((c, i) => expect(c.ts).toBe(btc[i]!.ts + 60_000));
    // The same candles come back as history later on.
    const later = await source.history('BTC/USDT', '1m', 200);
    const byTs = new Map(later.map((c) => [c.ts, c]));
    for (const c of btc) expect(byTs.get(c.ts)).toEqual(c);
    expect(source.latestPrice('BTC/USDT')).toBeGreaterThan(0);
    expect(source.latestPrice('XYZ/USDT')).toBeUndefined();
  });

  it('delivers forming candles as separate events when asked', async () => {
    const source = sim(9, 20); // a 1m candle lasts 3 s of real time
    const controller = new AbortController();
    const events = await take(
      source.subscribe(['BTC/USDT'], '1m', { signal: controller.signal, partial: true }),
      1,
    );
    controller.abort();
    expect(events[0]!.closed).toBe(false);
    const c = events[0]!.candle;
    expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
    expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
  });

  it('ends the stream when the signal aborts', async () => {
    const source = sim(9, 1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const events = await take(
      source.subscribe(['BTC/USDT'], '1h', { signal: controller.signal }),
      1,
    );
    expect(events).toEqual([]);
  });
});

describe('simulated market prices', () => {
  /** Market time that stands still: subscriptions wait until their signal aborts. */
  function frozenClock(): Clock {
    return {
      speed: 1,
      now: () => START,
      realTimeOf: () => 0,
      sleepUntil: (time, signal) =>
        time <= START
          ? Promise.resolve(true)
          : new Promise((resolve) => signal?.addEventListener('abort', () => resolve(false))),
    };
  }

  it('latestPrice follows the subscribed timeframe even when other candles are asked for', async () => {
    const reference = new SimMarketSource({ seed: 3, clock: frozenClock() });
    await reference.history('BTC/USDT', '1h', 5);
    const hourly = reference.latestPrice('BTC/USDT')!;

    const source = new SimMarketSource({ seed: 3, clock: frozenClock() });
    const controller = new AbortController();
    const feed = source.subscribe(['BTC/USDT'], '1h', { signal: controller.signal });
    const pending = feed[Symbol.asyncIterator]().next();
    await source.history('BTC/USDT', '1m', 5); // e.g. a chart on another timeframe
    expect(source.latestPrice('BTC/USDT')).toBe(hourly);
    controller.abort();
    expect((await pending).done).toBe(true);
    // Without a feed the finest series gives the price.
    const minute = new SimMarketSource({ seed: 3, clock: frozenClock() });
    await minute.history('BTC/USDT', '1m', 5);
    expect(source.latestPrice('BTC/USDT')).toBe(minute.latestPrice('BTC/USDT'));
    expect(minute.latestPrice('BTC/USDT')).not.toBe(hourly);
  });
});
