import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';
import { useApp, useBacktest } from '../../app-context.ts';
import { formatDateTime, formatPercent, formatSignedPercent } from '../../format.ts';
import { MAX_COMPARED } from '../../state/backtest-store.ts';
import { Card } from '../Card.tsx';
import { METRIC_ROWS, strategyLabel, toneClass } from './metrics-format.ts';

/** Past backtests: open one, or pick several to compare side by side. */
export function BacktestHistory() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const history = useBacktest((s) => s.history);
  const compare = useBacktest((s) => s.compare);
  const shown = useBacktest((s) => s.result?.id);
  useEffect(() => {
    void commands.refreshHistory().catch(() => {});
  }, [commands]);
  return (
    <Card title={t('backtest.history')} aside={history.length} className="table-card">
      <div className="table-scroll">
        <table data-testid="backtest-history">
          <thead>
            <tr>
              <th scope="col">{t('backtest.col.when')}</th>
              <th scope="col">{t('backtest.col.strategy')}</th>
              <th scope="col">{t('backtest.col.symbols')}</th>
              <th scope="col" className="num">
                {t('backtest.col.return')}
              </th>
              <th scope="col" className="num">
                {t('backtest.col.maxDd')}
              </th>
              <th scope="col" className="num">
                {t('backtest.col.trades')}
              </th>
              <th scope="col">{t('backtest.col.compare')}</th>
            </tr>
          </thead>
          <tbody>
            {history.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  {t('backtest.none')}
                </td>
              </tr>
            ) : (
              history.map((b) => (
                <tr key={b.id} className={b.id === shown ? 'selected' : undefined}>
                  <td className="nowrap">
                    <button className="link" onClick={() => void commands.openBacktest(b.id)}>
                      {formatDateTime(b.createdAt)}
                    </button>
                  </td>
                  <td>
                    {strategyLabel(b.strategy)}
                    {b.grid ? t('backtest.gridMark') : ''}
                  </td>
                  <td className="ellipsis">
                    {b.symbols.join(', ')} · {b.timeframe}
                  </td>
                  <td className={`num ${toneClass(b.totalReturnPct)}`}>
                    {formatSignedPercent(b.totalReturnPct)}
                  </td>
                  <td className="num">{formatPercent(b.maxDrawdownPct, 2)}</td>
                  <td className="num">{b.trades}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('backtest.compareLabel', { time: formatDateTime(b.createdAt) })}
                      checked={compare.some((r) => r.id === b.id)}
                      onChange={() => void commands.compareBacktest(b.id)}
                    />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {compare.length > 0 ? (
        <div className="table-scroll">
          <h3>{t('backtest.sideBySide', { max: MAX_COMPARED })}</h3>
          <table data-testid="backtest-compare">
            <thead>
              <tr>
                <th scope="col">{t('backtest.col.metric')}</th>
                {compare.map((r) => (
                  <th scope="col" key={r.id} className="num">
                    {strategyLabel(r.strategy)} · {formatDateTime(r.createdAt)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {METRIC_ROWS.map((row) => (
                <tr key={row.key}>
                  <td>{t(`backtest.metric.${row.key}`)}</td>
                  {compare.map((r) => (
                    <td key={r.id} className={`num ${toneClass(row.tone?.(r.metrics))}`}>
                      {row.show(r.metrics)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
