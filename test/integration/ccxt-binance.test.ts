/**
 * The real ccxt library (REST and pro websocket) against a loopback server that speaks
 * Binance spot's public API. Market time runs 600× faster: a 1m candle lasts 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../src/core/api/errors.ts';
import type { Candle } from '../../src/core/api/schemas.ts';
import { CandleStore } from '../../src/core/market/candle-store.ts';
import { CcxtSource } from '../../src/core/market/ccxt-source.ts';
import type { CcxtSourceOptions } from '../../src/core/market/ccxt-source.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { createMarketSource } from '../../src/core/market/index.ts';
import type { CandleEvent, SourceHealth } from '../../src/core/market/types.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';

const MIN = 60_000;
const clock = createClock({ start: Date.UTC(2026, 0, 15, 12, 0, 10), speed: 600 });
let fake: FakeBinance;
const sources: CcxtSource[] = [];
const dir = mkdtempSync(join(tmpdir(), 'botdesk-ccxt-'));

beforeAll(async () => {
  fake = await FakeBinance.start({ clock });
});
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  fake.allowWebsockets();
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function binance(opts: Partial<CcxtSourceOptions> = {}): CcxtSource {
  const source = new CcxtSource({
    exchange: 'binance',
    clock,
    configure: (exchange) => fake.configure(exchange as never),
    retry: { attempts: 5, baseMs: 10, maxMs: 80 },
    timeoutMs: 1500,
    pollDelayMs: 2000,
    ...opts,
  });
  sources.push(source);
  return source;
}

function klineRequests(): string[] {
  return fake.requests.filter((r) => r.startsWith('/api/v3/klines'));
}

async function failure(promise: Promise<unknown>): Promise<BotDeskError> {
  try {
    await promise;
  } catch (err) {
    return err as BotDeskError;
  }
  throw new Error('expected a failure');
}

/** Closed candles per symbol until every symbol has one opening at or after `untilTs`. */
async function collectUntil(
  stream: AsyncIterable<CandleEvent>,
  symbols: string[],
  untilTs: number,
  onEvent?: (e: CandleEvent) => void,
) {
  const bySymbol = new Map<string, Candle[]>(symbols.map((s) => [s, []]));
  for await (const event of stream) {
    onEvent?.(event);
    if (!event.closed) {
      // A forming candle is always the one after the last closed candle delivered.
      const last = bySymbol.get(event.symbol)!.at(-1);
      if (last) expect(event.candle.ts).toBeGreaterThan(last.ts);
      expect(event.candle.low).toBeLessThanOrEqual(Math.min(event.candle.open, event.candle.close));
      expect(event.candle.high).toBeGreaterThanOrEqual(
        Math.max(event.candle.open, event.candle.close),
      );
      continue;
    }
    bySymbol.get(event.symbol)!.push(event.candle);
    if (symbols.every((s) => (bySymbol.get(s)!.at(-1)?.ts ?? 0) >= untilTs)) break;
  }
  return bySymbol;
}

/** Every candle in order, one per minute, no duplicates, values as the exchange has them. */
function expectExact(symbol: string, candles: Candle[], firstTs: number): void {
  expect(candles.length).toBeGreaterThan(0);
  candles.forEach((c, i) => {
    expect(c.ts).toBe(firstTs + i * MIN);
    expect(c).toEqual(fake.candle(symbol, c.ts, MIN));
  });
}

