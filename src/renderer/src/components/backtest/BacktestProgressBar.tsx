import { useBacktest } from '../../app-context.ts';

const PHASE = { loading: 'Loading candles', running: 'Running', done: 'Done' } as const;

export function BacktestProgressBar() {
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
        aria-label="Backtest progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="progress-track"
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="muted">
        {p ? `${PHASE[p.phase]} · ${p.done} of ${p.total}` : 'Starting…'}
        {p?.message ? ` · ${p.message}` : ''}
      </span>
    </div>
  );
}
