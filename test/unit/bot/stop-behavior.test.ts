/**
 * The stop behaviour setting (leave / cancel_orders / close_positions) is really applied
 * to the journal and the wallet, and what it did shows in status (`lastStop.outcome`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Order, StopBehavior } from '../../../src/core/api/schemas.ts';
import { PaperExchange } from '../../../src/core/execution/paper-exchange.ts';
import type { ExecutorSeed } from '../../../src/core/bot/manager.ts';
import { Account } from '../../../src/core/trading/account.ts';
import { FakePool, makeManager, waitFor, type TestManager } from './doubles.ts';

let t: TestManager | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

/** A stand-in exchange with its own books, seeded from the bot's wallet: it fills at the latest close. */
function exchangeFor(seed: ExecutorSeed): PaperExchange {
  const account = new Account({ quote: seed.wallet.quote, cash: seed.wallet.cash });
  return new PaperExchange({ account, priceOf: seed.priceOf, now: seed.now });
}

/** A bot whose strategy only ever enters, so both pairs hold a position until the stop. */
async function startHolding(
  stopBehavior: StopBehavior,
  extra: Parameters<typeof makeManager>[0] = {},
) {
  t = makeManager({
    settings: { bot: { symbols: ['BTC/USDT', 'ETH/USDT'], warmupCandles: 10, stopBehavior } },
    ...extra,
  });
  await t.manager.start();
  const pool = t.pools[0]!;
  const evaluate = pool.evaluate.bind(pool);
  pool.evaluate = async (updates, opts) =>
    (await evaluate(updates, opts)).map((r) =>
      r.ok ? { ...r, signals: r.signals.map((s) => ({ ...s, action: 'enter_long' as const })) } : r,
    );
  const journal = t.manager.journal('paper');
  await waitFor(() => journal.positions().length === 2, 10_000, 'a position in both pairs');
  return journal;
}

