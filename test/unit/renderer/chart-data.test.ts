import { describe, expect, it } from 'vitest';
import type { Candle, Fill } from '../../../src/core/api/schemas.ts';
import {
  candleData,
  equityData,
  fillMarkers,
  indicatorData,
} from '../../../src/renderer/src/state/chart-data.ts';

const M = 60_000;
const candle = (i: number): Candle => ({
  ts: i * M,
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  volume: 3,
});
const fill = (ts: number, side: 'buy' | 'sell'): Fill => ({
  id: String(ts),
  orderId: 'o',
  symbol: 'BTC/USDT',
  side,
  amount: 1,
  price: 1,
  fee: 0,
  feeCurrency: 'USDT',
  ts,
});

describe('chart data', () => {
  it('gives candles in whole seconds', () => {
    expect(candleData([candle(2)])).toEqual([
      { time: 120, open: 1, high: 2, low: 0.5, close: 1.5 },
    ]);
  });

  it('keeps one equity point per second (the last) in increasing time', () => {
    const points = [1000, 1500, 1999, 2000, 1800, 3000].map((ts, i) => ({
      ts,
      equity: i,
      cash: 0,
    }));
    expect(equityData(points)).toEqual([
      { time: 1, value: 2 },
      { time: 2, value: 3 },
      { time: 3, value: 5 },
    ]);
  });

  it('places fill markers on the candle they happened in, buys below and sells above', () => {
    const markers = fillMarkers(
      [fill(3 * M + 5000, 'sell'), fill(2 * M + 100, 'buy'), fill(99 * M, 'buy')],
      [candle(1), candle(2), candle(3)],
      M,
    );
    expect(markers).toEqual([
      { time: 120, position: 'belowBar', shape: 'arrowUp', color: '#26a69a', text: 'B' },
      { time: 180, position: 'aboveBar', shape: 'arrowDown', color: '#ef5350', text: 'S' },
    ]);
    expect(fillMarkers([fill(M, 'buy')], [], M)).toEqual([]);
  });

  it('puts indicator points on their candle', () => {
    expect(indicatorData([{ ts: 2 * M + 59_000, value: 7 }], M)).toEqual([{ time: 120, value: 7 }]);
  });
});
