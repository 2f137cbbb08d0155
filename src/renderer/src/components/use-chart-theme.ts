/** Keeps a chart's colours in step with the theme; call it after the effect that creates the chart. */
import { useEffect } from 'react';
import type { IChartApi } from 'lightweight-charts';
import { useTheme } from '../theme.ts';
import { chartColors } from './chart-theme.ts';

export function useChartTheme(chart: () => IChartApi | null | undefined): void {
  const theme = useTheme();
  useEffect(() => {
    const c = chart();
    if (!c) return;
    c.applyOptions(chartColors(theme));
    // what the canvas is drawn with, for UI tests (they cannot read the canvas)
    c.chartElement().parentElement?.setAttribute('data-chart-theme', theme);
    // the getter is read when the theme changes; a new arrow each render must not re-apply
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme]);
}
