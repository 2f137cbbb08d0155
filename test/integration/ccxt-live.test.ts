/**
 * The live executor with the real ccxt against the loopback Binance's private API
 * (signed requests, balances, orders, trades). Faults are injected per request: lost
 * answers, 429s, partial fills, insufficient balance.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exchangeClientId } from '../../src/core/execution/ccxt-client-id.ts';
import { OrderLedger } from '../../src/core/execution/ccxt-ledger.ts';
import { KEYS, useLoopbackLive } from '../fixtures/execution/live-harness.ts';
import { until } from '../support/until.ts';

const h = useLoopbackLive('botdesk-live-');
const { withAccount, live, buy, posts } = h;

describe('live executor on ccxt against a loopback Binance', () => {
  it('places a market order with an exchange-safe client id, journaled as pending first, filled with its fee', async () => {
    withAccount();
    const ex = await live();
    const intent = buy();
    const { order, fills } = await ex.place(intent);
    const clientId = exchangeClientId(intent.clientOrderId);
    expect(clientId).toMatch(/^[a-z0-9]{32}$/);
    expect(h.account.ordersWithClientId(clientId)).toHaveLength(1);
    expect(order).toMatchObject({
      id: clientId,
      clientOrderId: intent.clientOrderId,
      status: 'filled',
      mode: 'live',
      amount: 0.01,
    });
    expect(fills).toHaveLength(1);
    const price = h.account.trades.at(-1)!.price;
    expect(fills[0]).toMatchObject({ orderId: clientId, amount: 0.01, price, feeCurrency: 'USDT' });
    expect(fills[0]!.fee).toBeCloseTo(0.01 * price * 0.001, 8);
    expect(ex.ledger.get(clientId)).toMatchObject({
      state: 'filled',
      exchangeOrderId: String(h.account.orders.at(-1)!.orderId),
    });
    // Balances come from the exchange (refreshed in the background after an order).
    await ex.balanceSettled();
    expect(ex.wallet().cash).toBeCloseTo(h.account.free('USDT'), 6);
    expect(ex.wallet().holdings.get('BTC/USDT')).toBeCloseTo(0.01, 10);
    // The same engine id again is the same order: reported, not sent.
    const again = await ex.place(intent);
    expect(again.order.status).toBe('filled');
    expect(h.account.ordersWithClientId(clientId)).toHaveLength(1);
    expect(posts()).toBe(1);
  });

  it('a createOrder whose answer is lost (connection reset) produces exactly one order, settled by client id', async () => {
    withAccount();
    const ex = await live();
    h.account.failNext('POST /api/v3/order', 'reset');
    const intent = buy('ETH/USDT', 0.2);
    const { order, fills } = await ex.place(intent);
    const clientId = exchangeClientId(intent.clientOrderId);
    expect(h.account.ordersWithClientId(clientId)).toHaveLength(1);
    expect(posts()).toBe(1);
    expect(h.account.calls).toContain('GET /api/v3/order');
    expect(order.status).toBe('filled');
    expect(fills.map((f) => f.amount)).toEqual([0.2]);
  });

  it('a createOrder that times out is looked up, never resent', async () => {
    withAccount();
    const ex = await live();
    h.account.failNext('POST /api/v3/order', 'hang');
    const intent = buy();
    const { order } = await ex.place(intent);
    expect(order.status).toBe('filled');
    expect(h.account.ordersWithClientId(exchangeClientId(intent.clientOrderId))).toHaveLength(1);
    expect(posts()).toBe(1);
  });

  it('a lost order the exchange never received is rejected after the grace time, not resent', async () => {
    withAccount();
    const ex = await live();
    h.account.failNext('POST /api/v3/order', 'drop');
    const intent = buy();
    const { order, fills } = await ex.place(intent);
    expect(order.status).toBe('rejected');
    expect(order.reason).toMatch(/the exchange never received it/);
    expect(fills).toEqual([]);
    expect(h.account.orders).toHaveLength(0);
    expect(posts()).toBe(1);
  });

  it('backs off on 429 and places the order once', async () => {
    withAccount();
    const ex = await live();
    h.account.failNext('POST /api/v3/order', 429, 429);
    const intent = buy();
    const { order } = await ex.place(intent);
    expect(order.status).toBe('filled');
    expect(posts()).toBe(3);
    expect(h.account.ordersWithClientId(exchangeClientId(intent.clientOrderId))).toHaveLength(1);
    expect(ex.retries).toBe(2);
    // Reads back off too.
    await ex.balanceSettled();
    h.account.failNext('GET /api/v3/account', 429, 429);
    await ex.refreshBalance();
    expect(ex.retries).toBe(4);
    expect(ex.wallet().holdings.get('BTC/USDT')).toBeCloseTo(0.01, 10);
  });

  it('insufficient balance: rejected with the exchange reason, nothing traded', async () => {
    withAccount({ balances: { USDT: 50 } });
    const ex = await live();
    const { order, fills } = await ex.place(buy('BTC/USDT', 0.01));
    expect(order.status).toBe('rejected');
    expect(order.reason).toMatch(/insufficient balance/i);
    expect(fills).toEqual([]);
    expect(h.account.orders).toHaveLength(0);
    expect(h.account.free('USDT')).toBe(50);
  });

  it("refuses orders below the market's amount step or minimum cost before sending them", async () => {
    withAccount();
    const ex = await live({ priceOf: () => 60_000 });
    const tiny = await ex.place(buy('BTC/USDT', 0.000001));
    expect(tiny.order).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/below BTC\/USDT's amount step/),
    });
    const cheap = await ex.place(buy('BTC/USDT', 0.00005));
    expect(cheap.order.reason).toMatch(/order value 3.00 USDT is below BTC\/USDT's minimum 5/);
    expect(posts()).toBe(0);
    expect(ex.ledger.get(cheap.order.id)?.state).toBe('rejected');
  });

  it('partial fills: the rest arrives outside the tick through polling', async () => {
    withAccount();
    const ex = await live();
    h.account.failNext('POST /api/v3/order', { partial: 0.4 });
    const { order, fills } = await ex.place(buy('BTC/USDT', 0.01));
    expect(order.status).toBe('open');
    expect(order.reason).toMatch(/partially filled 0.004 of 0.01/);
    expect(fills.map((f) => f.amount)).toEqual([0.004]);
    h.account.fillOrder(h.account.orders.at(-1)!.orderId);
    const late: { status: string[]; amounts: number[] } = { status: [], amounts: [] };
    await until('the late fill', () => {
      const u = ex.takeUpdates();
      late.status.push(...u.orders.map((o) => o.status));
      late.amounts.push(...u.fills.map((f) => f.amount));
      return late.status.includes('filled');
    });
    expect(late.amounts.reduce((a, b) => a + b, 0)).toBeCloseTo(0.006, 10);
    expect(ex.ledger.get(order.id)).toMatchObject({ state: 'filled', filled: 0.01 });
  });

  it('cancels a resting order and releases its balance', async () => {
    withAccount();
    const ex = await live({ pollMs: 60_000 });
    h.account.failNext('POST /api/v3/order', { partial: 0.5 });
    const { order } = await ex.place(buy('ETH/USDT', 0.2));
    expect(order.status).toBe('open');
    const canceled = await ex.cancelOpenOrders();
    expect(canceled.map((o) => o.id)).toEqual([order.id]);
    expect(canceled[0]!.status).toBe('canceled');
    expect(h.account.orders.at(-1)!.status).toBe('CANCELED');
    expect(h.account.balances.get('USDT')!.locked).toBeCloseTo(0, 6);
    expect(ex.ledger.get(order.id)).toMatchObject({ state: 'canceled', filled: 0.1 });
  });

  it('posts a limit order at its price (to the tick), fills it there, and cancels the rest on stop', async () => {
    withAccount();
    const ex = await live({ pollMs: 60_000, safetyPollMs: 60_000 });
    await until('the fill stream', () => ex.stream?.healthy === true);
    const intent = { ...buy('BTC/USDT', 0.01), limitPrice: 50_000.004 };
    const { order, fills } = await ex.place(intent);
    expect(order).toMatchObject({ status: 'open', type: 'limit', price: 50_000 });
    expect(fills).toEqual([]);
    const resting = h.account.orders.at(-1)!;
    expect(resting).toMatchObject({ type: 'LIMIT', price: 50_000, status: 'NEW' });
    // The exchange locks the order's cost; the budget follows it.
    await ex.balanceSettled();
    expect(h.account.balances.get('USDT')!.locked).toBeCloseTo(0.01 * 50_000 * 1.001, 6);
    expect(ex.availableCash()).toBeCloseTo(10_000 - 0.01 * 50_000 * 1.001, 6);

    h.account.fillOrder(resting.orderId, 0.004);
    const got: number[] = [];
    await until('the partial fill at the limit price', () => {
      got.push(...ex.takeUpdates().fills.map((f) => f.price));
      return got.length > 0;
    });
    expect(got).toEqual([50_000]);
    // The stop behaviour cancels what still rests; its balance is released.
    const canceled = await ex.cancelOpenOrders();
    expect(canceled.map((o) => [o.id, o.status])).toEqual([[order.id, 'canceled']]);
    expect(resting.status).toBe('CANCELED');
    expect(h.account.balances.get('USDT')!.locked).toBeCloseTo(0, 6);
    expect(ex.ledger.get(order.id)).toMatchObject({
      state: 'canceled',
      filled: 0.004,
      type: 'limit',
      limitPrice: 50_000,
    });
    // A price the market cannot take is refused before sending.
    const bad = await ex.place({ ...buy('BTC/USDT', 0.01), limitPrice: -5 });
    expect(bad.order).toMatchObject({ status: 'rejected' });
    expect(bad.order.reason).toMatch(/limit price -5 is not a valid price on BTC\/USDT/);
    expect(posts()).toBe(1);
  });

  it('records a fee paid in BNB in BNB: the USDT spent is the notional only', async () => {
    withAccount({ balances: { USDT: 10_000, BNB: 1 }, feeAsset: 'BNB', feeAssetPrice: 600 });
    const ex = await live();
    const { fills } = await ex.place(buy('BTC/USDT', 0.01));
    const f = fills[0]!;
    expect(f.feeCurrency).toBe('BNB');
    expect(f.fee).toBeCloseTo((f.amount * f.price * 0.001) / 600, 7);
    expect(h.account.free('USDT')).toBeCloseTo(10_000 - f.amount * f.price, 6);
    await ex.balanceSettled();
    expect(ex.wallet().cash).toBeCloseTo(10_000 - f.amount * f.price, 6);
  });

  it('reconciles at start: open orders and trades it did not place are reported, not touched', async () => {
    const acct = withAccount({ balances: { USDT: 10_000, BTC: 1 } });
    // A trader's own order and trade, made by hand on the exchange.
    const manual = await live();
    await manual.exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 99_999, {
      clientOrderId: 'web_manual_1',
    });
    await manual.exchange.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      clientOrderId: 'web_manual_2',
    });
    const ex = await live({ pollMs: 60_000 });
    const notices = (await ex.prepare(new AbortController().signal)).notices;
    expect(notices.join('\n')).toMatch(
      /open order \d+ on BTC\/USDT \(sell 0.1 @ 99999\) was not placed by BotDesk: left alone/,
    );
    expect(notices.join('\n')).toMatch(/1 recent trade\(s\) .* were not made by BotDesk/);
    expect(acct.orders.find((o) => o.clientOrderId === 'web_manual_1')!.status).toBe('NEW');
    expect(await ex.cancelOpenOrders()).toEqual([]);
    expect(acct.orders.find((o) => o.clientOrderId === 'web_manual_1')!.status).toBe('NEW');
  });

  it('a wrong key is an EXCHANGE_AUTH error that does not carry the key', async () => {
    withAccount({ apiKey: 'someOtherKey' });
    const err = await live().then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('EXCHANGE_AUTH');
    expect(err?.message).not.toContain(KEYS.apiKey);
    expect(err?.message).not.toContain(KEYS.secret);
  });
});

describe('a crash between send and answer', () => {
  it('SIGKILLed while the answer is out: at restart the pending order is settled from the exchange, not resent', async () => {
    withAccount();
    const ledgerPath = join(h.dir, 'crash-ledger.sqlite');
    const intent = buy('BTC/USDT', 0.02);
    const clientId = exchangeClientId(intent.clientOrderId);
    h.account.failNext('POST /api/v3/order', 'hang');
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, '../fixtures/execution/live-place.ts'),
        h.fake.restUrl,
        ledgerPath,
        JSON.stringify(intent),
      ],
      {
        env: { ...process.env, TEST_API_KEY: KEYS.apiKey, TEST_API_SECRET: KEYS.secret },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += String(d)));
    child.stderr.on('data', (d: Buffer) => (output += String(d)));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await until(
      "the child's order",
      () => h.account.ordersWithClientId(clientId).length === 1,
      20_000,
    );
    // The exchange has executed it; its answer is held back. The ledger already says pending.
    const before = new OrderLedger(ledgerPath);
    expect(before.get(clientId)).toMatchObject({
      state: 'pending',
      intentId: intent.clientOrderId,
    });
    before.close();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toMatch(/answered/);
    h.account.releaseHung();

    const postsBefore = posts();
    const ex = await live({ pollMs: 60_000 }, ledgerPath);
    const update = await ex.prepare(new AbortController().signal);
    expect(posts()).toBe(postsBefore);
    expect(h.account.ordersWithClientId(clientId)).toHaveLength(1);
    expect(update.orders.find((o) => o.id === clientId)).toMatchObject({
      status: 'filled',
      clientOrderId: intent.clientOrderId,
    });
    expect(update.fills.map((f) => f.amount)).toEqual([0.02]);
    expect(update.notices.join('\n')).toMatch(
      new RegExp(
        `order ${clientId} \\(BTC/USDT buy 0.02\\) was sent before the restart without an answer; binance has it as filled`,
      ),
    );
    expect(update.events.map((e) => e.kind)).toContain('reconcile');
    // Placing the same engine order again returns it; nothing is sent.
    const again = await ex.place(intent);
    expect(again.order.status).toBe('filled');
    expect(posts()).toBe(postsBefore);
  });
});
