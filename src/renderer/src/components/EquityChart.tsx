import { useEffect, useRef } from 'react';
import {
  AreaSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useJournal } from '../app-context.ts';
import { equityData } from '../state/chart-data.ts';
import { Card } from './Card.tsx';
import { CHART_THEME } from './chart-theme.ts';

export function EquityChart() {
  const equity = useJournal((s) => s.equity);
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<{ chart: IChartApi; area: ISeriesApi<'Area'> } | null>(null);

  useEffect(() => {
    const chart = createChart(container.current!, {
      ...CHART_THEME,
      handleScroll: false,
      handleScale: false,
      timeScale: { ...CHART_THEME.timeScale, visible: false },
      rightPriceScale: { ...CHART_THEME.rightPriceScale, scaleMargins: { top: 0.15, bottom: 0.1 } },
    });
    const area = chart.addSeries(AreaSeries, {
      lineColor: '#4aa3ff',
      topColor: 'rgba(74, 163, 255, 0.35)',
      bottomColor: 'rgba(74, 163, 255, 0.02)',
      lineWidth: 2,
      priceLineVisible: false,
    });
    series.current = { chart, area };
    return () => {
      series.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    if (!series.current) return;
    series.current.area.setData(
      equityData(equity).map((p) => ({ time: p.time as UTCTimestamp, value: p.value })),
    );
    series.current.chart.timeScale().fitContent();
  }, [equity]);

  return (
    <Card title="Equity" aside={`${equity.length} points`}>
      <div className="chart mini" ref={container} data-testid="equity-chart">
        {equity.length === 0 ? <div className="chart-empty">No equity recorded yet</div> : null}
      </div>
    </Card>
  );
}
