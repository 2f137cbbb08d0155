import { useRisk } from '../app-context.ts';
import { formatDateTime } from '../format.ts';
import { kindInWords, riskMessage, ruleInWords } from '../state/risk-store.ts';
import { Card } from './Card.tsx';

/** Every risk decision told since the page opened: protective exits, refused entries, the kill switch. */
export function RiskEventsCard() {
  const events = useRisk((s) => s.events);
  return (
    <Card title="Risk events" aside={`${events.length} since this page opened`}>
      <div className="log risk-log" data-testid="risk-events" tabIndex={0} aria-label="Risk events">
        {events.length === 0 ? (
          <div className="empty">No protective exit, refused entry or kill switch yet</div>
        ) : null}
        {events.map((e, i) => (
          <div key={`${e.ts}-${i}`} className={`log-line risk-${e.kind}`}>
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
