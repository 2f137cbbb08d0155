import { useTranslation } from 'react-i18next';
import { useApp, useRuns } from '../app-context.ts';
import { formatDateTime } from '../format.ts';

/** An earlier run is shown (chart, tables, statistics): which one, and the way back to the current run. */
export function RunViewBanner() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const runs = useRuns((s) => s.runs);
  const picked = useRuns((s) => s.picked);
  const index = runs.findIndex((r) => r.id === picked);
  const run = runs[index];
  if (!picked || !run) return null;
  // runs are listed newest first: the oldest is #1
  const n = runs.length - index;
  return (
    <div className="run-view" role="status" data-testid="run-view" data-run={run.id}>
      <span>
        <strong>
          {t('runView.viewing', {
            n,
            strategy: run.config.strategy.id,
            started: formatDateTime(run.startedAt),
          })}
        </strong>
        {' · '}
        {run.endedAt
          ? t('runView.ended', { time: formatDateTime(run.endedAt) })
          : t('runView.notEnded')}
        {run.marketFrom !== null && run.marketFrom !== undefined
          ? ` (${t('runView.marketTime', {
              from: formatDateTime(run.marketFrom),
              to: formatDateTime(run.marketTo ?? run.marketFrom),
            })})`
          : ''}
        {'. '}
        <span className="muted">{t('runView.chartOf')}</span>
      </span>
      <button className="btn small" onClick={() => void commands.viewRun(null)}>
        {t('runView.back')}
      </button>
    </div>
  );
}
