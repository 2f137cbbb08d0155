import { useTranslation } from 'react-i18next';
import { useEffect, useRef } from 'react';
import {
  AreaSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useApp } from '../app-context.ts';
import { equityData } from '../state/chart-data.ts';
import type { JournalState } from '../state/journal-store.ts';
import { useStoreThrottled } from '../use-store-throttled.ts';
import { Card } from './Card.tsx';
import { CHART_THEME } from './chart-theme.ts';
import { useChartTheme } from './use-chart-theme.ts';

const equityOf = (s: JournalState) => s.equity;

export function EquityChart() {
  const { t } = useTranslation();
  // a few times a second is plenty for the small equity chart (each update repaints it)
  const { stores } = useApp();
  const equity = useStoreThrottled(stores.journal, equityOf, 250);
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<{
    chart: IChartApi;
    area: ISeriesApi<'Area'>;
    /** first and last time drawn, and when the view was last fitted */
    first: number | null;
    last: number | null;
    fittedAt: number;
    /** points the series holds (appends add to them; a redraw trims) */
    held: number;
  } | null>(null);

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
    series.current = { chart, area, first: null, last: null, fittedAt: 0, held: 0 };
    return () => {
      series.current = null;
      chart.remove();
    };
  }, []);

  useChartTheme(() => series.current?.chart);

  useEffect(() => {
    const s = series.current;
    if (!s) return;
    const points = equityData(equity);
    const first = points[0]?.time ?? null;
    // appended points go in one by one; anything else (another run, a trimmed start) redraws
    const appended =
      s.last !== null &&
      s.first !== null &&
      first !== null &&
      first >= s.first &&
      s.held < points.length * 1.5;
    if (appended) {
      let i = points.length;
      while (i > 0 && points[i - 1]!.time >= s.last!) i--;
      for (const p of points.slice(i)) s.area.update({ ...p, time: p.time as UTCTimestamp });
      s.held += Math.max(0, points.length - i - 1);
    } else {
      s.area.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
      s.held = points.length;
    }
    s.first = first;
    s.last = points.at(-1)?.time ?? null;
    // fitting the view is the costly part at a fast clock: a few times a second is enough
    const now = performance.now();
    if (now - s.fittedAt > 250) {
      s.chart.timeScale().fitContent();
      s.fittedAt = now;
    }
  }, [equity]);

  return (
    <Card
      title={t('dashboard.equityCard')}
      aside={t('dashboard.equityPoints', { count: equity.length })}
    >
      <div className="chart mini" ref={container} data-testid="equity-chart">
        {equity.length === 0 ? <div className="chart-empty">{t('dashboard.noEquity')}</div> : null}
      </div>
    </Card>
  );
}
