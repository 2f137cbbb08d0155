/** Risk state through a real node:sqlite journal: snapshot per changed tick, restore at start. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RiskConfig } from '../../../../src/core/api/schemas.ts';
import { Journal, journalFile } from '../../../../src/core/journal/journal.ts';
import { RiskBook } from '../../../../src/core/trading/rules/risk-book.ts';
import {
  loadRiskBook,
  loadRiskEvents,
  riskDecisionEvent,
  riskStateEvent,
  RISK_STATE_EVENT,
} from '../../../../src/core/trading/rules/risk-journal.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'botdesk-risk-'));
  dirs.push(d);
  return journalFile(d, 'paper');
}

const cfg = RiskConfig.parse({ maxDrawdown: 0.1, cooldownMinutes: 10 });
const position = {
  symbol: 'BTC/USDT',
  steps: 100n,
  amount: 1,
  avgPrice: 100,
  entryTs: 5,
  entryFee: 0,
  realizedPnl: 0,
};

describe('risk state in the journal', () => {
  it('a fresh journal gives a fresh book; the newest snapshot restores the identical state after reopening', () => {
    const f = file();
    const j = new Journal(f);
    const book = loadRiskBook(j, cfg);
    expect(book.state).toEqual(new RiskBook(cfg).state);
    expect(riskStateEvent(book, 0)).toBeNull();

    book.checkCandle(position, { ts: 60_000, open: 100, high: 120, low: 99, close: 118 });
    book.onEquity(60_000, 10_000);
    const e1 = riskStateEvent(book, 60_000);
    expect(e1?.kind).toBe(RISK_STATE_EVENT);
    j.commitTick({ events: [e1!] });
    // nothing changed: no event
    expect(riskStateEvent(book, 120_000)).toBeNull();
    const trip = book.onEquity(120_000, 9_000);
    expect(trip?.drawdown).toBeCloseTo(0.1, 12);
    j.commitTick({
      events: [
        riskStateEvent(book, 120_000)!,
        riskDecisionEvent({
          ts: 120_000,
          kind: 'kill_switch',
          rule: 'kill_switch',
          message: trip!.message,
        }),
      ],
    });
    const before = book.snapshot();
    j.close();

    const j2 = new Journal(f);
    const restored = loadRiskBook(j2, cfg);
    expect(restored.state).toEqual(before);
    expect(restored.killSwitch?.message).toMatch(/^kill_switch: /);
    expect(restored.state.positions['BTC/USDT']?.highWater).toBe(120);
    expect(j2.latestEvent('risk')?.payload).toMatchObject({ kind: 'kill_switch' });
    j2.close();
  });

  it('a damaged snapshot is a journal error at start, not a silent reset', () => {
    const f = file();
    const j = new Journal(f);
    j.commitTick({
      events: [{ ts: 1, kind: RISK_STATE_EVENT, payload: { version: 1, equityPeak: 'x' } }],
    });
    expect(() => loadRiskBook(j, cfg)).toThrow(/risk state is damaged/);
    j.close();
  });

  it('the risk decisions come back from the journal after reopening, newest first, refusals only when a rule made them', () => {
    const f = file();
    const j = new Journal(f);
    const exit = {
      ts: 10,
      kind: 'exit' as const,
      symbol: 'BTC/USDT',
      rule: 'stop_loss',
      message: 'stop_loss at 95',
    };
    j.commitTick({
      events: [
        riskDecisionEvent(exit),
        { ts: 11, kind: RISK_STATE_EVENT, payload: new RiskBook(cfg).snapshot() },
        {
          ts: 12,
          kind: 'risk-rejected',
          payload: { symbol: 'ETH/USDT', action: 'enter_long', reason: 'already in a position' },
        },
        {
          ts: 13,
          kind: 'risk-rejected',
          payload: {
            symbol: 'ETH/USDT',
            action: 'enter_long',
            reason: 'daily loss 5.10% reached the limit of 5.00%',
            rule: 'daily_loss',
            values: { loss: 0.051, limit: 0.05 },
          },
        },
      ],
    });
    j.close();
    const again = new Journal(f);
    expect(loadRiskEvents(again, 10)).toEqual([
      {
        ts: 13,
        kind: 'rejected',
        symbol: 'ETH/USDT',
        rule: 'daily_loss',
        message: 'daily loss 5.10% reached the limit of 5.00%',
        values: { loss: 0.051, limit: 0.05 },
      },
      exit,
    ]);
    expect(loadRiskEvents(again, 1)).toHaveLength(1);
    again.close();
  });
});
