import { useApp, useBot, useRuns } from '../app-context.ts';
import { formatDateTime } from '../format.ts';

/** Which run the tables, charts and statistics show: the current one, or an earlier one. */
export function RunSelector() {
  const { commands } = useApp();
  const runs = useRuns((s) => s.runs);
  const picked = useRuns((s) => s.picked);
  const current = useBot((s) => s.status?.runId ?? null);
  return (
    <label className="run-selector">
      <span>Run</span>
      <select
        aria-label="Run shown"
        value={picked ?? ''}
        onChange={(e) => void commands.viewRun(e.target.value || null)}
        data-testid="run-selector"
      >
        <option value="">Current run{current ? '' : ' (none yet)'}</option>
        {runs
          .filter((r) => r.id !== current)
          .map((r) => (
            <option key={r.id} value={r.id}>
              {formatDateTime(r.startedAt)} · {r.config.strategy.id} · {r.fills} fills
            </option>
          ))}
      </select>
    </label>
  );
}
