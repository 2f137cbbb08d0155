/**
 * The candle chart's drawing, kept out of the component: candles and volume in two panes,
 * fill markers, indicator lines, and the open position's entry, stop and target levels.
 */
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Candle, Position } from '../../../core/api/schemas.ts';
import {
  DOWN_COLOR,
  fillMarkers,
  indicatorData,
  overlaysPrice,
  priceFormatFor,
  pricePrecision,
  UP_COLOR,
  volumeColor,
  updateFrom,
  type DrawnCandles,
  type DrawnFrom,
} from '../state/chart-data.ts';
import type { SymbolSeries } from '../state/market-store.ts';
import { formatVolume } from '../format.ts';
import { CHART_THEME, LINE_COLORS } from './chart-theme.ts';

const VISIBLE_BARS = 120;
/** Panes: candles, volume, then oscillators (indicators on their own scale). */
const OSCILLATOR_PANE = 2;

export interface ChartParts {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  markers: ISeriesMarkersPluginApi<Time>;
  lines: Map<string, ISeriesApi<'Line'>>;
  /** Per line: the epoch of its points and the time of its last point drawn. */
  lineDrawn: Map<string, { epoch: number; last: number }>;
  levels: IPriceLine[];
  shown: DrawnCandles;
  /** What the candle series were drawn from (updates add to it while the epoch holds). */
  source: DrawnFrom<SymbolSeries> | null;
  /** The fills the markers were made from. */
  markedFills: SymbolSeries['fills'] | null;
  /** Decimals of the price axis (set from the price's magnitude on each full redraw). */
  precision: number;
}

const asTime = (t: number) => t as UTCTimestamp;
const seconds = (ms: number) => Math.floor(ms / 1000);

export function createParts(container: HTMLElement): ChartParts {
  const chart = createChart(container, CHART_THEME);
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: UP_COLOR,
    downColor: DOWN_COLOR,
    borderVisible: false,
    wickUpColor: UP_COLOR,
    wickDownColor: DOWN_COLOR,
    priceFormat: priceFormatFor(2),
  });
  const volume = chart.addSeries(
    HistogramSeries,
    {
      // the chart's labels are the series' own (their decimals differ): see useChartTheme
      priceFormat: { type: 'custom', minMove: 1e-8, formatter: formatVolume },
      priceLineVisible: false,
      lastValueVisible: false,
    },
    1,
  );
  chart.panes()[1]?.setHeight(70);
  return {
    chart,
    candles,
    volume,
    markers: createSeriesMarkers(candles, []),
    lines: new Map(),
    lineDrawn: new Map(),
    levels: [],
    shown: { symbol: null, count: 0, first: null, last: null },
    source: null,
    markedFills: null,
    precision: 2,
  };
}

/** One candle (and its volume bar) handed to the chart as its newest bar. */
function updateBar(parts: ChartParts, c: Candle): void {
  const time = asTime(seconds(c.ts));
  parts.candles.update({ time, open: c.open, high: c.high, low: c.low, close: c.close });
  parts.volume.update({ time, value: c.volume, color: volumeColor(c) });
}

/**
 * Draw `data` for `symbol`. While the same series keeps its epoch (only new or replaced
 * newest candles since the last draw), just the candles from the last one drawn on are
 * handed over (update(), cheap at 6000×); anything else redraws all of them (setData).
 */
export function draw(parts: ChartParts, symbol: string, data: SymbolSeries, timeframeMs: number) {
  const { bars } = data;
  const from = updateFrom(parts.source, symbol, data);
  const redraw = from === null;
  let candles: readonly Candle[] | null = null;
  let held = parts.source?.held ?? 0;
  if (!redraw) {
    for (let i = from; i < bars.length; i++) updateBar(parts, bars.at(i)!);
    held += Math.max(0, bars.length - 1 - from);
  } else {
    candles = data.candles;
    // one pass, one object per bar and series (100,000 bars on a first paint)
    const bars = new Array<CandlestickData<UTCTimestamp>>(candles.length);
    const volume = new Array<HistogramData<UTCTimestamp>>(candles.length);
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i]!;
      const time = asTime(seconds(c.ts));
      bars[i] = { time, open: c.open, high: c.high, low: c.low, close: c.close };
      volume[i] = { time, value: c.volume, color: volumeColor(c) };
    }
    parts.candles.setData(bars);
    parts.volume.setData(volume);
    held = candles.length;
    setPrecision(parts, pricePrecision(candles.at(-1)?.close));
  }
  const newest = bars.last();
  parts.source = newest
    ? { symbol, series: data, epoch: bars.epoch, lastTs: newest.ts, held }
    : null;
  if (parts.shown.symbol !== symbol && bars.length > 0) {
    parts.chart
      .timeScale()
      .setVisibleLogicalRange({ from: bars.length - VISIBLE_BARS, to: bars.length + 3 });
  }
  const oldest = bars.at(0);
  parts.shown = {
    symbol,
    count: bars.length,
    first: oldest ? seconds(oldest.ts) : null,
    last: newest ? seconds(newest.ts) : null,
  };

  // markers change with the fills (or a redraw), not with every new bar
  if (redraw || parts.markedFills !== data.fills) {
    parts.markedFills = data.fills;
    parts.markers.setMarkers(
      fillMarkers(data.fills, candles ?? data.candles, timeframeMs).map((m) => ({
        ...m,
        time: asTime(m.time),
      })),
    );
  }
  drawLines(parts, data, timeframeMs, redraw);
}

