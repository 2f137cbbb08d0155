/**
 * The risk decisions main tells (`risk` events: protective exits, refused entries, the
 * kill switch tripping or acknowledged), newest first and capped, for the Logs view;
 * and which of them are still shown as notices (until dismissed or a new run).
 */
import { createStore } from 'zustand/vanilla';
import type { RiskEvent } from '../../../core/api/schemas.ts';
import { formatPercent } from '../format.ts';
import { enForms } from '../i18n/en-forms.ts';
import { coreWords, say } from '../i18n/say.ts';

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

const KNOWN_RULES = new Set(Object.keys(enForms.risk.rule));

/** A rule's id in words ("stop_loss" → "Stop-loss"); unknown ids are shown readable, not raw. */
export function ruleInWords(rule: string): string {
  if (rule !== 'other' && KNOWN_RULES.has(rule)) return say(`risk.rule.${rule}`);
  return say('risk.rule.other', {
    rule: `${rule.charAt(0).toUpperCase()}${rule.slice(1).replace(/[_-]/g, ' ')}`,
  });
}

/** Figures of a refusal that are fractions, shown as percentages. */
const FRACTIONS = new Set(['loss', 'limit']);
const TEMPLATES = new Set(Object.keys(enForms.risk.reason));

/**
 * What happened, in the user's language: from the rule and its figures when the core sent
 * them (a refusal by the daily loss limit, max open positions); else the core's message
 * (English: shown in English only), without the rule's id it starts with ("stop_loss: …").
 */
export function riskReason(
  rule: string,
  values: Record<string, number> | undefined,
  message: string,
): string {
  if (values && TEMPLATES.has(rule)) {
    const shown = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k,
        FRACTIONS.has(k) ? formatPercent(v * 100, 2) : String(v),
      ]),
    );
    return say(`risk.reason.${rule}`, shown);
  }
  const m = /^(\S+?):? (.*)$/s.exec(message);
  return coreWords(m && m[1] === rule ? m[2]! : message, 'core.message');
}

/** A risk block's id (BotStatus.riskBlock.rule: 'daily-loss') → the rule that set it ('daily_loss'). */
export function blockRule(block: string): string {
  return block === 'max-positions' ? 'max_open_positions' : block.replace(/-/g, '_');
}

export function riskMessage(e: RiskEvent): string {
  return riskReason(e.rule, e.values, e.message);
}

export const kindInWords = (kind: RiskEvent['kind']): string => say(`risk.kind.${kind}`);

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