describe('stop behaviour', () => {
  it('close_positions sells every open position at stop and says so in status', async () => {
    const journal = await startHolding('close_positions');
    const s = await t!.manager.stop({ reason: 'done for today' });
    expect(s.lastStop).toMatchObject({
      reason: 'done for today',
      forced: false,
      stopBehavior: 'close_positions',
      outcome: '0 open order(s) canceled, 2 position(s) closed',
    });
    expect(journal.positions()).toEqual([]);
    const closes = journal.orders(50).filter((o) => o.reason === 'close position on stop');
    expect(closes.map((o) => [o.symbol, o.side, o.status]).sort()).toEqual([
      ['BTC/USDT', 'sell', 'filled'],
      ['ETH/USDT', 'sell', 'filled'],
    ]);
    // The wallet the next start gets from the journal holds only cash again.
    const restarted = await t!.manager.start();
    expect(restarted.state).toBe('running');
    expect(journal.positions()).toEqual([]);
  });

  it('leave keeps positions open and says so in status', async () => {
    const journal = await startHolding('leave');
    const s = await t!.manager.stop();
    expect(s.lastStop).toMatchObject({
      stopBehavior: 'leave',
      outcome: 'open orders and positions left as they are',
    });
    expect(journal.positions()).toHaveLength(2);
  });

  it('cancel_orders cancels resting orders, journals them canceled and keeps positions', async () => {
    const resting: Order = {
      id: 'resting-1',
      clientOrderId: 'resting-1',
      mode: 'paper',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: 0.01,
      price: 40_000,
      status: 'open',
      reason: 'test limit order',
      ts: 0,
    };
    let cancelCalls = 0;
    const journal = await startHolding('cancel_orders', {
      deps: {
        createExecutor: (seed) => {
          const paper = exchangeFor(seed);
          return {
            mode: 'paper',
            place: (intent, signal) => paper.place(intent, signal),
            wallet: () => paper.wallet(),
            cancelOpenOrders: async () => {
              cancelCalls += 1;
              return [{ ...resting, status: 'canceled' }];
            },
          };
        },
      },
    });
    journal.commitTick({ orders: [resting] });
    const s = await t!.manager.stop();
    expect(cancelCalls).toBe(1);
    expect(s.lastStop).toMatchObject({
      stopBehavior: 'cancel_orders',
      outcome: '1 open order(s) canceled',
    });
    expect(journal.openOrders()).toEqual([]);
    expect(journal.orders(50).find((o) => o.id === 'resting-1')?.status).toBe('canceled');
    expect(journal.positions()).toHaveLength(2);
  });

  it.each([
    ['leave', 'open orders and positions left as they are', 'open'],
    ['cancel_orders', '2 open order(s) canceled', 'canceled'],
    ['close_positions', '2 open order(s) canceled, 0 position(s) closed', 'canceled'],
  ] as const)(
    'orders waiting for their next open when the bot stops: %s',
    async (stopBehavior, outcome, status) => {
      // One candle time, entries on both pairs, then the feed ends: the orders never see their open.
      const pool = new FakePool();
      const evaluate = pool.evaluate.bind(pool);
      pool.evaluate = async (updates, opts) =>
        (await evaluate(updates, opts)).map((r) =>
          r.ok
            ? { ...r, signals: r.signals.map((s) => ({ ...s, action: 'enter_long' as const })) }
            : r,
        );
      t = makeManager({
        market: { maxCandles: 1 },
        settings: {
          bot: { symbols: ['BTC/USDT', 'ETH/USDT'], warmupCandles: 10, stopBehavior },
        },
        deps: { createPool: () => pool },
      });
      await t.manager.start();
      await waitFor(() => t!.manager.status().state === 'stopped', 10_000, 'the feed to end');
      const s = t.manager.status();
      expect(s.lastStop).toMatchObject({ reason: 'market feed ended', stopBehavior, outcome });
      const journal = t.manager.journal('paper');
      expect(journal.fills(10)).toEqual([]);
      expect(journal.positions()).toEqual([]);
      const orders = journal.orders(10);
      expect(orders.map((o) => [o.symbol, o.side, o.status]).sort()).toEqual([
        ['BTC/USDT', 'buy', status],
        ['ETH/USDT', 'buy', status],
      ]);
      if (status === 'canceled')
        for (const o of orders) expect(o.reason).toMatch(/canceled by the stop/);
      // The next start settles what a 'leave' left open: a decision from before it is stale.
      const ids = new Set(orders.map((o) => o.id));
      await t.manager.start();
      const after = journal.orders(100).filter((o) => ids.has(o.id));
      expect(after.map((o) => o.status)).toEqual(['canceled', 'canceled']);
      if (status === 'open')
        for (const o of after) expect(o.reason).toMatch(/canceled on reconcile/);
    },
  );

  it('an order call that never answers: the stop is forced, says the behaviour was skipped, and a new start works', async () => {
    let placing = 0;
    t = makeManager({
      settings: {
        bot: { symbols: ['BTC/USDT'], warmupCandles: 10, stopBehavior: 'close_positions' },
      },
      deps: {
        forceGraceMs: 200,
        createExecutor: (seed) => {
          const paper = exchangeFor(seed);
          return {
            mode: 'paper',
            // The first run's exchange hangs and ignores the abort signal; later runs trade.
            place: (intent, signal) =>
              t!.markets.length === 1
                ? new Promise(() => void (placing += 1))
                : paper.place(intent, signal),
            wallet: () => paper.wallet(),
            cancelOpenOrders: (signal) => paper.cancelOpenOrders(signal),
          };
        },
      },
    });
    await t.manager.start();
    await waitFor(() => placing > 0, 10_000, 'an order in flight');
    const s = await t.manager.stop({ reason: 'exchange hangs', timeoutMs: 200 });
    expect(s.state).toBe('stopped');
    expect(s.lastStop).toMatchObject({ reason: 'exchange hangs', forced: true });
    expect(s.lastStop?.outcome).toMatch(/skipped: the tick loop did not unwind/);
    expect(t.pools[0]!.closed).toBe(true);
    expect(t.markets[0]!.closed).toBe(true);
    const again = await t.manager.start();
    expect(again.state).toBe('running');
    await waitFor(() => t!.manager.status().fills > 0, 10_000, 'the new run trading');
  });

  it('a start cancelled during warm-up reports that nothing was settled', async () => {
    const pool = new FakePool();
    let warming = false;
    pool.addPair = () => {
      warming = true;
      return new Promise(() => {}); // a warm-up that never ends
    };
    t = makeManager({ deps: { createPool: () => pool } });
    const start = t.manager.start();
    await waitFor(() => warming, 5000, 'the warm-up');
    await new Promise((r) => setTimeout(r, 300)); // a long warm-up is not part of the stop
    const t0 = performance.now();
    const s = await t.manager.stop({ reason: 'changed my mind' });
    expect(s.lastStop!.durationMs).toBeLessThanOrEqual(performance.now() - t0);
    await expect(start).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(s.state).toBe('stopped');
    expect(s.lastStop).toMatchObject({ reason: 'changed my mind', forced: false });
    expect(s.lastStop?.outcome).toMatch(/nothing to settle/);
    expect(pool.closed).toBe(true);
  });
});
