import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { RecentCandles } from '../../../src/core/host/recent-candles.ts';
import { botStatus, candle } from '../renderer/fixtures.ts';

describe('recent candles of the running bot', () => {
  it('keeps the last candles per symbol with their indicators, and forgets them when a run starts', () => {
    const bus = new EventBus();
    const recent = new RecentCandles(2);
    const off = recent.follow(bus);
    for (const i of [1, 2, 3])
      bus.emit('market:candle', {
        symbol: 'BTC/USDT',
        timeframe: '1m',
        candle: candle(i),
        indicators: { rsi: i },
      });
    bus.emit('market:candle', { symbol: 'BTC/USDT', timeframe: '1m', candle: candle(3, 7) });
    expect(recent.recent('BTC/USDT', 10).map((r) => [r.candle.close, r.indicators?.rsi])).toEqual([
      [102, 2],
      [7, undefined],
    ]);
    expect(recent.recent('ETH/USDT', 10)).toEqual([]);
    bus.emit('bot:status', botStatus({ state: 'starting' }));
    expect(recent.recent('BTC/USDT', 10)).toEqual([]);
    off();
  });
});
