/**
 * Exchange limits from ccxt's own market data: the real ccxt loads markets from the
 * loopback Binance (exchangeInfo filters: tick 0.01, step 0.00001, min qty 0.00001,
 * min notional 5) and the limits come out of its parsed `Market`.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../src/core/market/clock.ts';
import {
  applyLimits,
  floorToStep,
  limitsFromCcxtMarket,
  PRECISION_MODE,
  roundToTick,
  type MarketLimits,
} from '../../../../src/core/trading/rules/limits.ts';
import { FakeBinance } from '../../../fixtures/market/fake-binance.ts';

let fake: FakeBinance;
beforeAll(async () => {
  fake = await FakeBinance.start({
    clock: createClock({ start: Date.UTC(2026, 0, 15), speed: 1 }),
  });
});
afterAll(async () => {
  await fake.close();
});

describe('exchange limits from ccxt market data', () => {
  it('our precision modes are ccxt’s', () => {
    expect(PRECISION_MODE).toEqual({
      DECIMAL_PLACES: ccxt.DECIMAL_PLACES,
      SIGNIFICANT_DIGITS: ccxt.SIGNIFICANT_DIGITS,
      TICK_SIZE: ccxt.TICK_SIZE,
    });
  });

  it('reads amount and price precision, minimum amount and cost from a loaded market', async () => {
    const ex = new ccxt.binance({ enableRateLimit: false });
    fake.configure(ex as never);
    await ex.loadMarkets();
    const market = ex.market('BTC/USDT');
    expect(market).toBeDefined();
    const limits = limitsFromCcxtMarket(market!, ex.precisionMode);
    expect(limits).toEqual({
      amountStep: 0.00001,
      priceStep: 0.01,
      minAmount: 0.00001,
      minCost: 5,
    });
    // ccxt's own rounding agrees with ours on the amount step (it truncates)
    for (const a of [0.123456789, 1.000019, 0.00001, 3.3]) {
      expect(floorToStep(a, limits.amountStep)).toBe(Number(ex.amountToPrecision('BTC/USDT', a)));
    }
    for (const p of [60_000.123, 0.015, 1234.5]) {
      expect(roundToTick(p, limits.priceStep)).toBeCloseTo(
        Number(ex.priceToPrecision('BTC/USDT', p)),
        9,
      );
    }
  });

  it('converts decimal-places precision and refuses significant digits with the reason', () => {
    const m = {
      symbol: 'X/Y',
      precision: { amount: 3, price: 2 },
      limits: { amount: { min: 0 }, cost: { min: null } },
    };
    expect(limitsFromCcxtMarket(m, PRECISION_MODE.DECIMAL_PLACES)).toEqual({
      amountStep: 0.001,
      priceStep: 0.01,
      minAmount: undefined,
      minCost: undefined,
    });
    expect(() => limitsFromCcxtMarket(m, PRECISION_MODE.SIGNIFICANT_DIGITS)).toThrow(
      /significant digits/,
    );
    expect(() =>
      limitsFromCcxtMarket({ ...m, precision: { price: 0.01 } }, PRECISION_MODE.TICK_SIZE),
    ).toThrow(/no amount precision/);
  });
});

describe('applyLimits', () => {
  const L: MarketLimits = { amountStep: 0.001, priceStep: 0.5, minAmount: 0.01, minCost: 10 };
  it.each([
    { amount: 0.3, price: 100, want: { ok: true, amount: 0.3, price: 100 } },
    { amount: 0.1 + 0.2, price: 100.2, want: { ok: true, amount: 0.3, price: 100 } },
    { amount: 0.12399, price: 100.3, want: { ok: true, amount: 0.123, price: 100.5 } },
    { amount: 0.0099, price: 5000, want: { ok: false, rule: 'min_amount' } },
    { amount: 0.01, price: 999, want: { ok: false, rule: 'min_cost' } },
    { amount: 0.01, price: 1000, want: { ok: true, amount: 0.01, price: 1000 } },
    { amount: 0.0004, price: 1e6, want: { ok: false, rule: 'min_amount' } },
  ] as const)('$amount at $price', ({ amount, price, want }) => {
    expect(applyLimits(amount, price, L)).toMatchObject(want);
  });

  it('floors decimal amounts without float residue', () => {
    expect(floorToStep(0.7, 0.1)).toBe(0.7);
    expect(floorToStep(2.675, 0.01)).toBe(2.67);
  });
});
