import { useTranslation } from 'react-i18next';
import { useApp, useBot, useRisk } from '../app-context.ts';
import { formatDateTime } from '../format.ts';
import { kindInWords, riskMessage, ruleInWords } from '../state/risk-store.ts';

/** Protective exits (and kill-switch trips) as notices; every risk decision is in the Logs view. */
export function RiskNotices() {
  const { stores } = useApp();
  const { t } = useTranslation();
  const all = useRisk((s) => s.notices);
  // the kill-switch banner says it already, with the reason and the way to start again
  const tripped = useBot((s) => Boolean(s.status?.killSwitch));
  const notices = tripped ? all.filter((n) => n.event.kind !== 'kill_switch') : all;
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite" aria-label={t('risk.notices')}>
      {notices.map(({ key, event, count }) => (
        <div key={key} className="notice info" data-testid="risk-notice" data-rule={event.rule}>
          <strong>
            {kindInWords(event.kind)} — {ruleInWords(event.rule)}
            {event.symbol ? ` (${event.symbol})` : ''}:
          </strong>{' '}
          {riskMessage(event)} <span className="muted">{formatDateTime(event.ts)}</span>
          {count > 1 ? (
            <span className="count" title={t('notices.howMany')}>
              ×{count}
            </span>
          ) : null}
          <button
            className="close"
            onClick={() => stores.risk.getState().dismiss(key)}
            aria-label={t('risk.dismiss', { rule: ruleInWords(event.rule) })}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
