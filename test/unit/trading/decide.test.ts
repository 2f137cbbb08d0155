import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../src/core/api/schemas.ts';
import { Account } from '../../../src/core/trading/account.ts';
import {
  NEXT_OPEN_MARGIN,
  decide,
  type DecideSignal,
  type DecideState,
} from '../../../src/core/trading/decide.ts';

const risk = RiskConfig.parse({ stakeFraction: 0.1, maxOpenPositions: 2, maxDailyLoss: 0.05 });
const fill = { feeRate: 0.001, slippageBps: 5 };
const config = { risk, fill };
const sig = (symbol: string, action: DecideSignal['action']): DecideSignal => ({
  symbol,
  action,
  strength: 0.5,
});
const state = (over: Partial<DecideState> = {}): DecideState => ({
  entriesPaused: false,
  dayStartEquity: 1000,
  pending: [],
  ...over,
});
function account(cash = 1000, held: [string, number][] = []): Account {
  const a = new Account({ quote: 'USDT', cash: cash + held.reduce((s, [, n]) => s + n * 50, 0) });
  for (const [symbol, amount] of held)
    a.apply({ symbol, side: 'buy', amount, price: 50, fee: 0, ts: 0 });
  return a;
}
const at50 = (): number | undefined => 50;

describe('decide', () => {
  it('sizes an entry from stakeFraction of equity at the price', () => {
    const d = decide([sig('BTC/USDT', 'enter_long')], account(), at50, config, state());
    expect(d.rejections).toEqual([]);
    expect(d.intents).toEqual([
      {
        symbol: 'BTC/USDT',
        side: 'buy',
        amount: 100 / 50,
        reason: 'strategy entry (strength 0.50)',
      },
    ]);
  });

  it('caps the stake by the cash left, keeping fee, slippage and the next-open margin back', () => {
    const d = decide(
      [sig('BTC/USDT', 'enter_long')],
      account(20, [['A/USDT', 19.6]]),
      at50,
      config,
      state(),
    );
    const reserve = 1 + fill.feeRate + fill.slippageBps / 10_000 + NEXT_OPEN_MARGIN;
    expect(d.intents[0]!.amount * 50).toBeCloseTo(20 / reserve, 9);
  });

  it("an exchange's cash limit below the account's cash caps the stake; above it changes nothing", () => {
    const reserve = 1 + fill.feeRate + fill.slippageBps / 10_000 + NEXT_OPEN_MARGIN;
    const enter = (cashLimit: number) =>
      decide([sig('BTC/USDT', 'enter_long')], account(), at50, config, state({ cashLimit }));
    expect(enter(30).intents[0]!.amount * 50).toBeCloseTo(30 / reserve, 9);
    expect(enter(5000).intents[0]!.amount).toBe(100 / 50);
    const broke = enter(0);
    expect(broke.intents).toEqual([]);
    expect(broke.rejections[0]!.reason).toMatch(/no cash left/);
  });

  it('exits the whole position, even while entries are paused or the daily loss is hit', () => {
    const d = decide(
      [sig('BTC/USDT', 'exit')],
      account(0, [['BTC/USDT', 3]]),
      () => 10,
      config,
      state({ entriesPaused: true, dayStartEquity: 10_000 }),
    );
    expect(d.intents).toEqual([
      { symbol: 'BTC/USDT', side: 'sell', amount: 3, reason: 'strategy exit' },
    ]);
  });

  it.each([
    ['entries paused', account(), at50, state({ entriesPaused: true }), /entries are paused/],
    [
      'already in position',
      account(1000, [['BTC/USDT', 1]]),
      at50,
      state(),
      /already in a position/,
    ],
    [
      'entry already pending',
      account(),
      at50,
      state({ pending: [{ symbol: 'BTC/USDT', side: 'buy', amount: 1 }] }),
      /already in a position/,
    ],
    [
      'max positions',
      account(1000, [
        ['A/USDT', 1],
        ['B/USDT', 1],
      ]),
      at50,
      state(),
      /max open positions \(2\)/,
    ],
    [
      'max positions with a pending entry',
      account(1000, [['A/USDT', 1]]),
      at50,
      state({ pending: [{ symbol: 'C/USDT', side: 'buy', amount: 1 }] }),
      /max open positions \(2\)/,
    ],
    ['no price', account(), (): number | undefined => undefined, state(), /no price/],
    ['tiny stake', account(0.5), at50, state({ dayStartEquity: 0.5 }), /below the minimum order/],
    [
      'daily loss',
      account(949),
      at50,
      state({ dayStartEquity: 1000 }),
      /daily loss 5\.10% reached the limit of 5\.00%/,
    ],
  ] as const)('rejects an entry with a reason: %s', (_name, a, prices, s, why) => {
    const d = decide([sig('BTC/USDT', 'enter_long')], a, prices, config, s);
    expect(d.intents).toEqual([]);
    expect(d.rejections).toHaveLength(1);
    expect(d.rejections[0]!.reason).toMatch(why);
  });

  it('exits go first and free their slot for an entry of the same candle time', () => {
    const d = decide(
      [sig('C/USDT', 'enter_long'), sig('A/USDT', 'exit')],
      account(1000, [
        ['A/USDT', 1],
        ['B/USDT', 1],
      ]),
      at50,
      config,
      state(),
    );
    expect(d.intents.map((i) => `${i.side} ${i.symbol}`)).toEqual(['sell A/USDT', 'buy C/USDT']);
  });

  it('later entries of the same call see the slots earlier ones took', () => {
    const d = decide(
      ['A', 'B', 'C'].map((s) => sig(`${s}/USDT`, 'enter_long')),
      account(),
      at50,
      config,
      state(),
    );
    expect(d.intents.map((i) => i.symbol)).toEqual(['A/USDT', 'B/USDT']);
    expect(d.rejections).toEqual([
      {
        symbol: 'C/USDT',
        action: 'enter_long',
        reason: 'max open positions (2) reached',
        rule: 'max_open_positions',
        values: { max: 2 },
      },
    ]);
  });

  it('an exit without a position, or one already pending, is rejected, not an order', () => {
    expect(decide([sig('BTC/USDT', 'exit')], account(), at50, config, state()).rejections).toEqual([
      { symbol: 'BTC/USDT', action: 'exit', reason: 'exit signal without an open position' },
    ]);
    const pendingExit = state({ pending: [{ symbol: 'BTC/USDT', side: 'sell', amount: 1 }] });
    const d = decide(
      [sig('BTC/USDT', 'exit')],
      account(0, [['BTC/USDT', 1]]),
      at50,
      config,
      pendingExit,
    );
    expect(d.rejections[0]!.reason).toMatch(/already pending/);
  });

  it('holds are not decisions', () => {
    expect(decide([sig('BTC/USDT', 'hold')], account(), at50, config, state())).toEqual({
      intents: [],
      rejections: [],
    });
  });
});
