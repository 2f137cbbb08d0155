/**
 * Risk state in the journal: a `risk-state` event holds a full snapshot whenever it changed
 * during a tick, committed in the tick's own transaction (so it never disagrees with the
 * fills beside it), and the newest one restores the RiskBook at start. Every risk decision
 * is journaled too, as a `risk` event with the rule and the reason.
 */
import type { RiskConfig, RiskEvent } from '../../api/schemas.ts';
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
