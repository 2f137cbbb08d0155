import { describe, expect, it } from 'vitest';
import { createMarketStore, MAX_CANDLES } from '../../../src/renderer/src/state/market-store.ts';
import { candle, fill, MINUTE } from './fixtures.ts';

const M = MINUTE;

describe('market store', () => {
  it('appends live candles and replaces the candle of the same time', () => {
    const store = createMarketStore();
    const s = store.getState();
    s.applyCandle('BTC/USDT', candle(1));
    s.applyCandle('BTC/USDT', candle(2));
    s.applyCandle('BTC/USDT', candle(2, 999));
    expect(store.getState().series['BTC/USDT']!.candles.map((c) => c.close)).toEqual([101, 999]);
  });

  it('puts history before the live candles and drops history from another clock', () => {
    const store = createMarketStore();
    store.getState().applyCandle('BTC/USDT', candle(10));
    // history up to 12 came from a separate source instance that ran ahead of the bot
    store
      .getState()
      .applyHistory('BTC/USDT', [candle(8), candle(9), candle(11), candle(12), candle(10, 0)]);
    expect(store.getState().series['BTC/USDT']!.candles.map((c) => c.ts / M)).toEqual([8, 9, 10]);
    expect(store.getState().series['BTC/USDT']!.candles[2]!.close).toBe(110); // the live one won
  });

  it('drops history newer than the first live candle when live data arrives after history', () => {
    const store = createMarketStore();
    store.getState().applyHistory('ETH/USDT', [candle(1), candle(2), candle(3)]);
    store.getState().applyCandle('ETH/USDT', candle(2, 50));
    store.getState().applyCandle('ETH/USDT', candle(3, 51));
    expect(store.getState().series['ETH/USDT']!.candles.map((c) => [c.ts / M, c.close])).toEqual([
      [1, 101],
      [2, 50],
      [3, 51],
    ]);
  });

  it('keeps the warm-up candles a run starts with, their indicator lines, and older history loaded afterwards', () => {
    const store = createMarketStore();
    for (let i = 5; i <= 9; i++)
      store.getState().applyCandle('BTC/USDT', candle(i, 50 + i), { fast: i === 5 ? null : i });
    // The chart's history overlaps the warm-up candles and reaches further back.
    store.getState().applyHistory(
      'BTC/USDT',
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => candle(i)),
    );
    store.getState().applyCandle('BTC/USDT', candle(10, 60), { fast: 10 });
    const series = store.getState().series['BTC/USDT']!;
    expect(series.candles.map((c) => [c.ts / M, c.close])).toEqual([
      [1, 101],
      [2, 102],
      [3, 103],
      [4, 104],
      ...[5, 6, 7, 8, 9, 10].map((i) => [i, 50 + i]),
    ]);
    expect(series.indicators['fast']!.map((p) => p.ts / M)).toEqual([6, 7, 8, 9, 10]);
  });

  it('keeps at most MAX_CANDLES per symbol', () => {
    const store = createMarketStore();
    for (let i = 0; i < MAX_CANDLES + 5; i++) store.getState().applyCandle('BTC/USDT', candle(i));
    const candles = store.getState().series['BTC/USDT']!.candles;
    expect(candles).toHaveLength(MAX_CANDLES);
    expect(candles[0]!.ts).toBe(5 * M);
  });

  it('collects fills once each, in time order, per symbol', () => {
    const store = createMarketStore();
    store.getState().applyFill(fill({ id: 'b', ts: 2 * M }));
    store.getState().applyFill(fill({ id: 'a', ts: M, side: 'sell' }));
    store.getState().applyFill(fill({ id: 'b', ts: 2 * M }));
    expect(store.getState().series['BTC/USDT']!.fills.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('turns the indicator values of live candles into lines, skipping warm-up nulls', () => {
    const store = createMarketStore();
    store.getState().applyCandle('BTC/USDT', candle(1), { fast: 1, slow: null });
    store.getState().applyCandle('BTC/USDT', candle(2), { fast: 2, slow: 3 });
    expect(store.getState().series['BTC/USDT']!.indicators).toEqual({
      fast: [
        { ts: M, value: 1 },
        { ts: 2 * M, value: 2 },
      ],
      slow: [{ ts: 2 * M, value: 3 }],
    });
  });

  it('forgets everything on reset (a new run) but keeps the selection', () => {
    const store = createMarketStore();
    store.getState().select('BTC/USDT');
    store.getState().applyCandle('BTC/USDT', candle(1));
    store.getState().reset();
    expect(store.getState()).toMatchObject({ selected: 'BTC/USDT', series: {} });
  });

  it("changes series in place: a symbol's version follows only its own candles, and a copy read earlier stays as it was", () => {
    const store = createMarketStore();
    store.getState().applyCandles([
      { symbol: 'BTC/USDT', candle: candle(1) },
      { symbol: 'ETH/USDT', candle: candle(1) },
    ]);
    const btc = store.getState().series['BTC/USDT']!;
    const eth = store.getState().series['ETH/USDT']!;
    const seen = btc.candles;
    const btcVersion = btc.version;
    const ethVersion = eth.version;
    const rev = store.getState().rev;
    // a frame's worth for ETH only: one store change, BTC untouched
    store.getState().applyCandles([
      { symbol: 'ETH/USDT', candle: candle(2) },
      { symbol: 'ETH/USDT', candle: candle(2, 7) },
    ]);
    expect(store.getState().rev).toBe(rev + 1);
    expect(store.getState().series['BTC/USDT']).toBe(btc);
    expect(btc.version).toBe(btcVersion);
    expect(eth.version).toBeGreaterThan(ethVersion);
    expect(eth.candles.map((c) => c.close)).toEqual([101, 7]);
    // BTC moves on; the copy read before is unchanged and consistent
    store.getState().applyCandle('BTC/USDT', candle(2));
    store.getState().applyCandle('BTC/USDT', candle(2, 50));
    expect(seen.map((c) => c.ts / M)).toEqual([1]);
    expect(btc.candles.map((c) => [c.ts / M, c.close])).toEqual([
      [1, 101],
      [2, 50],
    ]);
    // only the newest changed since: the chart may hand over just that (same epoch)
    expect(btc.bars.epoch).toBe(0);
  });
});
