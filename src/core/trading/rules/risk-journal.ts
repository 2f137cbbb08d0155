/**
 * Risk state in the journal: a `risk-state` event holds a full snapshot whenever it changed
 * during a tick, committed in the tick's own transaction (so it never disagrees with the
 * fills beside it), and the newest one restores the RiskBook at start. Every risk decision
 * is journaled too, as a `risk` event with the rule and the reason.
 */
import { RiskEvent, type RiskConfig } from '../../api/schemas.ts';
import type { Journal, JournalEvent } from '../../journal/journal.ts';
import { RiskBook } from './risk-book.ts';
import { emptyRiskState, parseRiskState, type RiskState } from './risk-state.ts';

export const RISK_STATE_EVENT = 'risk-state';
export const RISK_DECISION_EVENT = 'risk';

/** The risk state as the journal left it (empty for a journal without one; damaged → JOURNAL_ERROR). */
export function loadRiskState(journal: Journal): RiskState {
  const last = journal.latestEvent(RISK_STATE_EVENT);
  return last === null ? emptyRiskState() : parseRiskState(last.payload);
}

/** The RiskBook as the journal left it. */
export function loadRiskBook(journal: Journal, config: RiskConfig): RiskBook {
  return new RiskBook(config, loadRiskState(journal));
}

/** The snapshot event to commit with this tick, when the state changed since the last one. */
export function riskStateEvent(book: RiskBook, ts: number): JournalEvent | null {
  return book.takeChanged() ? { ts, kind: RISK_STATE_EVENT, payload: book.snapshot() } : null;
}

/** A risk decision as a journal event. */
export function riskDecisionEvent(e: RiskEvent): JournalEvent {
  return { ts: e.ts, kind: RISK_DECISION_EVENT, payload: e };
}

/** Refused signals, journaled by the bot's recorder (a `Rejection`: symbol, action, reason, rule). */
const RISK_REJECTED_EVENT = 'risk-rejected';

/**
 * The newest `limit` risk decisions as the UI was told them, newest first: protective exits,
 * the kill switch tripping and acknowledged, and entries a rule refused. A page opened later
 * (or reloaded) lists what happened before it.
 */
export function loadRiskEvents(journal: Journal, limit: number): RiskEvent[] {
  const out: RiskEvent[] = [];
  for (const e of journal.eventsOf([RISK_DECISION_EVENT], [RISK_REJECTED_EVENT], limit)) {
    const p = (e.payload ?? {}) as Record<string, unknown>;
    const parsed = RiskEvent.safeParse(
      e.kind === RISK_DECISION_EVENT
        ? p
        : {
            ts: e.ts,
            kind: 'rejected',
            symbol: p.symbol,
            rule: p.rule,
            message: p.reason,
            ...(p.values === undefined ? {} : { values: p.values }),
          },
    );
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
