/**
 * The engine's candle feed: simulated and replayed sources are pulled one candle time at a
 * time and never read ahead; a real-time exchange feed is read in the background and its
 * late candle times come out together.
 */
import { describe, expect, it } from 'vitest';
import type { Candle, Timeframe } from '../../../src/core/api/schemas.ts';
import { createCandleFeed } from '../../../src/core/bot/engine/feed.ts';
import type {
  CandleEvent,
  MarketDataSource,
  SubscribeOptions,
} from '../../../src/core/market/types.ts';

const MIN = 60_000;
const candle = (ts: number): Candle => ({ ts, open: 1, high: 1, low: 1, close: 1, volume: 1 });

/** Yields the listed (symbol, minute) candles at once, counting how many were pulled. */
function source(kind: 'sim' | 'ccxt', events: [string, number][]) {
  const state = { pulled: 0, finished: false };
  const market = {
    kind,
    label: 'test',
    async *subscribe(
      _symbols: readonly string[],
      timeframe: Timeframe,
      _opts: SubscribeOptions,
    ): AsyncGenerator<CandleEvent> {
      try {
        for (const [symbol, minute] of events) {
          state.pulled += 1;
          yield { symbol, timeframe, candle: candle(minute * MIN), closed: true };
        }
      } finally {
        state.finished = true;
      }
    },
  } as unknown as MarketDataSource;
  return { market, state };
}

function feedOf(
  market: MarketDataSource,
  symbols: string[],
  signal = new AbortController().signal,
) {
  return createCandleFeed({
    market,
    symbols,
    timeframe: '1m',
    lastTs: new Map(),
    speed: 1_000_000,
    awaited: () => true,
    onHealth: () => {},
    signal,
  });
}

describe('candle feed', () => {
  it('a simulated feed gives one candle time per call and never reads ahead of it', async () => {
    const { market, state } = source('sim', [
      ['A/USDT', 0],
      ['B/USDT', 0],
      ['A/USDT', 1],
      ['B/USDT', 1],
      ['A/USDT', 2],
      // B has no candle at minute 2 (a gap kept as a gap)
      ['A/USDT', 3],
      ['B/USDT', 3],
    ]);
    const feed = feedOf(market, ['A/USDT', 'B/USDT']);
    const first = await feed.next();
    expect(first?.times).toEqual([0]);
    expect([...first!.candles.keys()]).toEqual(['A/USDT', 'B/USDT']);
    // Both symbols of minute 0 came: nothing of minute 1 was read.
    expect(state.pulled).toBe(2);
    expect((await feed.next())?.times).toEqual([MIN]);
    expect(state.pulled).toBe(4);
    // Minute 2 misses B: its end is known only from minute 3's first candle, held for the next call.
    const gap = await feed.next();
    expect(gap?.times).toEqual([2 * MIN]);
    expect([...gap!.candles.keys()]).toEqual(['A/USDT']);
    expect(state.pulled).toBe(6);
    const last = await feed.next();
    expect(last?.times).toEqual([3 * MIN]);
    expect([...last!.candles.keys()]).toEqual(['A/USDT', 'B/USDT']);
    expect(await feed.next()).toBeNull();
    expect(feed.ended).toBe(true);
    await feed.close();
    expect(state.finished).toBe(true);
  });

  it('close() ends a simulated subscription the loop stopped reading', async () => {
    const { market, state } = source('sim', [
      ['A/USDT', 0],
      ['A/USDT', 1],
    ]);
    const feed = feedOf(market, ['A/USDT']);
    await feed.next();
    expect(state.finished).toBe(false);
    await feed.close();
    expect(state.finished).toBe(true);
    expect(feed.ended).toBe(false);
  });

  it('an exchange feed that fell behind gives its late candle times together, in order', async () => {
    const { market } = source('ccxt', [
      ['A/USDT', 0],
      ['A/USDT', 1],
      ['A/USDT', 2],
    ]);
    const ctl = new AbortController();
    const feed = feedOf(market, ['A/USDT'], ctl.signal);
    const batch = await feed.next();
    expect(batch?.times).toEqual([0, MIN, 2 * MIN]);
    expect(batch?.candles.get('A/USDT')?.map((c) => c.ts)).toEqual([0, MIN, 2 * MIN]);
    expect(await feed.next()).toBeNull();
    expect(feed.ended).toBe(true);
    ctl.abort();
    await feed.close();
  });
});

describe('forming candles (live price updates)', () => {
  /** Closed minute 0, then forming updates of minute 0 (stale) and minute 1, then closed minute 1. */
  function mixed(kind: 'sim' | 'ccxt') {
    const asked: (boolean | undefined)[] = [];
    const events: CandleEvent[] = [
      { symbol: 'A/USDT', timeframe: '1m', candle: candle(0), closed: true },
      { symbol: 'A/USDT', timeframe: '1m', candle: candle(0), closed: false },
      { symbol: 'A/USDT', timeframe: '1m', candle: { ...candle(MIN), low: 0.5 }, closed: false },
      { symbol: 'A/USDT', timeframe: '1m', candle: candle(MIN), closed: true },
    ];
    const market = {
      kind,
      label: 'test',
      async *subscribe(_s: readonly string[], _tf: Timeframe, opts: SubscribeOptions) {
        asked.push(opts.partial);
        for (const ev of events) if (ev.closed || opts.partial) yield ev;
      },
    } as unknown as MarketDataSource;
    const forming: [string, Candle][] = [];
    const feed = createCandleFeed({
      market,
      symbols: ['A/USDT'],
      timeframe: '1m',
      lastTs: new Map(),
      speed: 1_000_000,
      awaited: () => true,
      onHealth: () => {},
      onForming: (symbol, c) => forming.push([symbol, c]),
      signal: new AbortController().signal,
    });
    return { feed, forming, asked };
  }

  it('a real-time feed passes on forming candles after the last closed one, not as candles', async () => {
    const { feed, forming, asked } = mixed('ccxt');
    const times: number[] = [];
    for (let b = await feed.next(); b !== null; b = await feed.next()) times.push(...b.times);
    expect(asked).toEqual([true]);
    expect(times).toEqual([0, MIN]);
    expect(forming).toEqual([['A/USDT', { ...candle(MIN), low: 0.5 }]]);
  });

  it('a paced (simulated, replayed) feed neither asks for nor passes on forming candles', async () => {
    const { feed, forming, asked } = mixed('sim');
    const times: number[] = [];
    for (let b = await feed.next(); b !== null; b = await feed.next()) times.push(...b.times);
    expect(asked).toEqual([undefined]);
    expect(times).toEqual([0, MIN]);
    expect(forming).toEqual([]);
  });
});
