/** The dark look shared by every chart on the dashboard. */
import { ColorType, type ChartOptions, type DeepPartial } from 'lightweight-charts';

export const CHART_THEME: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: {
    background: { type: ColorType.Solid, color: 'transparent' },
    textColor: '#8b97a8',
    fontFamily: 'Inter, "Segoe UI", system-ui, sans-serif',
    fontSize: 11,
    attributionLogo: false,
  },
  grid: { vertLines: { color: '#1c2431' }, horzLines: { color: '#1c2431' } },
  rightPriceScale: { borderColor: '#263042' },
  timeScale: { borderColor: '#263042', timeVisible: true, secondsVisible: false },
  crosshair: {
    horzLine: { labelBackgroundColor: '#2b3547' },
    vertLine: { labelBackgroundColor: '#2b3547' },
  },
};

export const LINE_COLORS = ['#f0b90b', '#4aa3ff', '#c678dd', '#56d4c3', '#ff8f5a', '#9ccc65'];
