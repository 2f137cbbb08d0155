import { useApp, useBot } from '../app-context.ts';
import { formatDateTime } from '../format.ts';
import { availableCommands } from '../state/bot-store.ts';

const pct = (f: number) => `${Number((f * 100).toPrecision(3))}%`;
/** The core's message starts with the rule's id ("kill_switch: …"): the title says it in words. */
const reason = (message: string) => message.replace(/^kill_switch:\s*/, '');

/**
 * The tripped kill switch: a visible state with its reason until a start acknowledges it.
 * The plain Start is refused meanwhile; this is the explicit "acknowledge and start".
 */
export function KillSwitchBanner() {
  const { commands } = useApp();
  const trip = useBot((s) => s.status?.killSwitch ?? null);
  const canStart = useBot((s) => availableCommands(s).start);
  const pending = useBot((s) => s.pending === 'start');
  if (!trip) return null;
  return (
    <div
      className="kill-switch"
      role="alert"
      id="kill-switch"
      data-testid="kill-switch"
      aria-labelledby="kill-switch-title"
    >
      <div>
        <strong id="kill-switch-title">Kill switch tripped — the bot stopped.</strong>{' '}
        <span data-testid="kill-switch-reason">{reason(trip.message)}</span>
        <div className="muted">
          Drawdown {pct(trip.drawdown)} from the equity peak {trip.peak.toFixed(2)} (equity{' '}
          {trip.equity.toFixed(2)}; limit {pct(trip.threshold)}), market time{' '}
          {formatDateTime(trip.at)}. A new start needs your acknowledgement.
        </div>
      </div>
      <button
        className="btn danger"
        disabled={!canStart}
        onClick={() => void commands.acknowledgeAndStart()}
      >
        {pending ? 'Starting…' : 'Acknowledge and start'}
      </button>
    </div>
  );
}
