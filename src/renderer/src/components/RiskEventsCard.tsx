import { useTranslation } from 'react-i18next';
import { useRisk } from '../app-context.ts';
import { formatDateTime } from '../format.ts';
import { kindInWords, riskMessage, ruleInWords } from '../state/risk-store.ts';
import { Card } from './Card.tsx';

/** The latest risk decisions (from the journal, then as told): protective exits, refused entries, the kill switch. */
export function RiskEventsCard() {
  const { t } = useTranslation();
  const events = useRisk((s) => s.events);
  return (
    <Card title={t('risk.eventsTitle')} aside={t('risk.eventsCount', { count: events.length })}>
      <div
        className="log risk-log"
        data-testid="risk-events"
        tabIndex={0}
        aria-label={t('risk.eventsLabel')}
      >
        {events.length === 0 ? <div className="empty">{t('risk.eventsEmpty')}</div> : null}
        {events.map((e, i) => (
          <div key={`${e.ts}-${i}`} className={`log-line risk-${e.kind}`} data-rule={e.rule}>
            <span className="log-time">{formatDateTime(e.ts)}</span>
            <span className="log-level">{kindInWords(e.kind)}</span>
            <span className="log-scope">
              {ruleInWords(e.rule)}
              {e.symbol ? ` · ${e.symbol}` : ''}
            </span>
            <span className="log-msg">{riskMessage(e)}</span>
          </div>
        ))}
      </div>
    </Card>
  );
}
