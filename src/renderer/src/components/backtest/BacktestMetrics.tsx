import { useTranslation } from 'react-i18next';
import type { BacktestResult } from '../../../../core/api/backtest.ts';
import { formatCount, formatDateTime } from '../../format.ts';
import { METRIC_ROWS, toneClass } from './metrics-format.ts';

export function BacktestMetrics({ result }: { result: BacktestResult }) {
  const { t } = useTranslation();
  const m = result.metrics;
  return (
    <section
      className="card"
      data-testid="backtest-metrics"
      aria-label={t('backtest.metricsLabel')}
    >
      <header className="card-head">
        <h2>
          {result.strategy.id} · {result.symbols.join(', ')} · {result.timeframe}
        </h2>
        <span className="muted">
          {t('backtest.range', {
            from: formatDateTime(result.from),
            to: formatDateTime(result.to),
            candles: formatCount(result.candles),
            ms: formatCount(Math.round(result.elapsedMs)),
          })}
        </span>
      </header>
      <div className="metrics">
        {METRIC_ROWS.map((r) => (
          <div className="stat" key={r.key}>
            <div className="stat-label">{t(`backtest.metric.${r.key}`)}</div>
            <div className={`stat-value ${toneClass(r.tone?.(m))}`} data-testid={`metric-${r.key}`}>
              {r.show(m)}
            </div>
          </div>
        ))}
      </div>
      {result.warnings.length > 0 ? (
        <ul className="warnings">
          {result.warnings.map((w) => (
            <li key={w} className="muted">
              {w}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
