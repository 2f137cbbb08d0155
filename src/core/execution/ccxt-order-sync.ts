/**
 * Keeping the ledger in step with the exchange's view of the bot's orders: look an order
 * up by its client id, settle one whose answer was lost (never by sending it again),
 * record an answer with its trades, poll the orders still open, and catch up on trades
 * after the fill stream was away. Used by the executor, the reconcile and the fill stream.
 */
import type { Order as CcxtOrder } from 'ccxt';
import type { Fill } from '../api/schemas.ts';
import { sleepReal } from '../market/clock.ts';
import { backoffMs, callWithRetry, cancelled } from './ccxt-calls.ts';
import type { CcxtExecutor } from './ccxt-executor.ts';
import { recordTrades } from './ccxt-fill-stream.ts';
import { UNRESOLVED, type LedgerOrder } from './ccxt-ledger.ts';
import { averagePrice, fillOf, filledBy, missingTrades, stateOf } from './ccxt-order-map.ts';

/** The order as the exchange has it, by client id; null when it does not exist (yet). */
export async function lookupOrder(
  ex: CcxtExecutor,
  order: LedgerOrder,
  signal?: AbortSignal,
): Promise<CcxtOrder | null> {
  const { ccxt } = ex.ctx;
  return callWithRetry(
    ex.ctx,
    `fetchOrder ${order.clientId}`,
    () =>
      ex.exchange
        .fetchOrder('', order.symbol, { clientOrderId: order.clientId })
        .catch((err: unknown) => {
          if (err instanceof ccxt.OrderNotFound) return null;
          throw err;
        }),
    signal,
  );
}

/**
 * An order whose answer never came: look it up by client id until the exchange knows it,
 * or until the grace time proves it never arrived. Never sent again.
 */
export async function settleLostOrder(
  ex: CcxtExecutor,
  order: LedgerOrder,
  signal?: AbortSignal,
): Promise<LedgerOrder> {
  const grace = ex.lostOrderGraceMs;
  for (let attempt = 1; ; attempt++) {
    const found = await lookupOrder(ex, order, signal);
    if (found) return applyAnswer(ex, order, found, signal);
    const waited = Date.now() - order.createdTs;
    if (waited >= grace) {
      return ex.ledger.record(order.clientId, {
        state: 'rejected',
        note: `the exchange never received it (no order with client id ${order.clientId} ${Math.round(waited / 1000)} s after sending)`,
        updatedTs: Date.now(),
      }).order;
    }
    const pause = Math.min(grace - waited, backoffMs(ex.ctx.backoff, attempt));
    if (!(await sleepReal(pause, signal ?? ex.closingSignal)))
      throw cancelled(`look-up of ${order.clientId}`);
  }
}

/** Records the exchange's view of an order with its trades; returns the updated order. */
export async function applyAnswer(
  ex: CcxtExecutor,
  order: LedgerOrder,
  answer: CcxtOrder,
  signal?: AbortSignal,
): Promise<LedgerOrder> {
  let fills = (answer.trades ?? [])
    .map((t) =>
      fillOf(ex.exchangeId, { ...t, symbol: t.symbol ?? order.symbol }, order.clientId, order.side),
    )
    .filter((f): f is Fill => f !== null);
  const known = ex.ledger.fillsOf(order.clientId);
  const all = new Map([...known, ...fills].map((f) => [f.id, f]));
  if (missingTrades(answer, [...all.values()])) {
    const trades = await callWithRetry(
      ex.ctx,
      `fetchMyTrades ${order.symbol}`,
      () =>
        ex.exchange.fetchMyTrades(order.symbol, undefined, undefined, {
          orderId: answer.id,
        }),
      signal,
    );
    fills = trades
      .filter((t) => t.order === undefined || t.order === answer.id)
      .map((t) => fillOf(ex.exchangeId, t, order.clientId, order.side))
      .filter((f): f is Fill => f !== null);
  }
  const merged = new Map([...known, ...fills].map((f) => [f.id, f]));
  const everything = [...merged.values()];
  const state = stateOf(answer);
  const { order: next, added } = ex.ledger.record(
    order.clientId,
    {
      state,
      exchangeOrderId: answer.id,
      filled: Math.max(answer.filled ?? 0, filledBy(everything)),
      avgPrice: answer.average ?? averagePrice(everything),
      ...(state === 'rejected' || state === 'canceled'
        ? { note: `${answer.status ?? state} on ${ex.exchangeId}` }
        : {}),
      updatedTs: Date.now(),
    },
    fills,
  );
  if (next.state !== order.state || added.length > 0)
    ex.noteEvent('live-order', {
      id: next.clientId,
      exchangeId: next.exchangeOrderId,
      state: next.state,
      filled: next.filled,
    });
  return next;
}

/** One round of polling: every unresolved order, then the balance. */
export async function pollOpenOrders(ex: CcxtExecutor, signal?: AbortSignal): Promise<void> {
  for (const order of ex.ledger.unresolved()) {
    if (!UNRESOLVED.includes(order.state) || ex.inFlight(order.clientId)) continue;
    const before = ex.ledger.fillsOf(order.clientId).length;
    const found = await lookupOrder(ex, order, signal);
    if (!found) {
      if (order.state === 'pending') await settleLostOrder(ex, order, signal);
      continue;
    }
    const next = await applyAnswer(ex, order, found, signal);
    const fills = ex.ledger.fillsOf(order.clientId).slice(before);
    if (!UNRESOLVED.includes(next.state)) ex.stream?.forget(order.clientId);
    if (next.state !== order.state || fills.length > 0) ex.queue(next, fills);
  }
  await ex.refreshBalance(signal);
}

/**
 * After the fill stream (re)subscribed: the trades since the last one seen, on every
 * symbol with an order still open, then a poll of those orders. Trades the socket also
 * delivers are recorded once (by trade id).
 */
export async function catchUpTrades(ex: CcxtExecutor, signal: AbortSignal): Promise<void> {
  const open = ex.ledger
    .unresolved()
    .filter((o) => o.state !== 'pending' && !ex.inFlight(o.clientId));
  for (const symbol of new Set(open.map((o) => o.symbol))) {
    const oldest = Math.min(
      ...open.filter((o) => o.symbol === symbol).map((o) => o.createdTs - 60_000),
    );
    const since = ex.ledger.lastFillTs(symbol) ?? oldest;
    const trades = await callWithRetry(
      ex.ctx,
      `fetchMyTrades ${symbol}`,
      () => ex.exchange.fetchMyTrades(symbol, since),
      signal,
    );
    for (const { order, added } of recordTrades(ex.ledger, ex.exchangeId, trades).changed)
      ex.queue(order, added);
  }
  await pollOpenOrders(ex, signal);
}
