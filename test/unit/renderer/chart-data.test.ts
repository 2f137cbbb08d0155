import { describe, expect, it } from 'vitest';
import {
  candleData,
  equityData,
  fillMarkers,
  indicatorData,
} from '../../../src/renderer/src/state/chart-data.ts';
import { candle, fill, MINUTE } from './fixtures.ts';

const M = MINUTE;

describe('chart data', () => {
  it('gives candles in whole seconds', () => {
    expect(candleData([candle(2)])).toEqual([
      { time: 120, open: 102, high: 103, low: 101, close: 102 },
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
      [
        fill({ ts: 3 * M + 5000, side: 'sell' }),
        fill({ ts: 2 * M + 100, side: 'buy' }),
        fill({ ts: 99 * M, side: 'buy' }),
      ],
      [candle(1), candle(2), candle(3)],
      M,
    );
    expect(markers).toEqual([
      { time: 120, position: 'belowBar', shape: 'arrowUp', color: '#26a69a', text: 'B' },
      { time: 180, position: 'aboveBar', shape: 'arrowDown', color: '#ef5350', text: 'S' },
    ]);
    expect(fillMarkers([fill({ ts: M, side: 'buy' })], [], M)).toEqual([]);
  });

  it('puts indicator points on their candle', () => {
    expect(indicatorData([{ ts: 2 * M + 59_000, value: 7 }], M)).toEqual([{ time: 120, value: 7 }]);
  });
});
