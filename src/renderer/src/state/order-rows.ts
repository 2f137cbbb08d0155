/**
 * One row per order with what its fills did (average price, fee), so the dashboard
 * shows one table instead of orders and fills repeating each other.
 */
import type { Fill, Order } from '../../../core/api/schemas.ts';
import { say } from '../i18n/say.ts';

export interface OrderRow extends Order {
  filledAmount: number;
  fillPrice: number | null;
  fee: number;
  feeCurrency: string;
}

export function orderRows(orders: readonly Order[], fills: readonly Fill[]): OrderRow[] {
  const byOrder = new Map<string, Fill[]>();
  for (const f of fills) {
    const list = byOrder.get(f.orderId);
    if (list) list.push(f);
    else byOrder.set(f.orderId, [f]);
  }
  return orders.map((o) => {
    const own = byOrder.get(o.id) ?? [];
    const amount = own.reduce((sum, f) => sum + f.amount, 0);
    const cost = own.reduce((sum, f) => sum + f.amount * f.price, 0);
    return {
      ...o,
      filledAmount: amount,
      fillPrice: amount > 0 ? cost / amount : null,
      fee: own.reduce((sum, f) => sum + f.fee, 0),
      feeCurrency: own[0]?.feeCurrency ?? '',
    };
  });
}

/** "200" or "latest 200 of 1,234": a capped table says so, so its count matches the statistics. */
export function rowsCount(shown: number, total: number | null, format: (n: number) => string) {
  return total !== null && total > shown
    ? say('dashboard.latestOf', { shown: format(shown), total: format(total) })
    : format(shown);
}
