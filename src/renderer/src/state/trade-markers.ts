/** A backtest's trades as chart markers: entry ▲ below the bar, exit ▼ above it, on the candle they happened in. */
import type { BacktestTrade } from '../../../core/api/backtest.ts';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../core/api/schemas.ts';
import { DOWN_COLOR, UP_COLOR, type FillMarker } from './chart-data.ts';

export function tradeMarkers(
  trades: readonly BacktestTrade[],
  symbol: string,
  candles: readonly Candle[],
  timeframe: Timeframe,
): FillMarker[] {
  const first = candles[0]?.ts;
  const last = candles.at(-1)?.ts;
  if (first === undefined || last === undefined) return [];
  const tf = TIMEFRAME_MS[timeframe];
  const bar = (ts: number) => Math.floor(Math.floor(ts / tf) * tf) / 1000;
  const inside = (ts: number) => ts >= first && ts < last + tf;
  const out: FillMarker[] = [];
  for (const tr of trades) {
    if (tr.symbol !== symbol) continue;
    if (inside(tr.entryTs))
      out.push({
        time: bar(tr.entryTs),
        position: 'belowBar',
        shape: 'arrowUp',
        color: UP_COLOR,
        text: '',
      });
    if (inside(tr.exitTs))
      out.push({
        time: bar(tr.exitTs),
        position: 'aboveBar',
        shape: 'arrowDown',
        color: tr.pnl >= 0 ? UP_COLOR : DOWN_COLOR,
        text: '',
      });
  }
  return out.sort((a, b) => a.time - b.time);
}
