import { useTranslation } from 'react-i18next';
import { useJournal, useRuns } from '../app-context.ts';
import { formatCount, formatDateTime, formatMoney, formatSigned } from '../format.ts';
import { Stat } from './Stat.tsx';
import { reasonWords } from '../state/reason-words.ts';
import { runPnl } from '../state/run-pnl.ts';

/** The statistics of an earlier run, from its journal record. */
export function PastRunStats({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const run = useRuns((s) => s.runs.find((r) => r.id === runId));
  const last = useJournal((s) => s.equity.at(-1) ?? null);
  const first = useJournal((s) => s.equity[0] ?? null);
  if (!run)
    return (
      <section className="card stats-card muted">
        {t('dashboard.runNotFound', { id: runId })}
      </section>
    );
  const pnl = runPnl(run, { first, last });
  return (
    <section className="card stats-card" data-testid="past-run-stats">
      <div className="stats">
        <Stat label={t('dashboard.orders')} value={formatCount(run.orders)} testId="orders" />
        <Stat label={t('dashboard.fills')} value={formatCount(run.fills)} testId="fills" />
        <Stat
          label={t('dashboard.finalEquity')}
          value={formatMoney(last?.equity)}
          testId="equity"
        />
        <Stat
          label={t('dashboard.pnlInRun')}
          value={pnl === null ? '—' : formatSigned(pnl)}
          tone={pnl === null || Math.abs(pnl) < 0.005 ? '' : pnl > 0 ? 'up' : 'down'}
          testId="pnl"
        />
      </div>
      <dl className="facts">
        <dt>{t('dashboard.strategy')}</dt>
        <dd>
          {run.config.strategy.id} · {run.config.timeframe} · {run.config.symbols.join(', ')}
        </dd>
        <dt>{t('dashboard.started')}</dt>
        <dd>{formatDateTime(run.startedAt)}</dd>
        <dt>{t('dashboard.ended')}</dt>
        <dd>
          {run.endedAt ? formatDateTime(run.endedAt) : t('dashboard.noEnd')}
          {run.endReason ? ` · “${reasonWords(run.endReason)}”` : ''}
        </dd>
      </dl>
    </section>
  );
}
