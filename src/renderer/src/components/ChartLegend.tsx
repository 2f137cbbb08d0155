import { formatDateTime, formatFixed, formatPrice, formatVolume } from '../format.ts';
import { overlaysPrice, type BarReadout } from '../state/chart-data.ts';

/** OHLC, volume and indicator values of the bar under the cursor (the newest bar otherwise). */
export function ChartLegend({ bar, timeframe }: { bar: BarReadout | null; timeframe: string }) {
  if (!bar) return null;
  const tone = bar.close >= bar.open ? 'up' : 'down';
  return (
    <div className="chart-legend" data-testid="chart-legend" aria-live="off">
      <span className="tf">{timeframe}</span>
      <span className="muted">{formatDateTime(bar.time)}</span>
      <span>
        O <b className={tone}>{formatFixed(bar.open, bar.precision)}</b>
      </span>
      <span>
        H <b className={tone}>{formatFixed(bar.high, bar.precision)}</b>
      </span>
      <span>
        L <b className={tone}>{formatFixed(bar.low, bar.precision)}</b>
      </span>
      <span>
        C{' '}
        <b className={tone} data-testid="legend-close">
          {formatFixed(bar.close, bar.precision)}
        </b>
      </span>
      <span>
        V <b>{formatVolume(bar.volume)}</b>
      </span>
      {bar.indicators.map((i) => (
        <span key={i.name}>
          {i.name}{' '}
          <b>
            {overlaysPrice(i.value, bar.close)
              ? formatFixed(i.value, bar.precision)
              : formatPrice(i.value)}
          </b>
        </span>
      ))}
    </div>
  );
}
