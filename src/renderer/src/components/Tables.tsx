import type { ReactNode } from 'react';
import type { Fill, Order } from '../../../core/api/schemas.ts';
import { useJournal } from '../app-context.ts';
import { formatAmount, formatFee, formatPrice, formatTime } from '../format.ts';
import { Card } from './Card.tsx';

interface Column<T> {
  head: string;
  className?: string | ((row: T) => string);
  cell: (row: T) => ReactNode;
}

function TableCard<T extends { id: string }>(props: {
  title: string;
  testId: string;
  rows: T[];
  empty: string;
  columns: Column<T>[];
}) {
  const { title, testId, rows, empty, columns } = props;
  const classOf = (c: Column<T>, row: T) =>
    typeof c.className === 'function' ? c.className(row) : c.className;
  return (
    <Card title={title} aside={rows.length} className="table-card">
      <div className="table-scroll">
        <table data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.head}
                  className={typeof c.className === 'string' ? c.className : undefined}
                >
                  {c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty">
                  {empty}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id}>
                  {columns.map((c) => (
                    <td key={c.head} className={classOf(c, row)}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** Time, symbol, side, amount, price: what orders and fills have in common. */
function tradeColumns<T extends Order | Fill>(price: (row: T) => string): Column<T>[] {
  return [
    { head: 'Time', cell: (r) => formatTime(r.ts) },
    { head: 'Symbol', cell: (r) => r.symbol },
    { head: 'Side', className: (r) => r.side, cell: (r) => r.side.toUpperCase() },
    { head: 'Amount', className: 'num', cell: (r) => formatAmount(r.amount) },
    { head: 'Price', className: 'num', cell: price },
  ];
}

const ORDER_COLUMNS: Column<Order>[] = [
  ...tradeColumns<Order>((o) => (o.price === null ? 'market' : formatPrice(o.price))),
  { head: 'Status', cell: (o) => <span className={`pill ${o.status}`}>{o.status}</span> },
  {
    head: 'Reason',
    className: 'muted ellipsis',
    cell: (o) => <span title={o.reason}>{o.reason}</span>,
  },
];

const FILL_COLUMNS: Column<Fill>[] = [
  ...tradeColumns<Fill>((f) => formatPrice(f.price)),
  { head: 'Fee', className: 'num muted', cell: (f) => `${formatFee(f.fee)} ${f.feeCurrency}` },
];

export function OrdersTable() {
  const orders = useJournal((s) => s.orders);
  return (
    <TableCard
      title="Orders"
      testId="orders-table"
      rows={orders}
      empty="No orders yet"
      columns={ORDER_COLUMNS}
    />
  );
}

export function FillsTable() {
  const fills = useJournal((s) => s.fills);
  return (
    <TableCard
      title="Fills"
      testId="fills-table"
      rows={fills}
      empty="No fills yet"
      columns={FILL_COLUMNS}
    />
  );
}
