import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../../src/renderer/src/i18n/instance.ts';
import { formatCount } from '../../../src/renderer/src/format.ts';
import { orderRows, rowsCount } from '../../../src/renderer/src/state/order-rows.ts';
import { fill, order } from './fixtures.ts';

afterEach(() => i18n.changeLanguage('en'));

describe('orders with their fills', () => {
  it('one row per order with what its fills did, instead of two tables repeating each other', () => {
    const o1 = order({ id: 'o1', clientOrderId: 'c1', ts: 1 });
    const o2 = order({ id: 'o2', clientOrderId: 'c2', ts: 2, status: 'open' });
    const rows = orderRows(
      [o2, o1],
      [
        fill({ id: 'f1', orderId: 'o1', amount: 1, price: 100, fee: 0.1 }),
        fill({ id: 'f2', orderId: 'o1', amount: 1, price: 110, fee: 0.1 }),
      ],
    );
    expect(rows.map((r) => [r.id, r.filledAmount, r.fillPrice, r.fee])).toEqual([
      ['o2', 0, null, 0],
      ['o1', 2, 105, 0.2],
    ]);
  });

  it('a capped table says how many there are in all, like the statistics', () => {
    expect(rowsCount(50, 1234, formatCount)).toBe('latest 50 of 1,234');
    expect(rowsCount(3, 3, formatCount)).toBe('3');
    expect(rowsCount(3, null, formatCount)).toBe('3');
  });

  it('says so in the language chosen (no English left in Swedish)', async () => {
    await i18n.changeLanguage('sv');
    expect(rowsCount(50, 1234, (n) => String(n))).toBe('senaste 50 av 1234');
  });
});
