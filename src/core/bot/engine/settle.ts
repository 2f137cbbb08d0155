/**
 * Orders across a run's edges. At start, orders an interrupted run left open in the
 * journal are settled before trading resumes; at stop, the stop behaviour is applied to
 * orders still waiting and to open positions.
 */
import type { StopBehavior } from '../../api/schemas.ts';
import type { Executor } from '../../execution/types.ts';
import type { Journal } from '../../journal/journal.ts';
import type { PendingOrder } from '../../trading/step.ts';
import { raceAbort } from '../abortable.ts';
import type { EngineParts } from './parts.ts';
import { emptyRecords } from './recorder.ts';
import { placeExternally } from './tick.ts';

/**
 * A paper order still open was decided at a candle's close and was waiting for the next
 * open when its run was interrupted. Filling it now, at a price from after the restart,
 * would trade on a stale decision: it is canceled, with the reason.
 */
export function reconcile(
  journal: Journal,
  executor: Executor,
  now: number,
  log: (level: 'warn', message: string) => void,
): void {
  const open = journal.openOrders();
  if (open.length === 0) return;
  // Live orders are reconciled with the exchange by the live executor's prepare().
  if (executor.mode !== 'paper') return;
  const canceled = open.map((o) => ({
    ...o,
    status: 'canceled' as const,
    reason: `${o.reason}; canceled on reconcile: the run that placed it was interrupted`,
  }));
  journal.commitTick({
    orders: canceled,
    events: [{ ts: now, kind: 'reconcile', payload: { canceled: canceled.map((o) => o.id) } }],
  });
  log(
    'warn',
    `reconciled ${canceled.length} order(s) left open by an interrupted run: marked canceled`,
  );
}

/** After the loop ended: apply the configured stop behaviour to orders and positions. */
export async function settle(
  p: EngineParts,
  behavior: StopBehavior,
  signal: AbortSignal,
): Promise<string> {
  if (behavior === 'leave') return 'open orders and positions left as they are';
  const canceled = await raceAbort(p.executor.cancelOpenOrders(signal), signal);
  const ts = p.marketTime();
  const records = emptyRecords();
  records.orders.push(...canceled);
  records.events.push({ ts, kind: 'stop-cancel', payload: canceled.map((o) => o.id) });
  p.recorder.commit(records);
  if (behavior === 'cancel_orders') return `${canceled.length} open order(s) canceled`;
  const closing: PendingOrder[] = [...p.core.account.positions()].map((pos) => ({
    id: `${p.d.runId}-stop-${pos.symbol}-sell`,
    symbol: pos.symbol,
    side: 'sell',
    amount: pos.amount,
    reason: 'close position on stop',
    placedTs: ts,
  }));
  const closes = emptyRecords();
  // The paper exchange fills at the latest close; an external executor at its market.
  const placed = await placeExternally(p, closing, closes, signal);
  p.recorder.commit(closes, { ts, equity: p.core.equity(), cash: p.core.account.cash });
  const closed = placed.filter((r) => r.order.status === 'filled').length;
  const failed = closing.length - closed;
  return `${canceled.length} open order(s) canceled, ${closed} position(s) closed${failed > 0 ? `, ${failed} could not be closed` : ''}`;
}
