/**
 * Risk state in the journal: a `risk-state` event holds a full snapshot whenever it changed
 * during a tick, committed in the tick's own transaction (so it never disagrees with the
 * fills beside it), and the newest one restores the RiskBook at start. Every risk decision
 * is journaled too, as a `risk` event with the rule and the reason.
 */
import type { RiskConfig, RiskEvent } from '../../api/schemas.ts';
import type { Journal, JournalEvent } from '../../journal/journal.ts';
import { RiskBook } from './risk-book.ts';

export const RISK_STATE_EVENT = 'risk-state';
export const RISK_DECISION_EVENT = 'risk';

/** The RiskBook as the journal left it (a fresh one for a journal without risk state). */
export function loadRiskBook(journal: Journal, config: RiskConfig): RiskBook {
  const last = journal.latestEvent(RISK_STATE_EVENT);
  return last === null ? new RiskBook(config) : RiskBook.restore(config, last.payload);
}

/** The snapshot event to commit with this tick, when the state changed since the last one. */
export function riskStateEvent(book: RiskBook, ts: number): JournalEvent | null {
  return book.takeChanged() ? { ts, kind: RISK_STATE_EVENT, payload: book.snapshot() } : null;
}

/** A risk decision as a journal event. */
export function riskDecisionEvent(e: RiskEvent): JournalEvent {
  return { ts: e.ts, kind: RISK_DECISION_EVENT, payload: e };
}
