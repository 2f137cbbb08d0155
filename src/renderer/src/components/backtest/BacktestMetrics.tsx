import { useTranslation } from 'react-i18next';
import type { BacktestResult } from '../../../../core/api/backtest.ts';
import { formatCount, formatDateTime } from '../../format.ts';
import { METRIC_ROWS, paramsText, strategyLabel, toneClass } from './metrics-format.ts';

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
          {strategyLabel(result.strategy)} · {result.symbols.join(', ')} · {result.timeframe}
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
      {result.grid ? <GridRanking grid={result.grid} /> : null}
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

/** Every combination of a grid, best first: which parameters the result above is, and how close the others came. */
function GridRanking({ grid }: { grid: NonNullable<BacktestResult['grid']> }) {
  const { t } = useTranslation();
  const shown = ['totalReturnPct', 'maxDrawdownPct', 'trades', 'winRatePct'] as const;
  const rows = METRIC_ROWS.filter((r) => (shown as readonly string[]).includes(r.key));
  return (
    <div className="table-scroll">
      <h3>{t('backtest.gridRanking', { n: grid.rows.length })}</h3>
      <table data-testid="backtest-grid">
        <thead>
          <tr>
            <th scope="col">{t('backtest.gridParams')}</th>
            {rows.map((r) => (
              <th scope="col" key={r.key} className="num">
                {t(`backtest.metric.${r.key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((g, i) => (
            <tr key={i} className={i === 0 ? 'selected' : undefined}>
              <td>{paramsText(g.params)}</td>
              {rows.map((r) => (
                <td key={r.key} className={`num ${toneClass(r.tone?.(g.metrics))}`}>
                  {r.show(g.metrics)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
