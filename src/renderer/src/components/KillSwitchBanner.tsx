import { useTranslation } from 'react-i18next';
import { useApp, useBot } from '../app-context.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { availableCommands } from '../state/bot-store.ts';

const pct = (f: number) => `${Number((f * 100).toPrecision(3))}%`;

/**
 * The tripped kill switch: a visible state with its reason until a start acknowledges it.
 * The plain Start is refused meanwhile; this is the explicit "acknowledge and start".
 */
export function KillSwitchBanner() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const trip = useBot((s) => s.status?.killSwitch ?? null);
  const canStart = useBot((s) => availableCommands(s).start);
  const pending = useBot((s) => s.pending === 'start');
  if (!trip) return null;
  const figures = { drawdown: pct(trip.drawdown), limit: pct(trip.threshold) };
  return (
    <div
      className="kill-switch"
      role="alert"
      id="kill-switch"
      data-testid="kill-switch"
      aria-labelledby="kill-switch-title"
    >
      <div>
        <strong id="kill-switch-title">{t('killSwitch.title')}</strong>{' '}
        <span data-testid="kill-switch-reason">{t('killSwitch.reason', figures)}</span>
        <div className="muted">
          {t('killSwitch.details', {
            ...figures,
            peak: formatMoney(trip.peak),
            equity: formatMoney(trip.equity),
            time: formatDateTime(trip.at),
          })}
        </div>
      </div>
      <button
        className="btn danger"
        disabled={!canStart}
        onClick={() => void commands.acknowledgeAndStart()}
      >
        {pending ? t('killSwitch.starting') : t('killSwitch.acknowledge')}
      </button>
    </div>
  );
}
