import { useTranslation } from 'react-i18next';
import { useBacktest } from '../app-context.ts';
import { BacktestCharts } from '../components/backtest/BacktestCharts.tsx';
import { BacktestForm } from '../components/backtest/BacktestForm.tsx';
import { BacktestHistory } from '../components/backtest/BacktestHistory.tsx';
import { BacktestMetrics } from '../components/backtest/BacktestMetrics.tsx';
import { BacktestTrades } from '../components/backtest/BacktestTrades.tsx';

/** The form on the left; the result (metrics, charts, trades) and the history on the right. */
export function BacktestView() {
  const { t } = useTranslation();
  const result = useBacktest((s) => s.result);
  return (
    <div className="page backtest-page">
      <div className="bt-side">
        <BacktestForm />
      </div>
      <div className="bt-main">
        {result ? (
          <>
            <BacktestMetrics result={result} />
            <BacktestCharts result={result} />
            <BacktestTrades result={result} />
          </>
        ) : (
          <section className="card muted">{t('backtest.empty')}</section>
        )}
        <BacktestHistory />
      </div>
    </div>
  );
}
