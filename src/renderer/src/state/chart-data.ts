/**
 * Store data → lightweight-charts series data. The library wants time in whole
 * seconds, strictly increasing; several equity points or fills can fall into the
 * same second (fast simulated clock), so points are bucketed and the last wins.
 */
import type { Candle, EquityPoint, Fill } from '../../../core/api/schemas.ts';
import { formatFixed } from '../format.ts';
import type { TsRing } from './ts-ring.ts';

export interface TimeValue {
  time: number;
  value: number;
}

export interface CandlePoint {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface FillMarker {
  time: number;
  position: 'belowBar' | 'aboveBar';
  shape: 'arrowUp' | 'arrowDown';
  color: string;
  text: string;
}

export const UP_COLOR = '#26a69a';
export const DOWN_COLOR = '#ef5350';

const seconds = (ms: number) => Math.floor(ms / 1000);

export function candleData(candles: readonly Candle[]): CandlePoint[] {
  return candles.map((c) => ({
    time: seconds(c.ts),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
  }));
}

/** What the candle series holds after its last draw. */
export interface DrawnCandles {
  symbol: string | null;
  count: number;
  first: number | null;
  last: number | null;
}

/** What the candle series were last drawn from. */
export interface DrawnFrom<S> {
  symbol: string;
  series: S;
  /** the bars' epoch then, and the ts of the newest bar drawn */
  epoch: number;
  lastTs: number;
  /** bars the chart holds (updates add to them; a redraw trims them to the store's) */
  held: number;
}

/**
 * Where the bars to hand over one by one begin (the last drawn bar included: it may have
 * changed), or null when the chart must be redrawn: another symbol or series, bars changed
 * other than at the newest end (another epoch), a newest bar older than the one drawn (the
 * library's update() refuses it), or the chart holding half again as many bars as the store
 * (a redraw trims it). Bars cut from the front by the store's cap are fine.
 */
export function updateFrom<S extends { bars: TsRing<Candle> }>(
  drawn: DrawnFrom<S> | null,
  symbol: string,
  series: S,
): number | null {
  const { bars } = series;
  if (drawn === null || drawn.symbol !== symbol || drawn.series !== series) return null;
  if (drawn.epoch !== bars.epoch || bars.length === 0 || drawn.held >= bars.length * 1.5)
    return null;
  if (bars.last()!.ts < drawn.lastTs) return null;
  return bars.indexFrom(drawn.lastTs);
}

/** Points sorted by time, one per second (the last one of each second). */
export function lineData(points: ReadonlyArray<{ ts: number; value: number }>): TimeValue[] {
  const out: TimeValue[] = [];
  for (const p of points) {
    const time = seconds(p.ts);
    const last = out[out.length - 1];
    if (last && time === last.time) last.value = p.value;
    else if (!last || time > last.time) out.push({ time, value: p.value });
  }
  return out;
}

export function equityData(points: readonly EquityPoint[]): TimeValue[] {
  return lineData(points.map((p) => ({ ts: p.ts, value: p.equity })));
}

/**
 * Buy ▲ below the bar, sell ▼ above it, placed on the candle the fill happened in
 * (fills outside the drawn candles are left out: the chart would stretch to them).
 */
export function fillMarkers(
  fills: readonly Fill[],
  candles: readonly Candle[],
  timeframeMs: number,
): FillMarker[] {
  const first = candles[0];
  const last = candles[candles.length - 1];
  if (!first || !last) return [];
  return fills
    .filter((f) => f.ts >= first.ts && f.ts < last.ts + timeframeMs)
    .map((f) => ({ f, bar: seconds(Math.floor(f.ts / timeframeMs) * timeframeMs) }))
    .sort((a, b) => a.bar - b.bar)
    .map(({ f, bar }) =>
      f.side === 'buy'
        ? {
            time: bar,
            position: 'belowBar' as const,
            shape: 'arrowUp' as const,
            color: UP_COLOR,
            text: 'B',
          }
        : {
            time: bar,
            position: 'aboveBar' as const,
            shape: 'arrowDown' as const,
            color: DOWN_COLOR,
            text: 'S',
          },
    );
}

/** Indicator points placed on the candle they belong to. */
export function indicatorData(
  points: ReadonlyArray<{ ts: number; value: number }>,
  timeframeMs: number,
): TimeValue[] {
  return lineData(
    points.map((p) => ({ ts: Math.floor(p.ts / timeframeMs) * timeframeMs, value: p.value })),
  );
}

export interface VolumeBar {
  time: number;
  value: number;
  color: string;
}

/** Volume bars coloured by the candle's direction (translucent, so they stay in the background). */
export function volumeData(candles: readonly Candle[]): VolumeBar[] {
  return candles.map((c) => ({
    time: seconds(c.ts),
    value: c.volume,
    color: volumeColor(c),
  }));
}

export const volumeColor = (c: Candle): string =>
  c.close >= c.open ? 'rgba(38, 166, 154, 0.45)' : 'rgba(239, 83, 80, 0.45)';

/** What the legend shows for the bar under the cursor (or the newest bar). */
export interface BarReadout {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  indicators: Array<{ name: string; value: number }>;
  /** Decimals the prices are shown with (the chart's price axis uses the same). */
  precision: number;
}

/**
 * Decimals for prices of this magnitude: about five significant digits, at least 2, at most
 * 10 (59,224.96 → 2, 0.58 → 5, 0.000012 → 9). Not a positive number: 2.
 */
export function pricePrecision(price: number | null | undefined): number {
  if (typeof price !== 'number' || !Number.isFinite(price) || !(price > 0)) return 2;
  return Math.min(10, Math.max(2, 4 - Math.floor(Math.log10(price))));
}

/**
 * The chart series' price format for prices shown with `precision` decimals, in the user's
 * locale (decimal comma in Swedish): axis, crosshair and price-line labels.
 */
export function priceFormatFor(precision: number) {
  return {
    type: 'custom' as const,
    minMove: Number((10 ** -precision).toFixed(precision)),
    formatter: (price: number) => formatFixed(price, precision),
  };
}

export function barReadout(
  candles: readonly Candle[],
  indicators: Record<string, ReadonlyArray<{ ts: number; value: number }>>,
  atSeconds: number | null,
): BarReadout | null {
  const candle =
    atSeconds === null
      ? candles[candles.length - 1]
      : candles.find((c) => seconds(c.ts) === atSeconds);
  if (!candle) return null;
  const values = Object.entries(indicators).flatMap(([name, points]) => {
    const p = points.findLast((q) => q.ts <= candle.ts);
    return p && p.ts === candle.ts ? [{ name, value: p.value }] : [];
  });
  return {
    time: candle.ts,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    indicators: values,
    precision: pricePrecision(candles[candles.length - 1]?.close),
  };
}

/**
 * Whether an indicator is drawn over the candles (a moving average, a band) or in a pane
 * of its own (an oscillator such as RSI, on a 0–100 scale that would flatten the candles).
 */
export function overlaysPrice(value: number | undefined, close: number | undefined): boolean {
  if (value === undefined || close === undefined || !(close > 0)) return true;
  const ratio = value / close;
  return ratio > 0.5 && ratio < 2;
}

/** Drawdown below the running peak, in percent (0 at a new high, negative below it). */
export function drawdownData(points: readonly EquityPoint[]): TimeValue[] {
  let peak = Number.NEGATIVE_INFINITY;
  return lineData(
    points.map((p) => {
      peak = Math.max(peak, p.equity);
      return { ts: p.ts, value: peak > 0 ? (p.equity / peak - 1) * 100 : 0 };
    }),
  );
}
