/** Journal rows → contract values. */
import type { Fill } from '../api/schemas.ts';

type Row = Record<string, unknown>;

export function toFill(r: Row): Fill {
  return {
    id: String(r.id),
    orderId: String(r.order_id),
    symbol: String(r.symbol),
    side: r.side as Fill['side'],
    amount: Number(r.amount),
    price: Number(r.price),
    fee: Number(r.fee),
    feeCurrency: String(r.fee_currency),
    ts: Number(r.ts),
  };
}
