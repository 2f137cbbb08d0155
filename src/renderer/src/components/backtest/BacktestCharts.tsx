import { useTranslation } from 'react-i18next';
import { useEffect, useRef } from 'react';
import {
  AreaSeries,
  BaselineSeries,
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { BacktestResult } from '../../../../core/api/backtest.ts';
import type { Candle } from '../../../../core/api/schemas.ts';
import { useBacktest } from '../../app-context.ts';
import {
  candleData,
  DOWN_COLOR,
  drawdownData,
  equityData,
  UP_COLOR,
} from '../../state/chart-data.ts';
import { tradeMarkers } from '../../state/trade-markers.ts';
import { Card } from '../Card.tsx';
import { formatAxis } from '../../format.ts';
import { useTheme } from '../../theme.ts';
import { chartOptions } from '../chart-theme.ts';

const t = (s: number) => s as UTCTimestamp;

/** A chart made once per mount and filled by `fill` whenever its inputs change. */
function useChart(fill: (chart: IChartApi) => () => void, deps: unknown[]) {
  const box = useRef<HTMLDivElement>(null);
  // made anew in the other theme when it changes
  const theme = useTheme();
  useEffect(() => {
    const look = { ...chartOptions(theme), localization: { priceFormatter: formatAxis } };
    // the whole period in view: bars may be thinner than a pixel
    const chart = createChart(box.current!, {
      ...look,
      timeScale: { ...look.timeScale, minBarSpacing: 0.001 },
    });
    const cleanup = fill(chart);
    chart.timeScale().fitContent();
    return () => {
      cleanup();
      chart.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, theme]);
  return box;
}

function PriceChart({ result, candles }: { result: BacktestResult; candles: Candle[] }) {
  const { t: tr } = useTranslation();
  const symbol = result.symbols[0] ?? '';
  const box = useChart(
    (chart) => {
      const series = chart.addSeries(CandlestickSeries, {
        upColor: UP_COLOR,
        downColor: DOWN_COLOR,
        borderVisible: false,
        wickUpColor: UP_COLOR,
        wickDownColor: DOWN_COLOR,
      });
      series.setData(candleData(candles).map((c) => ({ ...c, time: t(c.time) })));
      const markers = tradeMarkers(result.trades, symbol, candles, result.timeframe);
      const plugin = createSeriesMarkers(
        series,
        markers.map((m) => ({ ...m, time: t(m.time) })),
      );
      return () => plugin.detach();
    },
    [result, candles],
  );
  return (
    <Card title={tr('backtest.priceChart', { symbol })} className="bt-chart">
      <div className="chart" ref={box} data-testid="backtest-price-chart">
        {candles.length === 0 ? (
          <div className="chart-empty">{tr('backtest.noCandles')}</div>
        ) : null}
      </div>
    </Card>
  );
}

function EquityDrawdownChart({ result }: { result: BacktestResult }) {
  const { t: tr } = useTranslation();
  const box = useChart(
    (chart) => {
      const equity = chart.addSeries(AreaSeries, {
        lineColor: '#4aa3ff',
        topColor: 'rgba(74, 163, 255, 0.35)',
        bottomColor: 'rgba(74, 163, 255, 0.02)',
        lineWidth: 2,
        priceLineVisible: false,
        title: 'equity',
      });
      equity.setData(equityData(result.equity).map((p) => ({ ...p, time: t(p.time) })));
      const dd = chart.addSeries(
        BaselineSeries,
        {
          baseValue: { type: 'price', price: 0 },
          bottomLineColor: DOWN_COLOR,
          bottomFillColor1: 'rgba(239, 83, 80, 0.05)',
          bottomFillColor2: 'rgba(239, 83, 80, 0.35)',
          priceLineVisible: false,
          title: 'drawdown %',
        },
        1,
      );
      dd.setData(drawdownData(result.equity).map((p) => ({ ...p, time: t(p.time) })));
      chart.panes()[1]?.setHeight(90);
      return () => {};
    },
    [result],
  );
  return (
    <Card title={tr('backtest.equityChart')} className="bt-chart">
      <div className="chart" ref={box} data-testid="backtest-equity-chart" />
    </Card>
  );
}

export function BacktestCharts({ result }: { result: BacktestResult }) {
  const candles = useBacktest((s) => s.candles);
  return (
    <div className="bt-charts">
      <PriceChart result={result} candles={candles} />
      <EquityDrawdownChart result={result} />
    </div>
  );
}
