/** The look shared by every chart, in the dark and the light theme. */
import { ColorType, type ChartOptions, type DeepPartial } from 'lightweight-charts';
import type { Theme } from '../theme.ts';

const PALETTE = {
  dark: { text: '#8b97a8', grid: '#1c2431', border: '#263042', label: '#2b3547' },
  light: { text: '#566477', grid: '#e9edf2', border: '#d3d9e2', label: '#5d6b7e' },
} as const;

/** The colours that change with the theme (applied again when it changes). */
export function chartColors(theme: Theme): DeepPartial<ChartOptions> {
  const p = PALETTE[theme];
  return {
    layout: { textColor: p.text },
    grid: { vertLines: { color: p.grid }, horzLines: { color: p.grid } },
    rightPriceScale: { borderColor: p.border },
    timeScale: { borderColor: p.border },
    crosshair: {
      horzLine: { labelBackgroundColor: p.label },
      vertLine: { labelBackgroundColor: p.label },
    },
  };
}

export const CHART_THEME: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: {
    background: { type: ColorType.Solid, color: 'transparent' },
    textColor: PALETTE.dark.text,
    fontFamily: 'Inter, "Segoe UI", system-ui, sans-serif',
    fontSize: 11,
    attributionLogo: false,
  },
  grid: { vertLines: { color: PALETTE.dark.grid }, horzLines: { color: PALETTE.dark.grid } },
  // a steady width: a price label one digit wider would otherwise resize the canvases
  // (and lay out the page again) while prices stream
  rightPriceScale: { borderColor: PALETTE.dark.border, minimumWidth: 72 },
  timeScale: { borderColor: PALETTE.dark.border, timeVisible: true, secondsVisible: false },
  crosshair: {
    horzLine: { labelBackgroundColor: PALETTE.dark.label },
    vertLine: { labelBackgroundColor: PALETTE.dark.label },
  },
};

/** The full look in a theme, for a chart made anew when the theme changes. */
export function chartOptions(theme: Theme): DeepPartial<ChartOptions> {
  const c = chartColors(theme);
  return {
    ...CHART_THEME,
    ...c,
    layout: { ...CHART_THEME.layout, ...c.layout },
    rightPriceScale: { ...CHART_THEME.rightPriceScale, ...c.rightPriceScale },
    timeScale: { ...CHART_THEME.timeScale, ...c.timeScale },
  };
}

export const LINE_COLORS = ['#f0b90b', '#4aa3ff', '#c678dd', '#56d4c3', '#ff8f5a', '#9ccc65'];