/** The candles' and price-overlay lines' axis decimals (stop/target lines follow the candles). */
function setPrecision(parts: ChartParts, precision: number): void {
  if (precision === parts.precision) return;
  parts.precision = precision;
  const priceFormat = priceFormatFor(precision);
  parts.candles.applyOptions({ priceFormat });
  for (const line of parts.lines.values()) {
    if (line.getPane().paneIndex() === 0) line.applyOptions({ priceFormat });
  }
}

/** Indicator lines: new lines and changed epochs are drawn whole, the rest from their last point on. */
function drawLines(parts: ChartParts, data: SymbolSeries, timeframeMs: number, redraw: boolean) {
  for (const [name, line] of parts.lines) {
    if (!data.lines.has(name)) {
      parts.chart.removeSeries(line);
      parts.lines.delete(name);
      parts.lineDrawn.delete(name);
    }
  }
  for (const [name, points] of data.lines) {
    let line = parts.lines.get(name);
    if (!line) {
      const overlay = overlaysPrice(points.last()?.value, data.bars.last()?.close);
      line = parts.chart.addSeries(
        LineSeries,
        {
          color: LINE_COLORS[parts.lines.size % LINE_COLORS.length],
          lineWidth: 1,
          priceLineVisible: false,
          lastValueVisible: !overlay,
          crosshairMarkerVisible: false,
          title: name,
          priceFormat: priceFormatFor(overlay ? parts.precision : 2),
        },
        overlay ? 0 : OSCILLATOR_PANE,
      );
      if (!overlay) parts.chart.panes()[OSCILLATOR_PANE]?.setHeight(90);
      parts.lines.set(name, line);
    }
    const drawn = redraw ? undefined : parts.lineDrawn.get(name);
    if (drawn === undefined || drawn.epoch !== points.epoch) {
      const all = indicatorData(points.toArray(), timeframeMs);
      line.setData(all.map((p) => ({ ...p, time: asTime(p.time) })));
      parts.lineDrawn.set(name, { epoch: points.epoch, last: all.at(-1)?.time ?? -Infinity });
      continue;
    }
    // only the points from the bar of the last one drawn on
    for (let i = points.indexFrom(drawn.last * 1000); i < points.length; i++) {
      const p = points.at(i)!;
      const time = seconds(Math.floor(p.ts / timeframeMs) * timeframeMs);
      if (time < drawn.last) continue;
      line.update({ time: asTime(time), value: p.value });
      drawn.last = time;
    }
  }
}

/** Horizontal lines at the open position's entry, stop and target (only the levels it has). */
export function drawLevels(parts: ChartParts, position: Position | undefined): void {
  for (const line of parts.levels) parts.candles.removePriceLine(line);
  parts.levels = [];
  if (!position) return;
  const levels: Array<[number | null | undefined, string, string]> = [
    [position.avgPrice, 'entry', '#4aa3ff'],
    [position.stopPrice, 'stop', DOWN_COLOR],
    [position.targetPrice, 'target', UP_COLOR],
  ];
  for (const [price, title, color] of levels) {
    if (price === null || price === undefined || !(price > 0)) continue;
    parts.levels.push(
      parts.candles.createPriceLine({
        price,
        title,
        color,
        lineWidth: 1,
        lineStyle: LineStyle.Dashed,
        axisLabelVisible: true,
      }),
    );
  }
}
