import { describe, expect, it } from 'vitest';
import { RiskConfig, type Position, type Signal } from '../../../src/core/api/schemas.ts';
import { BasicRiskManager } from '../../../src/core/risk/basic-risk.ts';
import type { RiskContext } from '../../../src/core/risk/types.ts';

const DAY = 86_400_000;
const cfg = RiskConfig.parse({ stakeFraction: 0.1, maxOpenPositions: 2, maxDailyLoss: 0.05 });
const sig = (symbol: string, action: Signal['action']): Signal => ({
  symbol,
  ts: 0,
  action,
  strength: 0.5,
  indicators: {},
});
const pos = (symbol: string, amount: number): Position => ({
  symbol,
  amount,
  avgPrice: 100,
  lastPrice: null,
  unrealizedPnl: null,
  realizedPnl: 0,
});

function ctx(over: Partial<RiskContext> = {}): RiskContext {
  return {
    now: 10 * DAY,
    equity: 1000,
    cash: 1000,
    positions: new Map(),
    priceOf: () => 50,
    entriesPaused: false,
    ...over,
  };
}

describe('BasicRiskManager', () => {
  it('sizes an entry from stakeFraction of equity at the latest price', () => {
    const r = new BasicRiskManager(cfg);
    const d = r.decide(sig('BTC/USDT', 'enter_long'), ctx());
    expect(d).toMatchObject({ ok: true, intent: { symbol: 'BTC/USDT', side: 'buy' } });
    if (d.ok) expect(d.intent.amount).toBeCloseTo(100 / 50, 12);
  });

  it('caps the stake by the cash left, keeping a fee reserve', () => {
    const d = new BasicRiskManager(cfg).decide(sig('BTC/USDT', 'enter_long'), ctx({ cash: 20 }));
    expect(d.ok && d.intent.amount * 50).toBeLessThan(20);
  });

  it('exits the whole position, even while entries are paused or the daily loss is hit', () => {
    const r = new BasicRiskManager(cfg);
    r.review(ctx({ equity: 1000 }));
    const d = r.decide(
      sig('BTC/USDT', 'exit'),
      ctx({
        equity: 900,
        entriesPaused: true,
        positions: new Map([['BTC/USDT', pos('BTC/USDT', 3)]]),
      }),
    );
    expect(d).toEqual({
      ok: true,
      intent: { symbol: 'BTC/USDT', side: 'sell', amount: 3, reason: 'strategy exit' },
    });
  });

  it.each([
    ['entries paused', ctx({ entriesPaused: true }), /entries are paused/],
    [
      'already in position',
      ctx({ positions: new Map([['BTC/USDT', pos('BTC/USDT', 1)]]) }),
      /already in a position/,
    ],
    [
      'max positions',
      ctx({
        positions: new Map([
          ['A/USDT', pos('A/USDT', 1)],
          ['B/USDT', pos('B/USDT', 1)],
        ]),
      }),
      /max open positions \(2\)/,
    ],
    ['no price', ctx({ priceOf: () => undefined }), /no price/],
    ['tiny stake', ctx({ cash: 0.5 }), /below the minimum order/],
  ])('rejects an entry with a reason: %s', (_name, c, why) => {
    const d = new BasicRiskManager(cfg).decide(sig('BTC/USDT', 'enter_long'), c);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(why);
  });

  it('blocks entries for the rest of the day after maxDailyLoss, and allows them the next day', () => {
    const r = new BasicRiskManager(cfg);
    expect(r.decide(sig('BTC/USDT', 'enter_long'), ctx({ equity: 1000 })).ok).toBe(true);
    const d = r.decide(sig('BTC/USDT', 'enter_long'), ctx({ equity: 949 }));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/daily loss 5\.10% reached the limit of 5\.00%/);
    expect(r.decide(sig('BTC/USDT', 'enter_long'), ctx({ equity: 949, now: 11 * DAY })).ok).toBe(
      true,
    );
  });

  it('a restart during the day keeps the daily loss limit: the day starts at the recorded equity', () => {
    const asked: number[] = [];
    const restarted = new BasicRiskManager(cfg, {
      dayStartEquity: (dayStart) => {
        asked.push(dayStart);
        return dayStart === 10 * DAY ? 1000 : undefined;
      },
    });
    const d = restarted.decide(
      sig('BTC/USDT', 'enter_long'),
      ctx({ equity: 949, now: 10.5 * DAY }),
    );
    expect(asked).toEqual([10 * DAY]);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/daily loss 5\.10%/);
    // A day with nothing recorded starts at the first equity seen.
    expect(
      restarted.decide(sig('BTC/USDT', 'enter_long'), ctx({ equity: 949, now: 11 * DAY })).ok,
    ).toBe(true);
  });

  it('applies a new config from the next decision on', () => {
    const r = new BasicRiskManager(cfg);
    r.configure(RiskConfig.parse({ stakeFraction: 0.5, maxOpenPositions: 2, maxDailyLoss: 0.05 }));
    const d = r.decide(sig('BTC/USDT', 'enter_long'), ctx());
    expect(d.ok && d.intent.amount).toBeCloseTo(500 / 50, 12);
  });

  it('an exit without a position is rejected, not an order', () => {
    const d = new BasicRiskManager(cfg).decide(sig('BTC/USDT', 'exit'), ctx());
    expect(d).toEqual({
      ok: false,
      symbol: 'BTC/USDT',
      reason: 'exit signal without an open position',
    });
  });
});
