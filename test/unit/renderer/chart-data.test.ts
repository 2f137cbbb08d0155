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

describe('chart readouts', () => {
  it('reads OHLC, volume and indicator values of the bar under the cursor, else the newest', async () => {
    const { barReadout, volumeData } =
      await import('../../../src/renderer/src/state/chart-data.ts');
    const candles = [candle(1, 100), candle(2, 90)];
    const lines = { smaFast: [{ ts: candle(1).ts, value: 99.5 }] };
    expect(barReadout(candles, lines, candle(1).ts / 1000)).toMatchObject({
      close: 100,
      high: 101,
      indicators: [{ name: 'smaFast', value: 99.5 }],
    });
    const newest = barReadout(candles, lines, null)!;
    expect(newest.close).toBe(90);
    expect(newest.indicators).toEqual([]); // no value at that bar: none shown, not a stale one
    expect(volumeData(candles).map((v) => v.value)).toEqual([1, 1]);
    expect(barReadout([], lines, null)).toBeNull();
  });
});

describe('price precision', () => {
  it('shows about five significant digits: cheap pairs get more decimals', async () => {
    const { pricePrecision, priceFormatFor, barReadout } =
      await import('../../../src/renderer/src/state/chart-data.ts');
    expect(pricePrecision(0.58)).toBeGreaterThanOrEqual(4);
    expect(pricePrecision(0.58)).toBe(5);
    expect(pricePrecision(0.000012)).toBeGreaterThanOrEqual(8);
    expect(pricePrecision(0.000012)).toBe(9);
    expect(pricePrecision(59224.96)).toBe(2);
    expect(pricePrecision(3.1)).toBe(4);
    expect(pricePrecision(1e-12)).toBe(10); // capped
    expect(pricePrecision(0)).toBe(2);
    expect(pricePrecision(undefined)).toBe(2);
    const format = priceFormatFor(5);
    expect(format).toMatchObject({ type: 'custom', minMove: 0.00001 });
    expect(format.formatter(0.581234)).toBe('0.58123');
    expect(priceFormatFor(2).formatter(59224.964)).toBe('59224.96');
    // the legend reads with the chart's precision
    const xrp = [{ ...candle(1, 0.58), high: 0.5812, low: 0.5791, open: 0.58 }];
    expect(barReadout(xrp, {}, null)!.precision).toBe(5);
  });
});

describe('indicator panes', () => {
  it('draws price-like lines over the candles and oscillators in their own pane', async () => {
    const { overlaysPrice } = await import('../../../src/renderer/src/state/chart-data.ts');
    expect(overlaysPrice(60_100, 60_000)).toBe(true);
    expect(overlaysPrice(52, 60_000)).toBe(false); // RSI
    expect(overlaysPrice(0.4, 0.0001)).toBe(false);
    expect(overlaysPrice(undefined, 100)).toBe(true);
  });
});

describe('incremental chart updates', () => {
  it('finds the bars new since the last draw, or says a redraw is needed', async () => {
    const { updateFrom } = await import('../../../src/renderer/src/state/chart-data.ts');
    const { SymbolSeries } = await import('../../../src/renderer/src/state/market-store.ts');
    const series = new SymbolSeries(4);
    series.bars.replaceAll([candle(1), candle(2), candle(3)]);
    const drawn = { symbol: 'BTC/USDT', series, epoch: series.bars.epoch, lastTs: 3 * M, held: 3 };
    expect(updateFrom(drawn, 'BTC/USDT', series)).toBe(2); // the last drawn bar may have changed
    // two new bars, the oldest cut off by the cap: update from the last drawn bar on
    series.bars.upsert(candle(4));
    series.bars.upsert(candle(5));
    expect(series.bars.toArray().map((c) => c.ts / M)).toEqual([2, 3, 4, 5]);
    expect(updateFrom(drawn, 'BTC/USDT', series)).toBe(1);
    // nothing drawn yet, another symbol or series, too many bars held: redraw
    expect(updateFrom(null, 'BTC/USDT', series)).toBeNull();
    expect(updateFrom(drawn, 'ETH/USDT', series)).toBeNull();
    expect(updateFrom({ ...drawn, series: new SymbolSeries(4) }, 'BTC/USDT', series)).toBeNull();
    expect(updateFrom({ ...drawn, held: 6 }, 'BTC/USDT', series)).toBeNull();
    // a bar put between older ones (another epoch), or everything replaced: redraw
    series.bars.upsert(candle(2.5));
    expect(updateFrom(drawn, 'BTC/USDT', series)).toBeNull();
    const now = { ...drawn, epoch: series.bars.epoch, lastTs: 5 * M };
    expect(updateFrom(now, 'BTC/USDT', series)).toBe(3);
    series.bars.replaceAll([candle(1)]);
    expect(updateFrom({ ...now, epoch: series.bars.epoch }, 'BTC/USDT', series)).toBeNull();
  });
});

describe('drawdown', () => {
  it('is the fall below the running peak in percent', async () => {
    const { drawdownData } = await import('../../../src/renderer/src/state/chart-data.ts');
    const eq = (s: number, equity: number) => ({ ts: s * 1000, equity, cash: 0 });
    const dd = drawdownData([eq(1, 100), eq(2, 90), eq(3, 120), eq(4, 108)]).map((p) => p.value);
    expect(dd).toHaveLength(4);
    [0, -10, 0, -10].forEach((v, i) => expect(dd[i]).toBeCloseTo(v, 9));
  });
});
