/**
 * Fills by websocket: the real ccxt.pro subscribes to the loopback Binance's spot
 * user-data stream (websocket API, signed subscription, executionReport events), and the
 * live executor records what arrives there outside the tick — once per trade, whichever
 * of the socket, the poll or the order's answer saw it first. A dropped socket loses
 * nothing: the poll, or the catch-up after the reconnect, recovers the trades it missed.
 */
import { describe, expect, it } from 'vitest';
import type { Fill, Order } from '../../src/core/api/schemas.ts';
import type { CcxtExecutor } from '../../src/core/execution/ccxt-executor.ts';
import { useLoopbackLive } from '../fixtures/execution/live-harness.ts';
import { until } from '../support/until.ts';

const h = useLoopbackLive('botdesk-live-stream-');

/** Everything the executor hands to the engine outside place(), gathered across takeUpdates(). */
function collector(ex: CcxtExecutor) {
  const got = { orders: [] as Order[], fills: [] as Fill[], notices: [] as string[] };
  return {
    got,
    take() {
      const u = ex.takeUpdates();
      got.orders.push(...u.orders);
      got.fills.push(...u.fills);
      got.notices.push(...u.notices);
      return got;
    },
  };
}

function privateReads(from: number): string[] {
  return h.account.calls
    .slice(from)
    .filter((c) => c === 'GET /api/v3/order' || c === 'GET /api/v3/myTrades');
}

async function streaming(ex: CcxtExecutor): Promise<void> {
  await until('the fill stream to subscribe', () => ex.stream?.healthy === true);
}

/** An executor on a fresh account, its fill stream subscribed. */
async function streamingLive(opts: Parameters<typeof h.live>[0]): Promise<CcxtExecutor> {
  h.withAccount();
  const ex = await h.live(opts);
  await streaming(ex);
  return ex;
}

/** A market buy of which `partial` fills now; the rest rests until `fillOrder`. */
async function partialBuy(ex: CcxtExecutor, symbol: string, amount: number, partial: number) {
  h.account.failNext('POST /api/v3/order', { partial });
  const placed = await ex.place(h.buy(symbol, amount));
  return { ...placed, resting: h.account.orders.at(-1)! };
}

