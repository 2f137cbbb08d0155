import { describe, expect, it } from 'vitest';
import { Account } from '../../../src/core/trading/account.ts';
import { compileRules } from '../../../src/core/trading/market-rules.ts';
import { fillMarketOrder, type FillModel } from '../../../src/core/trading/fill-model.ts';
import { prng } from '../../support/prng.ts';

const rules = compileRules();
const model: FillModel = { feeRate: 0.001, slippageBps: 10 };

function trade(
  acct: Account,
  symbol: string,
  side: 'buy' | 'sell',
  amount: number,
  price: number,
  ts = 0,
) {
  const r = fillMarketOrder({ symbol, side, amount }, price, acct, rules, model, ts);
  if (!r.ok) throw new Error(r.reason);
  return { fill: r.fill, closed: acct.apply(r.fill) };
}

describe('Account', () => {
  it('derives cash, average price, realized PnL and the round trip from fills', () => {
    const a = new Account({ quote: 'USDT', cash: 1000 });
    a.apply({ symbol: 'BTC/USDT', side: 'buy', amount: 2, price: 100, fee: 0.2, ts: 1 });
    a.apply({ symbol: 'BTC/USDT', side: 'buy', amount: 2, price: 110, fee: 0.22, ts: 2 });
    const p = a.position('BTC/USDT')!;
    expect(p.amount).toBe(4);
    expect(p.avgPrice).toBeCloseTo(105, 12);
    expect(p.entryTs).toBe(1);
    expect(p.entryFee).toBeCloseTo(0.42, 12);
    expect(a.cash).toBeCloseTo(1000 - 200 - 0.2 - 220 - 0.22, 9);
    expect(a.equity(() => 120)).toBeCloseTo(a.cash + 480, 9);
    expect(a.openCount).toBe(1);
    expect(
      a.apply({ symbol: 'BTC/USDT', side: 'sell', amount: 1, price: 120, fee: 0.12, ts: 3 }),
    ).toBeNull();
    const closed = a.apply({
      symbol: 'BTC/USDT',
      side: 'sell',
      amount: 3,
      price: 130,
      fee: 0.39,
      ts: 4,
    });
    expect(closed).toMatchObject({ symbol: 'BTC/USDT', entryTs: 1, exitTs: 4, amount: 4 });
    expect(closed!.entryPrice).toBeCloseTo(105, 12);
    expect(closed!.exitPrice).toBeCloseTo(127.5, 12);
    expect(closed!.fees).toBeCloseTo(0.93, 12);
    expect(closed!.pnl).toBeCloseTo(510 - 420 - 0.93, 9);
    expect(closed!.pnlPct).toBeCloseTo((510 - 420 - 0.93) / 420, 12);
    expect(a.position('BTC/USDT')).toBeUndefined();
    expect(a.openCount).toBe(0);
    expect(a.realizedPnl('BTC/USDT')).toBeCloseTo(90 - 0.93, 9);
    expect(a.cash).toBeCloseTo(1000 + 90 - 0.93, 9);
  });

  it('refuses a sell of more than is held, and changes nothing', () => {
    const a = new Account({ quote: 'USDT', cash: 1000 });
    a.apply({ symbol: 'X/USDT', side: 'buy', amount: 1, price: 10, fee: 0, ts: 0 });
    expect(() =>
      a.apply({ symbol: 'X/USDT', side: 'sell', amount: 2, price: 10, fee: 0, ts: 1 }),
    ).toThrow(/sell of 2 X\/USDT but 1 is held/);
    expect(a.position('X/USDT')!.amount).toBe(1);
    expect(a.cash).toBe(990);
    expect(() =>
      a.apply({ symbol: 'X/USDT', side: 'buy', amount: 0, price: 10, fee: 0, ts: 1 }),
    ).toThrow(/amount > 0/);
  });

  it('the dust repro: buy 629683.269315535 at 0.0015882, sell what is held → flat, and trades again', () => {
    const a = new Account({ quote: 'USDT', cash: 10_000 });
    trade(a, 'DOGE/USDT', 'buy', 629683.269315535, 0.0015882);
    const held = a.position('DOGE/USDT')!.amount;
    expect(held).toBe(629683.26931553);
    const { closed } = trade(a, 'DOGE/USDT', 'sell', held, 0.0015882);
    expect(closed).not.toBeNull();
    expect(a.position('DOGE/USDT')).toBeUndefined();
    expect(a.holdings().size).toBe(0);
    trade(a, 'DOGE/USDT', 'buy', 1000, 0.0016);
    expect(a.position('DOGE/USDT')!.amount).toBe(1000);
  });

  it('round trips of random large amounts (to 1e9 units, prices to 1e-8) leave wallet and positions flat', () => {
    const r = prng(11);
    for (let k = 0; k < 400; k++) {
      const price = 10 ** (-8 + r() * 8);
      const amount = 10 ** (r() * 9) * (0.1 + r());
      const a = new Account({ quote: 'USDT', cash: amount * price * 2 + 1 });
      trade(a, 'ALT/USDT', 'buy', amount, price, 1);
      // Sell what the position reports holding, as the engine and the risk decision do.
      const { closed } = trade(a, 'ALT/USDT', 'sell', a.position('ALT/USDT')!.amount, price, 2);
      expect(closed, `amount ${amount} at ${price}`).not.toBeNull();
      expect(a.position('ALT/USDT')).toBeUndefined();
      expect(a.openCount).toBe(0);
      // And the pair trades again.
      trade(a, 'ALT/USDT', 'buy', amount / 2, price, 3);
      expect(a.openCount).toBe(1);
    }
  });

  it('a sell of one step less than a large holding leaves exactly one step', () => {
    const a = new Account({ quote: 'USDT', cash: 10_000 });
    a.apply({
      symbol: 'D/USDT',
      side: 'buy',
      amount: 629683.26931553,
      price: 0.0015882,
      fee: 0,
      ts: 0,
    });
    a.apply({
      symbol: 'D/USDT',
      side: 'sell',
      amount: 629683.26931552,
      price: 0.0015882,
      fee: 0,
      ts: 1,
    });
    expect(a.position('D/USDT')).toMatchObject({ steps: 1n, amount: 1e-8 });
  });

  it('a journal replay of number-only fills closes exactly what was bought', () => {
    const a = new Account({ quote: 'USDT', cash: 1e9 });
    const amount = Number('987654321.12345678');
    a.apply({ symbol: 'A/USDT', side: 'buy', amount, price: 1e-8, fee: 0, ts: 0 });
    const held = a.position('A/USDT')!.amount;
    a.apply({ symbol: 'A/USDT', side: 'sell', amount: held, price: 1e-8, fee: 0, ts: 1 });
    expect(a.position('A/USDT')).toBeUndefined();
  });

  it('gives positions in the contract shape with unrealized PnL', () => {
    const a = new Account({ quote: 'USDT', cash: 1000 });
    a.apply({ symbol: 'BTC/USDT', side: 'buy', amount: 1, price: 100, fee: 1, ts: 0 });
    expect(Account.toPosition(a.position('BTC/USDT')!, 110)).toEqual({
      symbol: 'BTC/USDT',
      amount: 1,
      avgPrice: 100,
      lastPrice: 110,
      unrealizedPnl: 10,
      realizedPnl: -1,
    });
    expect(Account.toPosition(a.position('BTC/USDT')!, undefined).unrealizedPnl).toBeNull();
  });
});
