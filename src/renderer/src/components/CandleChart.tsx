import { useEffect, useRef } from 'react';
import {
  CandlestickSeries,
  LineSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { TIMEFRAME_MS } from '../../../core/api/timeframes.ts';
import { useApp, useBot, useMarket, useSettings } from '../app-context.ts';
import {
  candleData,
  DOWN_COLOR,
  drawnCandles,
  fillMarkers,
  indicatorData,
  onlyNewestBar,
  UP_COLOR,
  type DrawnCandles,
} from '../state/chart-data.ts';
import type { SymbolSeries } from '../state/market-store.ts';
import { CHART_THEME, LINE_COLORS } from './chart-theme.ts';

const VISIBLE_BARS = 120;
const NO_SERIES: SymbolSeries = { candles: [], liveFrom: null, fills: [], indicators: {} };

interface ChartParts {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  markers: ISeriesMarkersPluginApi<Time>;
  lines: Map<string, ISeriesApi<'Line'>>;
  shown: DrawnCandles;
}

const asTime = (t: number) => t as UTCTimestamp;

function draw(parts: ChartParts, symbol: string, data: SymbolSeries, timeframeMs: number): void {
  const candles = candleData(data.candles);
  const last = candles[candles.length - 1];
  const { shown } = parts;
  if (last && onlyNewestBar(shown, symbol, candles))
    parts.candles.update({ ...last, time: asTime(last.time) });
  else parts.candles.setData(candles.map((c) => ({ ...c, time: asTime(c.time) })));
  if (shown.symbol !== symbol && candles.length > 0) {
    parts.chart
      .timeScale()
      .setVisibleLogicalRange({ from: candles.length - VISIBLE_BARS, to: candles.length + 3 });
  }
  parts.shown = drawnCandles(symbol, candles);

  parts.markers.setMarkers(
    fillMarkers(data.fills, data.candles, timeframeMs).map((m) => ({ ...m, time: asTime(m.time) })),
  );

  for (const [name, line] of parts.lines) {
    if (!(name in data.indicators)) {
      parts.chart.removeSeries(line);
      parts.lines.delete(name);
    }
  }
  for (const [name, points] of Object.entries(data.indicators)) {
    let line = parts.lines.get(name);
    if (!line) {
      line = parts.chart.addSeries(LineSeries, {
        color: LINE_COLORS[parts.lines.size % LINE_COLORS.length],
        lineWidth: 1,
        priceLineVisible: false,
        lastValueVisible: false,
        crosshairMarkerVisible: false,
        title: name,
      });
      parts.lines.set(name, line);
    }
    line.setData(indicatorData(points, timeframeMs).map((p) => ({ ...p, time: asTime(p.time) })));
  }
}

export function CandleChart() {
  const { commands } = useApp();
  const selected = useMarket((s) => s.selected);
  const data = useMarket((s) => (s.selected ? s.series[s.selected] : undefined));
  const runningConfig = useBot((s) => s.status?.config ?? null);
  const savedConfig = useSettings((s) => s.settings?.bot ?? null);
  const config = runningConfig ?? savedConfig;
  const timeframe = config?.timeframe ?? '1m';
  const container = useRef<HTMLDivElement>(null);
  const parts = useRef<ChartParts | null>(null);

  useEffect(() => {
    const chart = createChart(container.current!, CHART_THEME);
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: UP_COLOR,
      downColor: DOWN_COLOR,
      borderVisible: false,
      wickUpColor: UP_COLOR,
      wickDownColor: DOWN_COLOR,
    });
    parts.current = {
      chart,
      candles,
      markers: createSeriesMarkers(candles, []),
      lines: new Map(),
      shown: { symbol: null, count: 0, first: null, last: null },
    };
    return () => {
      parts.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    // No series (history failed, or the source changed): clear the chart rather than leave stale candles.
    if (!parts.current || !selected) return;
    draw(parts.current, selected, data ?? NO_SERIES, TIMEFRAME_MS[timeframe]);
    // what the canvas holds, for UI tests (they cannot read the canvas)
    container.current!.dataset.drawnCandles = String(parts.current.shown.count);
  }, [selected, data, timeframe]);

  const last = data?.candles[data.candles.length - 1];
  return (
    <section className="card chart-card">
      <header className="card-head">
        <div className="symbol-tabs" role="tablist" aria-label="Symbol">
          {(config?.symbols ?? []).map((symbol) => (
            <button
              key={symbol}
              role="tab"
              aria-selected={symbol === selected}
              className={symbol === selected ? 'tab active' : 'tab'}
              onClick={() => commands.selectSymbol(symbol)}
            >
              {symbol}
            </button>
          ))}
        </div>
        <span className="muted">
          {timeframe} · <span data-testid="candle-count">{data?.candles.length ?? 0}</span> candles
          {last ? ` · last ${last.close.toPrecision(6)}` : ''}
        </span>
      </header>
      <div className="chart" ref={container} data-testid="candle-chart">
        {last ? null : <div className="chart-empty">No candles yet</div>}
      </div>
    </section>
  );
}
