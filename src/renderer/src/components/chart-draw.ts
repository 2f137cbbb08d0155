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
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Position } from '../../../core/api/schemas.ts';
import {
  candleData,
  DOWN_COLOR,
  drawnCandles,
  fillMarkers,
  indicatorData,
  newBarsFrom,
  overlaysPrice,
  UP_COLOR,
  volumeData,
  type DrawnCandles,
} from '../state/chart-data.ts';
import type { SymbolSeries } from '../state/market-store.ts';
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
  /** Per line: the time of its last point drawn. */
  lineLast: Map<string, number>;
  levels: IPriceLine[];
  shown: DrawnCandles;
  /** Bars the series hold (updates add to them; a redraw trims them to the store's). */
  held: number;
  /** The fills the markers were made from. */
  markedFills: SymbolSeries['fills'] | null;
}

const asTime = (t: number) => t as UTCTimestamp;

export function createParts(container: HTMLElement): ChartParts {
  const chart = createChart(container, CHART_THEME);
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: UP_COLOR,
    downColor: DOWN_COLOR,
    borderVisible: false,
    wickUpColor: UP_COLOR,
    wickDownColor: DOWN_COLOR,
  });
  const volume = chart.addSeries(
    HistogramSeries,
    { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false },
    1,
  );
  chart.panes()[1]?.setHeight(70);
  return {
    chart,
    candles,
    volume,
    markers: createSeriesMarkers(candles, []),
    lines: new Map(),
    lineLast: new Map(),
    levels: [],
    shown: { symbol: null, count: 0, first: null, last: null },
    held: 0,
    markedFills: null,
  };
}

export function draw(parts: ChartParts, symbol: string, data: SymbolSeries, timeframeMs: number) {
  const candles = candleData(data.candles);
  const { shown } = parts;
  // New bars are handed over one by one (cheap at 6000×); a redraw now and then trims the
  // series back to what the store keeps.
  const from = parts.held < candles.length * 1.5 ? newBarsFrom(shown, symbol, candles) : null;
  const redraw = from === null;
  if (!redraw) {
    const volume = volumeData(data.candles.slice(from));
    for (let i = from; i < candles.length; i++) {
      parts.candles.update({ ...candles[i]!, time: asTime(candles[i]!.time) });
      const v = volume[i - from]!;
      parts.volume.update({ ...v, time: asTime(v.time) });
    }
    parts.held += candles.length - 1 - from;
  } else {
    parts.candles.setData(candles.map((c) => ({ ...c, time: asTime(c.time) })));
    parts.volume.setData(volumeData(data.candles).map((v) => ({ ...v, time: asTime(v.time) })));
    parts.held = candles.length;
  }
  if (shown.symbol !== symbol && candles.length > 0) {
    parts.chart
      .timeScale()
      .setVisibleLogicalRange({ from: candles.length - VISIBLE_BARS, to: candles.length + 3 });
  }
  parts.shown = drawnCandles(symbol, candles);

  // markers change with the fills (or a redraw), not with every new bar
  if (redraw || parts.markedFills !== data.fills) {
    parts.markedFills = data.fills;
    parts.markers.setMarkers(
      fillMarkers(data.fills, data.candles, timeframeMs).map((m) => ({
        ...m,
        time: asTime(m.time),
      })),
    );
  }

  for (const [name, line] of parts.lines) {
    if (!(name in data.indicators)) {
      parts.chart.removeSeries(line);
      parts.lines.delete(name);
      parts.lineLast.delete(name);
    }
  }
  for (const [name, points] of Object.entries(data.indicators)) {
    let line = parts.lines.get(name);
    if (!line) {
      const overlay = overlaysPrice(points.at(-1)?.value, data.candles.at(-1)?.close);
      line = parts.chart.addSeries(
        LineSeries,
        {
          color: LINE_COLORS[parts.lines.size % LINE_COLORS.length],
          lineWidth: 1,
          priceLineVisible: false,
          lastValueVisible: !overlay,
          crosshairMarkerVisible: false,
          title: name,
        },
        overlay ? 0 : OSCILLATOR_PANE,
      );
      if (!overlay) parts.chart.panes()[OSCILLATOR_PANE]?.setHeight(90);
      parts.lines.set(name, line);
    }
    const drawnTo = redraw ? undefined : parts.lineLast.get(name);
    if (drawnTo === undefined) {
      const all = indicatorData(points, timeframeMs);
      line.setData(all.map((p) => ({ ...p, time: asTime(p.time) })));
      if (all.length > 0) parts.lineLast.set(name, all.at(-1)!.time);
      continue;
    }
    // only the tail since the last drawn point
    let k = points.length;
    while (k > 0 && points[k - 1]!.ts >= drawnTo * 1000) k--;
    for (const p of indicatorData(points.slice(k), timeframeMs)) {
      if (p.time < drawnTo) continue;
      line.update({ ...p, time: asTime(p.time) });
      parts.lineLast.set(name, p.time);
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
