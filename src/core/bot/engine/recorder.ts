/**
 * What the engine writes and tells: one journal transaction per tick (or stop step), then
 * the events, so nothing is reported before it is stored. Also turns the trading core's
 * step results into the journal's order and fill records.
 */
import type { Fill, Order } from '../../api/schemas.ts';
import { paperFill, paperOrder } from '../../execution/paper-exchange.ts';
import type { Journal, JournalEvent } from '../../journal/journal.ts';
import type { Settled, StepOutput } from '../../trading/step.ts';
import type { EventBus } from '../event-bus.ts';
import type { EngineStats } from './pairs.ts';

export interface TickRecords {
  /** New orders among `orders` (the rest update orders journaled open earlier). */
  placed: number;
  orders: Order[];
  fills: Fill[];
  events: JournalEvent[];
}

export function emptyRecords(): TickRecords {
  return { placed: 0, orders: [], fills: [], events: [] };
}

/** The record of a settled paper order (filled at its open or a protective level, or refused). */
export function recordSettled(s: Settled, ts: number, quote: string, into: TickRecords): void {
  if (!s.wasPending) into.placed += 1;
  if (s.fill === null) {
    const reason = `${s.order.reason}; rejected: ${s.reason ?? 'unknown'}`;
    into.orders.push(paperOrder({ ...s.order, reason }, 'rejected', ts));
    return;
  }
  const order = paperOrder(
    { ...s.order, amount: s.fill.amount },
    'filled',
    s.fill.ts,
    s.fill.price,
  );
  into.orders.push(order);
  into.fills.push(paperFill(order, s.fill, quote));
}

/**
 * Journal records of one step: refused signals, and for paper trading the settled orders
 * and the new open ones (an external executor's orders are recorded from its answers).
 * `ts` is the step's decision time (its candle's close).
 */
export function recordStep(
  out: StepOutput,
  ts: number,
  quote: string,
  paper: boolean,
  into: TickRecords,
  log: (message: string) => void,
): void {
  if (paper) {
    for (const s of out.settled) recordSettled(s, ts, quote, into);
    for (const o of out.placed) into.orders.push(paperOrder(o, 'open', o.placedTs));
    into.placed += out.placed.length;
  }
  for (const r of out.rejections) {
    into.events.push({ ts, kind: 'risk-rejected', payload: { ...r } });
    log(`${r.symbol}: ${r.action} not taken: ${r.reason}`);
  }
}

export class Recorder {
  readonly #journal: Journal;
  readonly #bus: EventBus;
  readonly #stats: EngineStats;

  constructor(journal: Journal, bus: EventBus, stats: EngineStats) {
    this.#journal = journal;
    this.#bus = bus;
    this.#stats = stats;
  }

  commit(records: TickRecords, equity?: { ts: number; equity: number; cash: number }): void {
    const { orders, fills, events } = records;
    this.#journal.commitTick({ orders, fills, ...(equity ? { equity } : {}), events });
    this.#stats.orders += records.placed;
    this.#stats.fills += fills.length;
    for (const o of orders) this.#bus.emit('order', o);
    for (const f of fills) this.#bus.emit('fill', f);
  }
}
