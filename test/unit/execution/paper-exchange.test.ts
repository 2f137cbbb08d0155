import { describe, expect, it } from 'vitest';
import { PaperExchange } from '../../../src/core/execution/paper-exchange.ts';
import { Account } from '../../../src/core/trading/account.ts';
import type { PendingOrder } from '../../../src/core/trading/step.ts';

const fill = { feeRate: 0.001, slippageBps: 10 };

function exchange(prices: Record<string, number>, cash = 1000, holdings: [string, number][] = []) {
  const account = new Account({
    quote: 'USDT',
    cash: cash + holdings.reduce((s, [, n]) => s + n * 100, 0),
  });
  for (const [symbol, amount] of holdings)
    account.apply({ symbol, side: 'buy', amount, price: 100, fee: 0, ts: 0 });
  const ex = new PaperExchange({
    account,
    priceOf: (s) => prices[s],
    now: () => 1_700_000_000_000,
    fill,
  });
  return { ex, account };
}

describe('PaperExchange', () => {
  it('fills a market buy at the latest price plus slippage, charging the fee in quote, on the one account', async () => {
    const { ex, account } = exchange({ 'BTC/USDT': 100 });
    const { order, fills } = await ex.place({
      symbol: 'BTC/USDT',
      side: 'buy',
      amount: 2,
      reason: 'test',
      clientOrderId: 'c1',
    });
    expect(order).toMatchObject({
      id: 'paper-c1',
      status: 'filled',
      side: 'buy',
      amount: 2,
      mode: 'paper',
      clientOrderId: 'c1',
    });
    expect(order.price).toBeCloseTo(100.1, 10);
    expect(fills).toHaveLength(1);
    expect(fills[0]!.fee).toBeCloseTo(2 * 100.1 * 0.001, 10);
    expect(fills[0]!.feeCurrency).toBe('USDT');
    const w = ex.wallet();
    expect(w.cash).toBeCloseTo(1000 - 200.2 - 0.2002, 9);
    expect(w.holdings.get('BTC/USDT')).toBe(2);
    // The wallet is a view of the account, not a copy.
    expect(account.cash).toBe(w.cash);
    expect(account.position('BTC/USDT')!.amount).toBe(2);
  });

  it('fills a sell below the price and credits proceeds minus fee', async () => {
    const { ex } = exchange({ 'BTC/USDT': 100 }, 0, [['BTC/USDT', 1]]);
    const { order, fills } = await ex.place({
      symbol: 'BTC/USDT',
      side: 'sell',
      amount: 1,
      reason: 'exit',
      clientOrderId: 's1',
    });
    expect(order.status).toBe('filled');
    expect(fills[0]!.price).toBeCloseTo(99.9, 10);
    expect(ex.wallet().cash).toBeCloseTo(99.9 - 0.0999, 9);
    expect(ex.wallet().holdings.has('BTC/USDT')).toBe(false);
  });

  it('the same clientOrderId never trades twice', async () => {
    const { ex } = exchange({ 'BTC/USDT': 100 });
    const intent = {
      symbol: 'BTC/USDT',
      side: 'buy',
      amount: 1,
      reason: 'x',
      clientOrderId: 'dup',
    } as const;
    const a = await ex.place(intent);
    const b = await ex.place(intent);
    expect(b).toBe(a);
    expect(ex.wallet().holdings.get('BTC/USDT')).toBe(1);
  });

  it('rejects, with the reason and no wallet change, what cannot be filled', async () => {
    const { ex } = exchange({ 'BTC/USDT': 100 }, 50);
    const cases = [
      [{ symbol: 'BTC/USDT', side: 'buy', amount: 1 }, /needs 100\.20 USDT, has 50\.00/],
      [{ symbol: 'BTC/USDT', side: 'sell', amount: 1 }, /holds 0/],
      [{ symbol: 'ETH/USDT', side: 'buy', amount: 0.1 }, /no price for ETH\/USDT/],
      [{ symbol: 'ETH/BTC', side: 'buy', amount: 0.1 }, /not quoted in USDT/],
      [{ symbol: 'BTC/USDT', side: 'buy', amount: 1e-10 }, /below the amount step/],
    ] as const;
    let i = 0;
    for (const [intent, why] of cases) {
      const { order, fills } = await ex.place({ ...intent, reason: 'r', clientOrderId: `x${i++}` });
      expect(order.status).toBe('rejected');
      expect(order.reason).toMatch(why);
      expect(fills).toEqual([]);
    }
    expect(ex.wallet().cash).toBe(50);
    expect(ex.wallet().holdings.size).toBe(0);
  });

  it('cancelOpenOrders cancels the orders waiting for their open', async () => {
    const waiting: PendingOrder[] = [
      { id: 'run-1', symbol: 'BTC/USDT', side: 'buy', amount: 1, reason: 'entry', placedTs: 5 },
    ];
    const ex = new PaperExchange({
      account: new Account({ quote: 'USDT', cash: 10 }),
      priceOf: () => 1,
      now: () => 9,
      pending: { cancelPending: () => waiting.splice(0) },
    });
    const canceled = await ex.cancelOpenOrders();
    expect(canceled).toEqual([
      expect.objectContaining({
        id: 'paper-run-1',
        status: 'canceled',
        reason: 'entry; canceled by the stop',
        ts: 9,
      }),
    ]);
    expect(waiting).toEqual([]);
    expect(await ex.cancelOpenOrders()).toEqual([]);
  });

  it('honours an aborted signal before trading', async () => {
    const { ex } = exchange({ 'BTC/USDT': 100 });
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      ex.place(
        { symbol: 'BTC/USDT', side: 'buy', amount: 1, reason: 'x', clientOrderId: 'a' },
        ctl.signal,
      ),
    ).rejects.toThrow();
    expect(ex.wallet().cash).toBe(1000);
  });
});
