import { useTranslation } from 'react-i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MouseEventParams, Time } from 'lightweight-charts';
import { TIMEFRAME_MS } from '../../../core/api/timeframes.ts';
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
import type { SymbolSeries } from '../state/market-store.ts';
import { createParts, draw, drawLevels, type ChartParts } from './chart-draw.ts';
import { ChartLegend } from './ChartLegend.tsx';
import { SymbolTabs } from './SymbolTabs.tsx';
import { useChartTheme } from './use-chart-theme.ts';

const NO_SERIES: SymbolSeries = { candles: [], liveFrom: null, fills: [], indicators: {} };

export function CandleChart() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const liveSelected = useMarket((s) => s.selected);
  const liveData = useMarket((s) => (s.selected ? s.series[s.selected] : undefined));
  const runningConfig = useBot((s) => s.status?.config ?? null);
  const savedConfig = useSettings((s) => s.settings?.bot ?? null);
  // an earlier run picked: its own candles, pair and markers (run-chart.ts), not the live feed
  const pastRun = useRuns((s) => s.runs.find((r) => r.id === s.picked) ?? null);
  const runChart = useRunChart((s) => s);
  const viewing = pastRun !== null && runChart.runId === pastRun.id;
  const selected = viewing ? runChart.symbol : liveSelected;
  const data = viewing ? (runChart.series ?? undefined) : liveData;
  const livePosition = usePositions((s) => s.positions.find((p) => p.symbol === selected));
  const position = viewing ? undefined : livePosition;
  const config = pastRun ? pastRun.config : (runningConfig ?? savedConfig);
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

  useChartTheme(() => parts.current?.chart);

  useEffect(() => {
    if (!parts.current || !selected) return;
    // No series (history failed, or the source changed): clear the chart rather than leave stale candles.
    draw(parts.current, selected, data ?? NO_SERIES, TIMEFRAME_MS[timeframe]);
    // what the canvas holds, for UI tests (they cannot read the canvas)
    container.current!.dataset.drawnCandles = String(parts.current.shown.count);
    container.current!.dataset.drawnFills = String(data?.fills.length ?? 0);
  }, [selected, data, timeframe]);

  useEffect(() => {
    if (parts.current) drawLevels(parts.current, position);
  }, [position]);

  const candles = data?.candles;
  const readout = useMemo(
    () => (candles ? barReadout(candles, data?.indicators ?? {}, hover) : null),
    [candles, data?.indicators, hover],
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
        <span className="muted">
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
