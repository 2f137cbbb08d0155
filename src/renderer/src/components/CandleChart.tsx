import { useTranslation } from 'react-i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MouseEventParams, Time } from 'lightweight-charts';
import { TIMEFRAME_MS } from '../../../core/api/timeframes.ts';
import { useShallow } from 'zustand/react/shallow';
import {
  useApp,
  useBot,
  useMarket,
  usePositions,
  useRunChart,
  useRuns,
  useSettings,
} from '../app-context.ts';
import { barReadout } from '../state/chart-data.ts';
import { SymbolSeries, type MarketState } from '../state/market-store.ts';
import { throttle } from '../state/throttle.ts';
import { useStoreThrottled } from '../use-store-throttled.ts';
import { createParts, draw, drawLevels, type ChartParts } from './chart-draw.ts';
import { ChartLegend } from './ChartLegend.tsx';
import { SymbolTabs } from './SymbolTabs.tsx';
import { useChartTheme } from './use-chart-theme.ts';

/** Drawn while a symbol has no series (history failed, or the source changed). */
const NO_SERIES = new SymbolSeries();
/** The legend and the candle count follow a streaming chart at most this often. */
const LEGEND_MS = 100;
/**
 * The chart draws new candles at most this often (20 times a second): at a fast clock
 * (6000× is a 1m candle every 10 ms) painting the canvas for each frame's candles is most
 * of the page's work, and no eye follows 100 candles a second. At a calm clock each
 * candle still shows at once (the first change after a quiet spell draws at once).
 */
const CHART_MS = 50;

const shownVersion = (s: MarketState) => (s.selected ? (s.series[s.selected]?.version ?? -1) : -1);

export function CandleChart() {
  const { commands, stores } = useApp();
  const { t } = useTranslation();
  const liveSelected = useMarket((s) => s.selected);
  // the series object changes with a new run or source; its contents change in place
  const liveData = useMarket((s) => (s.selected ? s.series[s.selected] : undefined));
  useStoreThrottled(stores.market, shownVersion, LEGEND_MS);
  // narrow selections: a status arrives 10 times a second with a new config object
  const running = useBot(
    useShallow((s) => {
      const c = s.status?.config;
      return c ? { timeframe: c.timeframe, symbols: c.symbols } : null;
    }),
  );
  const saved = useSettings(
    useShallow((s) => {
      const c = s.settings?.bot;
      return c ? { timeframe: c.timeframe, symbols: c.symbols } : null;
    }),
  );
  // an earlier run picked: its own candles, pair and markers (run-chart.ts), not the live feed
  const pastRun = useRuns((s) => s.runs.find((r) => r.id === s.picked) ?? null);
  const runChart = useRunChart((s) => s);
  const runSeries = runChart.series;
  const viewing = pastRun !== null && runChart.runId === pastRun.id;
  const selected = viewing ? runChart.symbol : liveSelected;
  const data = viewing ? (runChart.series ?? undefined) : liveData;
  const livePosition = usePositions((s) => s.positions.find((p) => p.symbol === selected));
  const position = viewing ? undefined : livePosition;
  const config = pastRun ? pastRun.config : (running ?? saved);
  const timeframe = config?.timeframe ?? '1m';
  const container = useRef<HTMLDivElement>(null);
  const parts = useRef<ChartParts | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [away, setAway] = useState(false);

  useEffect(() => {
    const p = createParts(container.current!);
    parts.current = p;
    const onMove = (param: MouseEventParams<Time>) =>
      setHover(param.time === undefined ? null : Number(param.time));
    p.chart.subscribeCrosshairMove(onMove);
    // "back to latest" shows once the newest bar is scrolled out of view
    const onRange = () => {
      const range = p.chart.timeScale().getVisibleLogicalRange();
      setAway(range !== null && range.to < p.shown.count - 1);
    };
    p.chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      parts.current = null;
      p.chart.remove();
    };
  }, []);

  useChartTheme(() => parts.current?.chart, { seriesFormat: true });

  // The chart follows the store itself, not React: a batch of candles for the symbol shown
  // draws its new bars (once per frame at most: batches are applied once per frame).
  useEffect(() => {
    const p = parts.current;
    if (!p || !selected) return;
    let drawn: { series: SymbolSeries; version: number } | null = null;
    const paint = () => {
      // No series (history failed, or the source changed): clear the chart rather than leave stale candles.
      const series = (viewing ? runSeries : stores.market.getState().series[selected]) ?? NO_SERIES;
      if (drawn?.series === series && drawn.version === series.version) return;
      drawn = { series, version: series.version };
      draw(p, selected, series, TIMEFRAME_MS[timeframe]);
      // what the canvas holds, for UI tests (they cannot read the canvas)
      container.current!.dataset.drawnCandles = String(p.shown.count);
      container.current!.dataset.drawnFills = String(series.fills.length);
    };
    paint();
    if (viewing) return; // an earlier run's chart does not change
    const follow = throttle(paint, CHART_MS);
    const off = stores.market.subscribe(follow);
    return () => {
      off();
      follow.cancel();
    };
  }, [stores.market, selected, timeframe, viewing, runSeries]);

  useEffect(() => {
    if (parts.current) drawLevels(parts.current, position);
  }, [position]);

  // read at render time: renders follow the series' version (throttled) and the cursor
  const candles = data?.candles;
  const indicators = data?.indicators;
  const readout = useMemo(
    () => (candles ? barReadout(candles, indicators ?? {}, hover) : null),
    [candles, indicators, hover],
  );
  return (
    <section
      className="card chart-card"
      data-testid="chart-card"
      data-run={viewing ? pastRun.id : 'current'}
    >
      <header className="card-head">
        <SymbolTabs
          symbols={config?.symbols ?? []}
          selected={selected}
          onSelect={(s) => commands.selectSymbol(s)}
        />
        <span className="muted chart-count">
          <span className="tf-badge" data-testid="timeframe" title={t('dashboard.timeframe')}>
            {timeframe}
          </span>{' '}
          · <span data-testid="candle-count">{candles?.length ?? 0}</span> {t('dashboard.candles')}
        </span>
      </header>
      <div className="chart-wrap">
        <ChartLegend bar={readout} timeframe={timeframe} />
        <div className="chart" ref={container} data-testid="candle-chart">
          {candles?.length ? null : (
            <div className="chart-empty">
              {!viewing
                ? t('dashboard.noCandles')
                : runChart.status === 'loading'
                  ? t('common.loading')
                  : runChart.status === 'error'
                    ? runChart.error
                    : t('runView.noRange')}
            </div>
          )}
        </div>
        {away ? (
          <button
            className="btn small back-to-latest"
            onClick={() => parts.current?.chart.timeScale().scrollToRealTime()}
          >
            {t('dashboard.backToLatest')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
