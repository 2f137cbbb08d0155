import { useMemo } from 'react';
import { useBot, useJournal, useRuns } from '../app-context.ts';
import { formatAmount, formatCount, formatDateTime, formatFee, formatPrice } from '../format.ts';
import { orderRows, rowsCount, type OrderRow } from '../state/order-rows.ts';
import { shownRun } from '../state/runs-store.ts';
import { useThrottled } from '../use-throttled.ts';
import { TableCard, type Column } from './DataTable.tsx';

const ORDER_COLUMNS: Column<OrderRow>[] = [
  { head: 'Time', className: 'nowrap', cell: (r) => formatDateTime(r.ts) },
  { head: 'Symbol', cell: (r) => r.symbol },
  { head: 'Side', className: (r) => r.side, cell: (r) => r.side.toUpperCase() },
  { head: 'Amount', className: 'num', cell: (r) => formatAmount(r.amount) },
  {
    head: 'Fill price',
    className: 'num',
    cell: (r) => (r.fillPrice === null ? '—' : formatPrice(r.fillPrice)),
  },
  {
    head: 'Fee',
    className: 'num muted',
    cell: (r) => (r.fillPrice === null ? '—' : `${formatFee(r.fee)} ${r.feeCurrency}`),
  },
  { head: 'Status', cell: (r) => <span className={`pill ${r.status}`}>{r.status}</span> },
  {
    head: 'Reason',
    className: 'muted ellipsis',
    cell: (r) => <span title={r.reason}>{r.reason}</span>,
  },
];

/** Rows on the dashboard (the journal keeps them all; the Trades view pages through trades). */
const SHOWN = 50;
/** How often the table follows new orders while a fast clock streams. */
const TABLE_MS = 250;

/** The total the statistics count for the run shown (the live status, or the run's record). */
function useOrderTotal(): number | null {
  return useRuns((s) => {
    const runId = shownRun(s.picked, null);
    return runId ? (s.runs.find((r) => r.id === runId)?.orders ?? null) : null;
  });
}

export function OrdersTable() {
  const orders = useThrottled(
    useJournal((s) => s.orders),
    TABLE_MS,
  );
  const fills = useThrottled(
    useJournal((s) => s.fills),
    TABLE_MS,
  );
  const rows = useMemo(() => orderRows(orders, fills).slice(0, SHOWN), [orders, fills]);
  const picked = useRuns((s) => s.picked);
  const liveTotal = useBot((s) => (s.status?.state === 'running' ? s.status.orders : null));
  const recorded = useOrderTotal();
  const total = picked === null ? liveTotal : recorded;
  return (
    <TableCard
      title="Orders"
      testId="orders-table"
      rows={rows}
      empty="No orders in this run"
      columns={ORDER_COLUMNS}
      aside={
        <span data-testid="orders-count">
          {rowsCount(rows.length, Math.max(total ?? 0, orders.length), formatCount)}
        </span>
      }
    />
  );
}
