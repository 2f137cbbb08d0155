/**
 * The rows a tick's commit writes: its SQL and each record's values in column order. The
 * journal prepares these statements once; the live benchmark's session-2 commit
 * (bench/journal-legacy.ts) prepares them on every commit, to measure the difference.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { EquityPoint, Fill, Order } from '../api/schemas.ts';

export const TICK_SQL = {
  order: `INSERT INTO orders (id, client_order_id, mode, symbol, side, type, amount, price, status, reason, ts, run_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET status = excluded.status, price = excluded.price, reason = excluded.reason`,
  fill: `INSERT INTO fills (id, order_id, symbol, side, amount, price, fee, fee_currency, ts, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  equity: 'INSERT INTO equity (ts, equity, cash, run_id) VALUES (?, ?, ?, ?)',
  event: 'INSERT INTO events (ts, kind, payload) VALUES (?, ?, ?)',
} as const;

export function orderValues(o: Order, runId: string | null): SQLInputValue[] {
  return [
    o.id,
    o.clientOrderId,
    o.mode,
    o.symbol,
    o.side,
    o.type,
    o.amount,
    o.price,
    o.status,
    o.reason,
    o.ts,
    runId,
  ];
}

export function fillValues(f: Fill, runId: string | null): SQLInputValue[] {
  return [f.id, f.orderId, f.symbol, f.side, f.amount, f.price, f.fee, f.feeCurrency, f.ts, runId];
}

export function equityValues(e: EquityPoint, runId: string | null): SQLInputValue[] {
  return [e.ts, e.equity, e.cash, runId];
}
