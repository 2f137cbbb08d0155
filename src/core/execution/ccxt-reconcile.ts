/**
 * Reconcile at start, before any new order: the ledger against the exchange.
 * - orders left pending (sent, answer never seen: a crash, a lost answer) are looked up by
 *   client id and settled from the exchange's view, never sent again;
 * - orders left open are refreshed (fills that came while BotDesk was down);
 * - open orders and recent trades on the exchange that the ledger does not know are
 *   reported (orders placed by hand are left alone);
 * - fills the engine's journal may have missed (a crash between the ledger and the journal)
 *   are handed over again.
 * Every difference is queued as a notice (shown and logged) and an event (journaled).
 */
import { callWithRetry } from './ccxt-calls.ts';
import type { CcxtExecutor } from './ccxt-executor.ts';
import { isOurClientId } from './ccxt-client-id.ts';
import { recordTrades } from './ccxt-fill-stream.ts';
import { applyAnswer, lookupOrder, settleLostOrder } from './ccxt-order-sync.ts';

export interface ReconcileOptions {
  signal: AbortSignal;
  /** How far back to look for trades when the ledger has none for a symbol, ms. */
  lookbackMs: number;
  journaledFills?: (ids: readonly string[]) => ReadonlySet<string>;
}

function describe(o: { symbol: string; side: string; amount: number }): string {
  return `${o.symbol} ${o.side} ${o.amount}`;
}

export async function reconcileWithExchange(
  ex: CcxtExecutor,
  opts: ReconcileOptions,
): Promise<void> {
  const { ledger } = ex;
  const { signal } = opts;
  const summary = {
    settled: [] as string[],
    unknownOrders: [] as string[],
    foreignTrades: 0,
    recoveredFills: 0,
    redelivered: 0,
  };

  // Fills the journal may lack, from before this run (new fills below are delivered anyway).
  const unjournaled = ledger.unjournaledFills();
  if (opts.journaledFills && unjournaled.length > 0) {
    const known = opts.journaledFills(unjournaled.map((f) => f.id));
    ledger.markJournaled([...known]);
    const missing = unjournaled.filter((f) => !known.has(f.id));
    for (const clientId of new Set(missing.map((f) => f.orderId))) {
      const order = ledger.get(clientId);
      if (order)
        ex.queue(
          order,
          missing.filter((f) => f.orderId === clientId),
        );
    }
    if (missing.length > 0) {
      summary.redelivered = missing.length;
      ex.notice(
        `${missing.length} fill(s) recorded before the restart were missing from the journal and were added`,
      );
    }
  }

  for (const order of ledger.unresolved()) {
    const before = ledger.fillsOf(order.clientId).length;
    let next;
    if (order.state === 'pending') {
      next = await settleLostOrder(ex, order, signal);
    } else {
      const found = await lookupOrder(ex, order, signal);
      if (!found) {
        ex.noteEvent('reconcile-missing', { id: order.clientId });
        ex.queue(
          order,
          [],
          `order ${order.clientId} (${describe(order)}) is ${order.state} in the ledger but unknown to ${ex.exchangeId}`,
        );
        continue;
      }
      next = await applyAnswer(ex, order, found, signal);
    }
    const fills = ledger.fillsOf(order.clientId).slice(before);
    if (next.state === order.state && fills.length === 0) continue;
    summary.settled.push(order.clientId);
    const how =
      order.state === 'pending'
        ? `was sent before the restart without an answer; ${ex.exchangeId} has it as ${next.state} (looked up by client id, not sent again)`
        : `changed while BotDesk was away: ${order.state} → ${next.state}`;
    ex.queue(
      next,
      fills,
      `order ${order.clientId} (${describe(order)}) ${how}${fills.length ? `, ${fills.length} fill(s) recorded` : ''}`,
    );
  }

  for (const symbol of ex.symbols) {
    const open = await callWithRetry(
      ex.ctx,
      `fetchOpenOrders ${symbol}`,
      () => ex.exchange.fetchOpenOrders(symbol),
      signal,
    );
    for (const o of open) {
      if (o.clientOrderId && ledger.get(o.clientOrderId)) continue;
      summary.unknownOrders.push(String(o.id));
      const whose = isOurClientId(o.clientOrderId ?? undefined)
        ? 'has a BotDesk client id but is not in this ledger'
        : 'was not placed by BotDesk';
      ex.noteEvent('reconcile-foreign-order', {
        symbol,
        exchangeId: o.id,
        side: o.side,
        amount: o.amount,
        price: o.price,
      });
      ex.notice(
        `open order ${o.id} on ${symbol} (${o.side} ${o.amount}${o.price ? ` @ ${o.price}` : ''}) ${whose}: left alone`,
      );
    }

    const since = ledger.lastFillTs(symbol) ?? Date.now() - opts.lookbackMs;
    const trades = await callWithRetry(
      ex.ctx,
      `fetchMyTrades ${symbol}`,
      () => ex.exchange.fetchMyTrades(symbol, since),
      signal,
    );
    const { changed, unmatched } = recordTrades(ledger, ex.exchangeId, trades);
    summary.foreignTrades += unmatched.length;
    for (const { order, added } of changed) {
      summary.recoveredFills += added.length;
      ex.queue(
        order,
        added,
        `${added.length} trade(s) of order ${order.clientId} (${describe(order)}) were on ${ex.exchangeId} but not in the ledger: recorded`,
      );
    }
  }
  if (summary.foreignTrades > 0)
    ex.notice(
      `${summary.foreignTrades} recent trade(s) on ${ex.symbols.join(', ')} were not made by BotDesk: not counted in the bot's positions`,
    );
  ex.noteEvent('reconcile', summary);
}
