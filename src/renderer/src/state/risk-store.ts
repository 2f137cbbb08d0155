/**
 * The risk decisions main tells (`risk` events: protective exits, refused entries, the
 * kill switch tripping or acknowledged), newest first and capped, for the Logs view;
 * and which of them are still shown as notices (until dismissed or a new run).
 */
import { createStore } from 'zustand/vanilla';
import type { RiskEvent } from '../../../core/api/schemas.ts';

export const MAX_RISK_EVENTS = 200;
export const MAX_RISK_NOTICES = 3;

export interface RiskNotice {
  key: string;
  event: RiskEvent;
  count: number;
}

export interface RiskState {
  /** newest first */
  events: RiskEvent[];
  /** newest first; protective exits and kill-switch trips */
  notices: RiskNotice[];
}

export interface RiskActions {
  applyRisk(event: RiskEvent): void;
  /** The journal's risk decisions (newest first), loaded with the page: listed, never notices. */
  applySnapshot(events: readonly RiskEvent[]): void;
  dismiss(key: string): void;
  clearNotices(): void;
}

const RULE_WORDS: Record<string, string> = {
  stop_loss: 'Stop-loss',
  take_profit: 'Take-profit',
  trailing_stop: 'Trailing stop',
  roi: 'ROI table',
  max_hold: 'Max holding time',
  cooldown: 'Cooldown',
  max_exposure_total: 'Total exposure cap',
  max_exposure_symbol: 'Exposure cap per symbol',
  kill_switch: 'Kill switch',
  max_drawdown: 'Max drawdown',
};

/** A rule's id in words ("stop_loss" → "Stop-loss"); unknown ids are shown readable, not raw. */
export function ruleInWords(rule: string): string {
  return (
    RULE_WORDS[rule] ?? `${rule.charAt(0).toUpperCase()}${rule.slice(1).replace(/[_-]/g, ' ')}`
  );
}

/** The core's messages start with the rule's id ("stop_loss: …"): shown beside the rule in words, without it. */
export function riskMessage(e: RiskEvent): string {
  const m = /^(\S+?):? (.*)$/s.exec(e.message);
  return m && m[1] === e.rule ? m[2]! : e.message;
}

const KIND_WORDS: Record<RiskEvent['kind'], string> = {
  exit: 'Protective exit',
  rejected: 'Entry refused',
  kill_switch: 'Kill switch tripped',
  acknowledged: 'Kill switch acknowledged',
};
export const kindInWords = (kind: RiskEvent['kind']): string => KIND_WORDS[kind];

/** Which events become notices: what closed a position, and the kill switch. */
const noticeWorthy = (e: RiskEvent) => e.kind === 'exit' || e.kind === 'kill_switch';
const noticeKey = (e: RiskEvent) => `${e.kind}|${e.rule}|${e.symbol ?? ''}`;
const eventKey = (e: RiskEvent) => `${e.ts}|${noticeKey(e)}|${e.message}`;

export function createRiskStore() {
  return createStore<RiskState & RiskActions>()((set) => ({
    events: [],
    notices: [],
    applyRisk: (event) =>
      set((s) => {
        // one the journal's snapshot already listed (pushed while it was read) is listed once
        const key0 = eventKey(event);
        const events = s.events.some((e) => eventKey(e) === key0)
          ? s.events
          : [event, ...s.events].slice(0, MAX_RISK_EVENTS);
        if (event.kind === 'acknowledged')
          return { events, notices: s.notices.filter((n) => n.event.kind !== 'kill_switch') };
        if (!noticeWorthy(event)) return { events };
        const key = noticeKey(event);
        const same = s.notices.find((n) => n.key === key);
        const notice = { key, event, count: (same?.count ?? 0) + 1 };
        const rest = s.notices.filter((n) => n.key !== key);
        return { events, notices: [notice, ...rest].slice(0, MAX_RISK_NOTICES) };
      }),
    applySnapshot: (stored) =>
      set((s) => {
        // events pushed while the snapshot was read are in both: kept once
        const known = new Set(s.events.map(eventKey));
        const events = [...s.events, ...stored.filter((e) => !known.has(eventKey(e)))]
          .sort((a, b) => b.ts - a.ts)
          .slice(0, MAX_RISK_EVENTS);
        return { events };
      }),
    dismiss: (key) => set((s) => ({ notices: s.notices.filter((n) => n.key !== key) })),
    clearNotices: () => set({ notices: [] }),
  }));
}

export type RiskStore = ReturnType<typeof createRiskStore>;