describe('ccxt source against a loopback Binance', () => {
  it('loads markets once and explains unknown symbols, exchanges and bad input', async () => {
    const source = binance();
    await source.validate(['BTC/USDT', 'ETH/USDT'], '1m');
    const err = await failure(source.validate(['BTC/USDX'], '1m'));
    expect(err).toBeInstanceOf(BotDeskError);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('BTC/USDX is not a market on binance; did you mean BTC/USDT?');
    await expect(source.validate(['LUNA/USDT'], '1m')).rejects.toThrow(
      'LUNA/USDT is not trading on binance right now (inactive market)',
    );
    const again = binance();
    await again.validate(['SOL/USDT'], '5m');
    expect(fake.requests.filter((r) => r.startsWith('/api/v3/exchangeInfo'))).toHaveLength(1);
    const unknown = new CcxtSource({ exchange: 'binanse' });
    sources.push(unknown);
    expect((await failure(unknown.validate(['BTC/USDT'], '1m'))).message).toMatch(
      /'binanse' is not an exchange ccxt knows; did you mean binance\?/,
    );
  });

  it('paginates long history into one gap-free series ending at the last closed candle', async () => {
    const source = binance();
    await source.validate(['BTC/USDT'], '1m');
    const before = klineRequests().length;
    const formingAtCall = Math.floor(clock.now() / MIN) * MIN;
    const candles = await source.history('BTC/USDT', '1m', 2500);
    expect(candles).toHaveLength(2500);
    // Ends with the candle before the one forming when history() was called.
    expect(candles.at(-1)!.ts).toBeGreaterThanOrEqual(formingAtCall - MIN);
    expectExact('BTC/USDT', candles, candles[0]!.ts);
    const pages = klineRequests().slice(before);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((p) => /startTime=\d+/.test(p) && /limit=1000/.test(p))).toBe(true);
  });

  it('retries 429, 418, 5xx and timeouts with backoff, counting retries in health', async () => {
    const source = binance({ retry: { attempts: 6, baseMs: 10, maxMs: 80 } });
    await source.validate(['ETH/USDT'], '1m');
    fake.failNext('/api/v3/klines', 429, 418, 500, 502, 'timeout');
    const candles = await source.history('ETH/USDT', '1m', 20);
    expect(candles).toHaveLength(20);
    expectExact('ETH/USDT', candles, candles[0]!.ts);
    expect(source.health().retries).toBe(5);
    expect(source.health().connected).toBe(true);
    expect(source.health().lastError).toBeNull();
  });

  it('gives up after the configured attempts with a clear error', async () => {
    const source = binance({ retry: { attempts: 3, baseMs: 5, maxMs: 20 } });
    await source.validate(['ETH/USDT'], '1m');
    fake.failNext('/api/v3/klines', 503, 503, 503);
    const err = await failure(source.history('ETH/USDT', '1m', 5));
    expect(err.code).toBe('MARKET_ERROR');
    expect(err.message).toMatch(/^binance fetchOHLCV ETH\/USDT 1m failed after 3 attempts: /);
  });

  it('refuses malformed responses with a clear error instead of bad candles', async () => {
    const source = binance();
    await source.validate(['BTC/USDT'], '1m');
    fake.failNext('/api/v3/klines', 'malformed');
    const err = await failure(source.history('BTC/USDT', '1m', 5));
    expect(err.code).toBe('MARKET_ERROR');
    expect(err.message).toMatch(
      /binance sent a malformed 1m candle for BTC\/USDT: open is not a number/,
    );
    fake.failNext('/api/v3/klines', 'html');
    const html = await failure(source.history('BTC/USDT', '1m', 5));
    expect(html.code).toBe('MARKET_ERROR');
    expect(html.message).toMatch(/binance/);
  });

  it('keeps history in the candle store and then fetches only what is new', async () => {
    const store = new CandleStore(join(dir, 'candles.sqlite'));
    try {
      const first = await binance({ store }).history('SOL/USDT', '1m', 300);
      expectExact('SOL/USDT', first, first[0]!.ts);
      await clock.sleepUntil(clock.now() + 3 * MIN);
      const before = klineRequests().length;
      const second = await binance({ store }).history('SOL/USDT', '1m', 300);
      const fetched = klineRequests().slice(before);
      expect(fetched).toHaveLength(1);
      const startTime = Number(/startTime=(\d+)/.exec(fetched[0]!)![1]);
      expect(startTime).toBe(first.at(-1)!.ts + MIN);
      expectExact('SOL/USDT', second, second[0]!.ts);
      // A backtest period inside what is stored needs no request at all.
      const requests = klineRequests().length;
      const period = await binance({ store }).range(
        'SOL/USDT',
        '1m',
        first[10]!.ts,
        first[110]!.ts,
      );
      expect(period).toEqual(first.slice(10, 110));
      expect(klineRequests()).toHaveLength(requests);
      expect(store.list()).toEqual([
        expect.objectContaining({ exchange: 'binance', symbol: 'SOL/USDT', timeframe: '1m' }),
      ]);
    } finally {
      store.close();
    }
  });

  it('createMarketSource builds a ccxt source that keeps history in <dataDir>/candles.sqlite', async () => {
    const dataDir = join(dir, 'data');
    const source = createMarketSource(
      { source: 'ccxt', exchange: 'binance', speed: 1, seed: 42 },
      { dataDir, clock, ccxt: { configure: (exchange) => fake.configure(exchange as never) } },
    );
    expect(source.kind).toBe('ccxt');
    expect(source.label).toBe('binance');
    const candles = await source.history('ETH/USDT', '1m', 50);
    expectExact('ETH/USDT', candles, candles[0]!.ts);
    await source.close();
    const store = CandleStore.inDataDir(dataDir);
    expect(store.list()).toEqual([
      expect.objectContaining({ exchange: 'binance', symbol: 'ETH/USDT', count: 50 }),
    ]);
    store.close();
  });

  it('streams closed candles over the websocket and back-fills across a dropped connection', async () => {
    const source = binance();
    const history = await source.history('BTC/USDT', '1m', 30);
    const since = history.at(-1)!.ts + MIN;
    const health: SourceHealth[] = [];
    const controller = new AbortController();
    const stream = source.subscribe(['BTC/USDT', 'ETH/USDT'], '1m', {
      signal: controller.signal,
      since,
      partial: true,
      onHealth: (h) => health.push(h),
    });
    const connectionsBefore = fake.wsConnections;
    let partials = 0;
    let dropped = false;
    let klinesAtDrop = 0;
    let dropTs = 0;
    let lateSent = false;
    const target = Math.floor(clock.now() / MIN) * MIN + 14 * MIN;
    const got = await collectUntil(stream, ['BTC/USDT', 'ETH/USDT'], target, (e) => {
      if (!e.closed) partials++;
      if (e.closed && !lateSent && e.symbol === 'BTC/USDT' && e.candle.ts >= since + 2 * MIN) {
        lateSent = true;
        fake.sendLateKlines(2); // stale, out-of-order updates must not be delivered again
      }
      if (e.closed && !dropped && e.symbol === 'ETH/USDT' && e.candle.ts >= target - 9 * MIN) {
        dropped = true;
        klinesAtDrop = klineRequests().length;
        dropTs = e.candle.ts;
        fake.dropWebsockets(4 * MIN); // about 4 candles are missed while refused
      }
    });
    controller.abort();
    expect(dropped).toBe(true);
    expect(lateSent).toBe(true);
    for (const [symbol, candles] of got) expectExact(symbol, candles, since);
    // The candles missed while disconnected came over REST, starting right after the last one delivered.
    const backfills = klineRequests()
      .slice(klinesAtDrop)
      .map((r) => Number(/startTime=(\d+)/.exec(r)?.[1]));
    expect(backfills.some((start) => start > dropTs && start <= dropTs + 2 * MIN)).toBe(true);
    expect(partials).toBeGreaterThan(0);
    expect(fake.wsConnections - connectionsBefore).toBeGreaterThanOrEqual(2);
    expect(health.some((h) => !h.connected && h.retries > 0)).toBe(true);
    expect(source.health().connected).toBe(true);
    expect(source.latestPrice('BTC/USDT')).toBeGreaterThan(0);
  });

  it('fills candles the exchange does not have flat, and reports them, in history and live', async () => {
    const source = binance();
    await source.validate(['SOL/USDT'], '1m');
    const forming = Math.floor(clock.now() / MIN) * MIN;
    fake.omitCandle('SOL/USDT', forming - 10 * MIN);
    fake.omitCandle('SOL/USDT', forming - 9 * MIN);
    fake.omitCandle('SOL/USDT', forming + 3 * MIN);
    const history = await source.history('SOL/USDT', '1m', 20);
    expect(history.map((c) => c.ts)).toEqual(
      Array.from({ length: 20 }, (_, i) => forming - (20 - i) * MIN),
    );
    const before = history.find((c) => c.ts === forming - 11 * MIN)!;
    for (const ts of [forming - 10 * MIN, forming - 9 * MIN]) {
      expect(history.find((c) => c.ts === ts)).toEqual({
        ts,
        open: before.close,
        high: before.close,
        low: before.close,
        close: before.close,
        volume: 0,
      });
    }
    expect(source.health().gapsFilled).toBe(2);
    const controller = new AbortController();
    const reported: SourceHealth[] = [];
    const live = await collectUntil(
      source.subscribe(['SOL/USDT'], '1m', {
        signal: controller.signal,
        since: forming,
        onHealth: (h) => reported.push(h),
      }),
      ['SOL/USDT'],
      forming + 5 * MIN,
    );
    // The subscriber heard about the holes in its warm-up history first.
    expect(reported[0]).toMatchObject({ gapsFilled: 2 });
    controller.abort();
    const candles = live.get('SOL/USDT')!;
    expect(candles.map((c) => c.ts)).toEqual([0, 1, 2, 3, 4, 5].map((i) => forming + i * MIN));
    expect(candles[3]).toMatchObject({
      open: candles[2]!.close,
      close: candles[2]!.close,
      volume: 0,
    });
    expect(candles[4]).toEqual(fake.candle('SOL/USDT', forming + 4 * MIN, MIN));
    expect(source.health().gapsFilled).toBe(3);
    expect(source.health().warning).toMatch(/could not provide 1 1m candle\(s\) of SOL\/USDT/);
  });

  it('reports a stale feed when nothing arrives for two candles', async () => {
    const source = binance();
    await source.validate(['SOL/USDT'], '1m');
    const controller = new AbortController();
    const health: SourceHealth[] = [];
    const stream = source.subscribe(['SOL/USDT'], '1m', {
      signal: controller.signal,
      onHealth: (h) => health.push(h),
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // connected and delivering
    fake.dropWebsockets(30 * MIN);
    const stale = new Promise<SourceHealth>((resolve) => {
      const timer = setInterval(() => {
        const h = health.find((x) => x.stale);
        if (h) {
          clearInterval(timer);
          resolve(h);
        }
      }, 5);
    });
    const reported = await stale;
    expect(reported.warning).toMatch(
      /no update from binance for SOL\/USDT since .* \(over 2 candles\)/,
    );
    controller.abort();
    await iterator.return?.();
  });

  it('reports the one symbol that went silent as stale while the others keep coming', async () => {
    const source = binance();
    await source.validate(['BTC/USDT', 'SOL/USDT'], '1m');
    const forming = Math.floor(clock.now() / MIN) * MIN;
    const quietFrom = forming + 2 * MIN;
    for (let i = 0; i < 5; i++) fake.omitCandle('SOL/USDT', quietFrom + i * MIN);
    const health: SourceHealth[] = [];
    const controller = new AbortController();
    const got = await collectUntil(
      source.subscribe(['BTC/USDT', 'SOL/USDT'], '1m', {
        signal: controller.signal,
        since: forming,
        onHealth: (h) => health.push(h),
      }),
      ['BTC/USDT', 'SOL/USDT'],
      quietFrom + 6 * MIN,
    );
    controller.abort();
    // SOL/USDT is named on its own (a stalled test process might briefly add BTC/USDT too).
    expect(
      health.some(
        (h) => h.stale && /^no update from binance for SOL\/USDT since /.test(h.warning!),
      ),
    ).toBe(true);
    expect(health.at(-1)!.stale).toBe(false);
    expectExact('BTC/USDT', got.get('BTC/USDT')!, forming);
    const sol = got.get('SOL/USDT')!;
    expect(sol.map((c) => c.ts)).toEqual(sol.map((_, i) => forming + i * MIN));
    expect(sol.filter((c) => c.ts >= quietFrom && c.ts < quietFrom + 5 * MIN)).toEqual(
      Array.from({ length: 5 }, (_, i) =>
        expect.objectContaining({ ts: quietFrom + i * MIN, volume: 0 }),
      ),
    );
  });

  it('polls REST aligned to candle close when the websocket is off, surviving errors', async () => {
    const source = binance({ websocket: false, pollDelayMs: 3000 });
    const history = await source.history('ETH/USDT', '1m', 5);
    const since = history.at(-1)!.ts + MIN;
    const controller = new AbortController();
    const target = Math.floor(clock.now() / MIN) * MIN + 6 * MIN;
    let injected = false;
    let partials = 0;
    const klinesBefore = klineRequests().length;
    const candlesBefore = Math.floor(clock.now() / MIN);
    const got = await collectUntil(
      source.subscribe(['ETH/USDT', 'SOL/USDT'], '1m', {
        signal: controller.signal,
        since,
        partial: true,
      }),
      ['ETH/USDT', 'SOL/USDT'],
      target,
      (e) => {
        if (!e.closed) partials++;
        if (!injected) {
          injected = true;
          fake.failNext('/api/v3/klines', 500, 503);
        }
      },
    );
    controller.abort();
    for (const [symbol, candles] of got) expectExact(symbol, candles, since);
    expect(source.health().retries).toBeGreaterThanOrEqual(2);
    expect(partials).toBeGreaterThan(0);
    // One request per symbol per candle close (plus the retries), not a busy loop.
    const polls = klineRequests().length - klinesBefore;
    const closes = Math.floor(clock.now() / MIN) - candlesBefore;
    expect(polls).toBeLessThanOrEqual(2 * (closes + 2) + 2);
  });
});
