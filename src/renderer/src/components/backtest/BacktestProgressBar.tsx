import { useTranslation } from 'react-i18next';
import { useBacktest } from '../../app-context.ts';

export function BacktestProgressBar() {
  const { t } = useTranslation();
  const running = useBacktest((s) => s.running);
  const error = useBacktest((s) => s.error);
  if (error)
    return (
      <span className="field-error" role="alert" data-testid="backtest-error">
        {error}
      </span>
    );
  if (!running) return null;
  const p = running.progress;
  const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : 0;
  return (
    <div className="progress" data-testid="backtest-progress">
      <div
        role="progressbar"
        aria-label={t('backtest.progressLabel')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="progress-track"
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="muted">
        {p
          ? t('backtest.progress', {
              phase: t(`backtest.phase.${p.phase}`),
              done: p.done,
              total: p.total,
            })
          : t('backtest.starting')}
        {p?.message ? ` · ${p.message}` : ''}
      </span>
    </div>
  );
}
