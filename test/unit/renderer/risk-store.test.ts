import { describe, expect, it } from 'vitest';
import type { RiskEvent } from '../../../src/core/api/schemas.ts';
import {
  createRiskStore,
  MAX_RISK_EVENTS,
  MAX_RISK_NOTICES,
  riskMessage,
  riskReason,
  ruleInWords,
} from '../../../src/renderer/src/state/risk-store.ts';
import { setFormatLocale } from '../../../src/renderer/src/format.ts';
import { i18n } from '../../../src/renderer/src/i18n/instance.ts';

const ev = (over: Partial<RiskEvent>): RiskEvent => ({
  ts: 1000,
  kind: 'exit',
  symbol: 'BTC/USDT',
  rule: 'stop_loss',
  message: 'stop-loss at 95',
  ...over,
});

describe('risk events store', () => {
  it('keeps every event for the Logs view, newest first, capped', () => {
    const store = createRiskStore();
    for (let i = 0; i < MAX_RISK_EVENTS + 5; i++)
      store.getState().applyRisk(ev({ ts: i, kind: 'rejected', rule: 'cooldown' }));
    const { events, notices } = store.getState();
    expect(events).toHaveLength(MAX_RISK_EVENTS);
    expect(events[0]!.ts).toBe(MAX_RISK_EVENTS + 4);
    expect(notices).toEqual([]); // refused entries are not notices (the risk-block banner is)
  });

  it('shows protective exits and the kill switch as notices, counted instead of piled up', () => {
    const store = createRiskStore();
    store.getState().applyRisk(ev({ ts: 1 }));
    store.getState().applyRisk(ev({ ts: 2 }));
    store.getState().applyRisk(ev({ ts: 3, rule: 'take_profit', message: 'take-profit at 110' }));
    store
      .getState()
      .applyRisk(ev({ ts: 4, kind: 'kill_switch', rule: 'kill_switch', symbol: undefined }));
    const notices = store.getState().notices;
    expect(notices.map((n) => [n.event.rule, n.count])).toEqual([
      ['kill_switch', 1],
      ['take_profit', 1],
      ['stop_loss', 2],
    ]);
    expect(notices).toHaveLength(MAX_RISK_NOTICES);
    store.getState().applyRisk(ev({ ts: 5, kind: 'acknowledged', rule: 'kill_switch' }));
    expect(store.getState().notices.map((n) => n.event.rule)).toEqual(['take_profit', 'stop_loss']);
    store.getState().dismiss(store.getState().notices[0]!.key);
    expect(store.getState().notices.map((n) => n.event.rule)).toEqual(['stop_loss']);
    store.getState().clearNotices();
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().events).toHaveLength(5);
  });

  it('names rules in words, never as raw ids', () => {
    expect(ruleInWords('trailing_stop')).toBe('Trailing stop');
    expect(ruleInWords('max_hold')).toBe('Max holding time');
    expect(ruleInWords('some_new_rule')).toBe('Some new rule');
    expect(riskMessage(ev({ rule: 'kill_switch', message: 'kill_switch: drawdown 5%' }))).toBe(
      'drawdown 5%',
    );
    expect(riskMessage(ev({ message: 'stop_loss at 95 (gapped)' }))).toBe('at 95 (gapped)');
    expect(riskMessage(ev({ message: 'BTC/USDT: stop_loss: at 95' }))).toBe(
      'BTC/USDT: stop_loss: at 95',
    );
  });

  it('says a refusal from its rule and figures, in the language chosen, never the English reason', async () => {
    const values = { loss: 0.051, limit: 0.05 };
    const english = 'daily loss 5.10% reached the limit of 5.00%';
    expect(riskReason('daily_loss', values, english)).toBe(english);
    expect(riskReason('max_open_positions', { max: 3 }, 'x')).toBe(
      'max open positions (3) reached',
    );
    try {
      await i18n.changeLanguage('sv');
      setFormatLocale('sv-SE');
      expect(riskReason('daily_loss', values, english)).toMatch(
        /^dagens förlust 5,10\s% nådde gränsen 5,00\s%$/,
      );
      expect(ruleInWords('stop_loss')).toBe('Stoppgräns');
      expect(ruleInWords('some_new_rule')).toBe('Regeln Some new rule');
      // an English message the core wrote, without figures: not shown in Swedish
      expect(riskMessage(ev({ message: 'stop_loss at 95 (gapped)' }))).toBe('detaljer i loggen');
    } finally {
      await i18n.changeLanguage('en');
      setFormatLocale('en-US');
    }
  });
});
