import { useTranslation } from 'react-i18next';
import { useApp, useBot, useRuns } from '../app-context.ts';
import { formatDateTime } from '../format.ts';

/** Which run the tables, charts and statistics show: the current one, or an earlier one. */
export function RunSelector() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const runs = useRuns((s) => s.runs);
  const picked = useRuns((s) => s.picked);
  const current = useBot((s) => s.status?.runId ?? null);
  return (
    <label className="run-selector">
      <span>{t('dashboard.run')}</span>
      <select
        aria-label={t('dashboard.runShown')}
        value={picked ?? ''}
        onChange={(e) => void commands.viewRun(e.target.value || null)}
        data-testid="run-selector"
      >
        <option value="">
          {current ? t('dashboard.currentRun') : t('dashboard.currentRunNone')}
        </option>
        {runs
          .filter((r) => r.id !== current)
          .map((r) => (
            <option key={r.id} value={r.id}>
              {t('dashboard.runOption', {
                time: formatDateTime(r.startedAt),
                strategy: r.config.strategy.id,
                fills: r.fills,
              })}
            </option>
          ))}
      </select>
    </label>
  );
}
