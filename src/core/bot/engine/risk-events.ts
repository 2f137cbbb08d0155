/**
 * The risk rules' decisions in a tick, told to the user: protective exits (the rule and
 * the price), entries a rule refused, and the kill switch. Exits and the kill switch are
 * journaled as `risk` events (refusals are already journaled as `risk-rejected`), the risk
 * state snapshot rides in the same transaction, and everything is emitted after the commit.
 */
import type { RiskEvent } from '../../api/schemas.ts';
import type { RiskBook } from '../../trading/rules/risk-book.ts';
import { riskDecisionEvent, riskStateEvent } from '../../trading/rules/risk-journal.ts';
import type { StepOutput } from '../../trading/step.ts';
import type { TickRecords } from './recorder.ts';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Collect the risk decisions of one step (`ts`: the step's close) into `records` and `told`. */
export function recordRisk(
  out: StepOutput,
  ts: number,
  records: TickRecords,
  told: RiskEvent[],
  log: Log,
): void {
  for (const s of out.settled) {
    const rule = s.order.rule;
    if (rule === undefined || s.fill === null) continue;
    const e: RiskEvent = {
      ts,
      kind: 'exit',
      symbol: s.order.symbol,
      rule,
      message: s.order.reason,
    };
    records.events.push(riskDecisionEvent(e));
    told.push(e);
    log('info', `${s.order.symbol}: ${s.order.reason}`);
  }
  for (const o of out.placed) {
    // With an exchange executor a protective exit is an order handed to it, not a paper fill.
    if (o.rule === undefined) continue;
    const e: RiskEvent = { ts, kind: 'exit', symbol: o.symbol, rule: o.rule, message: o.reason };
    records.events.push(riskDecisionEvent(e));
    told.push(e);
    log('info', `${o.symbol}: ${o.reason} (order sent)`);
  }
  for (const r of out.rejections) {
    if (r.rule === undefined) continue;
    const e: RiskEvent = {
      ts,
      kind: 'rejected',
      symbol: r.symbol,
      rule: r.rule,
      message: r.reason,
    };
    if (r.values) e.values = r.values;
    told.push(e);
  }
  const trip = out.killSwitch;
  if (trip !== null && trip !== undefined) {
    const e: RiskEvent = { ts, kind: 'kill_switch', rule: 'kill_switch', message: trip.message };
    records.events.push(riskDecisionEvent(e));
    told.push(e);
    log('error', trip.message);
  }
}

/** The tick's risk-state snapshot, when the state changed (committed with the tick). */
export function recordRiskState(book: RiskBook, ts: number, records: TickRecords): void {
  const e = riskStateEvent(book, ts);
  if (e !== null) records.events.push(e);
}
