import type { BacktestResult } from '../../../../core/api/backtest.ts';
import { formatDateTime } from '../../format.ts';
import { METRIC_ROWS, toneClass } from './metrics-format.ts';

export function BacktestMetrics({ result }: { result: BacktestResult }) {
  const m = result.metrics;
  return (
    <section className="card" data-testid="backtest-metrics" aria-label="Backtest metrics">
      <header className="card-head">
        <h2>
          {result.strategy.id} · {result.symbols.join(', ')} · {result.timeframe}
        </h2>
        <span className="muted">
          {formatDateTime(result.from)} → {formatDateTime(result.to)} · {result.candles} candles ·{' '}
          {Math.round(result.elapsedMs)} ms
        </span>
      </header>
      <div className="metrics">
        {METRIC_ROWS.map((r) => (
          <div className="stat" key={r.key}>
            <div className="stat-label">{r.label}</div>
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
