import { formatAxis, formatDateTime, formatPrice } from '../format.ts';
import type { BarReadout } from '../state/chart-data.ts';

/** OHLC, volume and indicator values of the bar under the cursor (the newest bar otherwise). */
export function ChartLegend({ bar, timeframe }: { bar: BarReadout | null; timeframe: string }) {
  if (!bar) return null;
  const tone = bar.close >= bar.open ? 'up' : 'down';
  return (
    <div className="chart-legend" data-testid="chart-legend" aria-live="off">
      <span className="tf">{timeframe}</span>
      <span className="muted">{formatDateTime(bar.time)}</span>
      <span>
        O <b className={tone}>{formatPrice(bar.open)}</b>
      </span>
      <span>
        H <b className={tone}>{formatPrice(bar.high)}</b>
      </span>
      <span>
        L <b className={tone}>{formatPrice(bar.low)}</b>
      </span>
      <span>
        C{' '}
        <b className={tone} data-testid="legend-close">
          {formatPrice(bar.close)}
        </b>
      </span>
      <span>
        V <b>{formatAxis(Number(bar.volume.toPrecision(4)))}</b>
      </span>
      {bar.indicators.map((i) => (
        <span key={i.name}>
          {i.name} <b>{formatPrice(i.value)}</b>
        </span>
      ))}
    </div>
  );
}
