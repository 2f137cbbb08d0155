import { useJournal, useRuns } from '../app-context.ts';
import { formatCount, formatDateTime, formatMoney, formatSigned } from '../format.ts';
import { Stat } from './Stat.tsx';

/** The statistics of an earlier run, from its journal record. */
export function PastRunStats({ runId }: { runId: string }) {
  const run = useRuns((s) => s.runs.find((r) => r.id === runId));
  const last = useJournal((s) => s.equity.at(-1) ?? null);
  const first = useJournal((s) => s.equity[0] ?? null);
  if (!run) return <section className="card stats-card muted">Run {runId} not found</section>;
  const pnl = last && first ? last.equity - first.equity : null;
  return (
    <section className="card stats-card" data-testid="past-run-stats">
      <div className="stats">
        <Stat label="Orders" value={formatCount(run.orders)} testId="orders" />
        <Stat label="Fills" value={formatCount(run.fills)} testId="fills" />
        <Stat label="Final equity" value={formatMoney(last?.equity)} testId="equity" />
        <Stat
          label="PnL in run"
          value={pnl === null ? '—' : formatSigned(pnl)}
          tone={pnl === null || Math.abs(pnl) < 0.005 ? '' : pnl > 0 ? 'up' : 'down'}
          testId="pnl"
        />
      </div>
      <dl className="facts">
        <dt>Strategy</dt>
        <dd>
          {run.config.strategy.id} · {run.config.timeframe} · {run.config.symbols.join(', ')}
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(run.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>
          {run.endedAt ? formatDateTime(run.endedAt) : 'did not record its end'}
          {run.endReason ? ` · “${run.endReason}”` : ''}
        </dd>
      </dl>
    </section>
  );
}