describe('fills by websocket (ccxt.pro watchMyTrades/watchOrders)', () => {
  it('a partial fill then the full fill arrive by websocket, each applied once', async () => {
    // No polling to speak of: what arrives, arrives by the socket.
    const ex = await streamingLive({ pollMs: 60_000, safetyPollMs: 60_000 });
    expect(h.account.userStream.subscriptions).toBe(1);
    const { order, fills, resting } = await partialBuy(ex, 'BTC/USDT', 0.01, 0);
    expect(order.status).toBe('open');
    expect(fills).toEqual([]);
    const callsAfterPlace = h.account.calls.length;
    const u = collector(ex);

    h.account.fillOrder(resting.orderId, 0.004);
    await until('the partial fill', () => u.take().fills.length === 1);
    expect(u.got.fills[0]).toMatchObject({ orderId: order.id, amount: 0.004, feeCurrency: 'USDT' });
    expect(u.got.orders.at(-1)).toMatchObject({ id: order.id, status: 'open' });
    expect(u.got.orders.at(-1)!.reason).toMatch(/partially filled 0.004 of 0.01/);
    expect(ex.ledger.get(order.id)).toMatchObject({ state: 'partially_filled', filled: 0.004 });

    h.account.fillOrder(resting.orderId);
    await until('the full fill', () => u.take().orders.some((o) => o.status === 'filled'));
    // Later updates (the order's own FILLED report) change nothing.
    await new Promise((r) => setTimeout(r, 150));
    u.take();
    expect(u.got.fills.map((f) => f.amount)).toEqual([0.004, 0.006]);
    expect(u.got.fills.map((f) => f.id)).toEqual(
      h.account.trades.map((t) => `binance:BTC/USDT:${t.id}`),
    );
    expect(ex.ledger.fillsOf(order.id)).toHaveLength(2);
    expect(ex.ledger.get(order.id)).toMatchObject({ state: 'filled', filled: 0.01 });
    expect(ex.stream!.received).toBe(2);
    // Neither an order look-up nor a trade fetch: both came by the socket.
    expect(privateReads(callsAfterPlace)).toEqual([]);
  });

  it('a trade seen by both the poll and the socket is applied once', async () => {
    const ex = await streamingLive({ pollMs: 20, safetyPollMs: 20 });
    const { order, fills, resting } = await partialBuy(ex, 'ETH/USDT', 0.2, 0.4);
    expect(fills.map((f) => f.amount)).toEqual([0.08]);
    const u = collector(ex);
    // The socket is slow: the poll finds the rest first.
    h.account.userStream.hold = true;
    h.account.fillOrder(resting.orderId);
    await until('the poll to record the fill', () =>
      u.take().orders.some((o) => o.id === order.id && o.status === 'filled'),
    );
    const seenBefore = ex.stream!.seen;
    h.account.userStream.release();
    await until('the socket to deliver the same trade', () => ex.stream!.seen > seenBefore);
    await new Promise((r) => setTimeout(r, 100));
    u.take();
    expect(u.got.fills.map((f) => f.amount)).toEqual([0.12]);
    expect(ex.ledger.fillsOf(order.id).map((f) => f.amount)).toEqual([0.08, 0.12]);
    expect(ex.stream!.received).toBe(0);
  });

  it('the socket drops between two fills: the poll recovers the second, once, and the stream comes back', async () => {
    const ex = await streamingLive({ pollMs: 30, safetyPollMs: 60_000 });
    const { order, resting } = await partialBuy(ex, 'BTC/USDT', 0.01, 0);
    const u = collector(ex);
    h.account.fillOrder(resting.orderId, 0.004);
    await until('the first fill by the socket', () => u.take().fills.length === 1);
    expect(ex.stream!.received).toBe(1);

    h.fake.dropWebsockets(3_600_000);
    await until('the stream to notice the drop', () => ex.stream!.healthy === false);
    expect(ex.stream!.drops).toBe(1);
    h.account.fillOrder(resting.orderId);
    expect(h.account.userStream.connected).toBe(0);
    await until('the poll to recover the second fill', () =>
      u.take().orders.some((o) => o.status === 'filled'),
    );
    expect(u.got.fills.map((f) => f.amount)).toEqual([0.004, 0.006]);
    expect(ex.stream!.received).toBe(1);

    // Back online: the stream subscribes again and fills come by the socket again.
    h.fake.allowWebsockets();
    await streaming(ex);
    expect(h.account.userStream.subscriptions).toBe(2);
    const second = await partialBuy(ex, 'BTC/USDT', 0.002, 0);
    h.account.fillOrder(second.resting.orderId);
    await until('a fill by the socket after the reconnect', () =>
      u.take().fills.some((f) => f.orderId === second.order.id),
    );
    await new Promise((r) => setTimeout(r, 100));
    u.take();
    const ids = u.got.fills.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(3);
    expect(ex.ledger.get(order.id)).toMatchObject({ state: 'filled', filled: 0.01 });
  });

  it('with polling off, the catch-up after the reconnect fetches the trades since the last one seen', async () => {
    const ex = await streamingLive({ pollMs: 60_000, safetyPollMs: 60_000 });
    const { order, resting } = await partialBuy(ex, 'ETH/USDT', 0.2, 0.5);
    const u = collector(ex);
    h.fake.dropWebsockets(3_600_000);
    await until('the stream to notice the drop', () => ex.stream!.healthy === false);
    h.account.fillOrder(resting.orderId);
    await new Promise((r) => setTimeout(r, 200));
    expect(u.take().fills).toEqual([]);
    const calls = h.account.calls.length;
    h.fake.allowWebsockets();
    await until('the catch-up to record the missed fill', () =>
      u.take().orders.some((o) => o.id === order.id && o.status === 'filled'),
    );
    expect(h.account.calls.slice(calls)).toContain('GET /api/v3/myTrades');
    expect(u.got.fills.map((f) => f.amount)).toEqual([0.1]);
    expect(ex.ledger.fillsOf(order.id).map((f) => f.amount)).toEqual([0.1, 0.1]);
  });

  it('a fee paid in BNB arrives by the socket in BNB and leaves the USDT budget alone', async () => {
    h.withAccount({ balances: { USDT: 10_000, BNB: 1 }, feeAsset: 'BNB', feeAssetPrice: 600 });
    const ex = await h.live({ pollMs: 60_000, safetyPollMs: 60_000 });
    await streaming(ex);
    const { resting } = await partialBuy(ex, 'BTC/USDT', 0.01, 0);
    const calls = h.account.calls.length;
    const u = collector(ex);
    h.account.fillOrder(resting.orderId);
    await until('the fill by the socket', () => u.take().fills.length === 1);
    const f = u.got.fills[0]!;
    expect(f.feeCurrency).toBe('BNB');
    expect(f.fee).toBeCloseTo((f.amount * f.price * 0.001) / 600, 7);
    expect(privateReads(calls)).toEqual([]);
    await ex.refreshBalance();
    expect(ex.availableCash()).toBeCloseTo(10_000 - f.amount * f.price, 6);
    expect(h.account.free('BNB')).toBeCloseTo(1 - f.fee, 7);
  });
});
