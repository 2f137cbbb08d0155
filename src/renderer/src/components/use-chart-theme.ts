/**
 * Keeps a chart's colours in step with the theme and its labels in the user's locale
 * (decimal comma in Swedish); call it after the effect that creates the chart.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { IChartApi } from 'lightweight-charts';
import { formatAxis, formatLocale } from '../format.ts';
import { useTheme } from '../theme.ts';
import { chartColors } from './chart-theme.ts';

export function useChartTheme(
  chart: () => IChartApi | null | undefined,
  /** The series format their own labels (the candle chart: price decimals by magnitude). */
  { seriesFormat = false }: { seriesFormat?: boolean } = {},
): void {
  const theme = useTheme();
  const { i18n } = useTranslation();
  useEffect(() => {
    const c = chart();
    if (!c) return;
    c.applyOptions({
      ...chartColors(theme),
      localization: seriesFormat
        ? { locale: formatLocale() }
        : { locale: formatLocale(), priceFormatter: formatAxis },
    });
    // what the canvas is drawn with, for UI tests (they cannot read the canvas)
    c.chartElement().parentElement?.setAttribute('data-chart-theme', theme);
    // the getter is read when the theme changes; a new arrow each render must not re-apply
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, i18n.language]);
}
