import { describe, expect, it } from 'vitest';
import { Account } from '../../../src/core/trading/account.ts';
import { compileRules } from '../../../src/core/trading/market-rules.ts';
import {
  checkFillModel,
  fillMarketOrder,
  slippedPrice,
} from '../../../src/core/trading/fill-model.ts';

const rules = compileRules();
const model = { feeRate: 0.001, slippageBps: 10 };

describe('fillMarketOrder', () => {
  it('buys at the reference price plus slippage, fee in quote, amount on the step', () => {
    const a = new Account({ quote: 'USDT', cash: 1000 });
    const r = fillMarketOrder(
      { symbol: 'BTC/USDT', side: 'buy', amount: 2.123456789 },
      100,
      a,
      rules,
      model,
      5,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fill.amount).toBe(2.12345678);
    expect(r.fill.steps).toBe(212345678n);
    expect(r.fill.price).toBeCloseTo(100.1, 12);
    expect(r.fill.fee).toBeCloseTo(2.12345678 * 100.1 * 0.001, 12);
    expect(r.fill.ts).toBe(5);
    // Pure: the account is unchanged until the fill is applied.
    expect(a.cash).toBe(1000);
  });

  it('sells below the reference price; selling what is held sells all of it', () => {
    const a = new Account({ quote: 'USDT', cash: 0 });
    a.apply({ symbol: 'BTC/USDT', side: 'buy', amount: 1.5, price: 100, fee: 0, ts: 0 });
    const r = fillMarketOrder(
      { symbol: 'BTC/USDT', side: 'sell', amount: 1.5 },
      100,
      a,
      rules,
      model,
      1,
    );
    expect(r.ok && r.fill.price).toBeCloseTo(99.9, 12);
    expect(r.ok && r.fill.steps).toBe(150000000n);
  });

  it('fees and slippage of 0 are accepted and fill at the reference price', () => {
    const a = new Account({ quote: 'USDT', cash: 100 });
    const zero = checkFillModel({ feeRate: 0, slippageBps: 0 });
    const r = fillMarketOrder({ symbol: 'X/USDT', side: 'buy', amount: 1 }, 100, a, rules, zero, 0);
    expect(r).toMatchObject({ ok: true, fill: { price: 100, fee: 0, amount: 1 } });
  });

  it.each([
    [
      'insufficient cash',
      'buy',
      1,
      100,
      50,
      /insufficient balance: needs 100\.20 USDT, has 50\.00/,
    ],
    ['below the step', 'buy', 1e-9, 100, 50, /below the amount step 1e-8/],
    ['selling without holding', 'sell', 1, 100, 50, /sells 1 but holds 0/],
    ['no price', 'buy', 1, 0, 50, /no usable price/],
    ['bad amount', 'buy', Number.NaN, 100, 50, /not a positive number/],
  ] as const)('refuses with the reason: %s', (_n, side, amount, price, cash, why) => {
    const a = new Account({ quote: 'USDT', cash });
    const r = fillMarketOrder({ symbol: 'BTC/USDT', side, amount }, price, a, rules, model, 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(why);
  });

  it('refuses a partial sell that rounds to no step (it would be a fill of 0)', () => {
    const a = new Account({ quote: 'USDT', cash: 1000 });
    const bought = fillMarketOrder(
      { symbol: 'BTC/USDT', side: 'buy', amount: 1 },
      100,
      a,
      rules,
      model,
      0,
    );
    if (!bought.ok) throw new Error(bought.reason);
    a.apply(bought.fill);
    const r = fillMarketOrder(
      { symbol: 'BTC/USDT', side: 'sell', amount: 4e-9 },
      100,
      a,
      rules,
      model,
      1,
    );
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/below the amount step 1e-8/),
    });
    expect(a.position('BTC/USDT')?.amount).toBe(1);
  });

  it('applies market minimums and the price step (adverse rounding)', () => {
    const strict = compileRules({
      amountStep: 0.001,
      priceStep: 0.01,
      minAmount: 0.01,
      minCost: 5,
    });
    const a = new Account({ quote: 'USDT', cash: 1000 });
    const small = fillMarketOrder(
      { symbol: 'E/USDT', side: 'buy', amount: 0.005 },
      2000,
      a,
      strict,
      model,
      0,
    );
    expect(!small.ok && small.reason).toMatch(/below the minimum 0\.01/);
    const cheap = fillMarketOrder(
      { symbol: 'E/USDT', side: 'buy', amount: 0.02 },
      100,
      a,
      strict,
      model,
      0,
    );
    expect(!cheap.ok && cheap.reason).toMatch(/cost .* below the minimum 5/);
    expect(slippedPrice('buy', 100.001, { feeRate: 0, slippageBps: 0 }, strict)).toBeCloseTo(
      100.01,
      12,
    );
    expect(slippedPrice('sell', 100.009, { feeRate: 0, slippageBps: 0 }, strict)).toBeCloseTo(
      100,
      12,
    );
  });

  it('refuses bad fee and slippage settings', () => {
    expect(() => checkFillModel({ feeRate: -0.1, slippageBps: 0 })).toThrow(/fee rate/);
    expect(() => checkFillModel({ feeRate: 0, slippageBps: Number.NaN })).toThrow(/slippage/);
  });
});
