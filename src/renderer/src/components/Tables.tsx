import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useApp, useBot, useRuns } from '../app-context.ts';
import { formatAmount, formatCount, formatDateTime, formatFee, formatPrice } from '../format.ts';
import { orderRows, rowsCount, type OrderRow } from '../state/order-rows.ts';
import { shownRun } from '../state/runs-store.ts';
import type { JournalState } from '../state/journal-store.ts';
import { useStoreThrottled } from '../use-store-throttled.ts';
import { TableCard, type Column } from './DataTable.tsx';
import { reasonWords } from '../state/reason-words.ts';

const orderColumns = (t: TFunction): Column<OrderRow>[] => [
  { head: t('dashboard.col.time'), className: 'nowrap', cell: (r) => formatDateTime(r.ts) },
  { head: t('dashboard.col.symbol'), cell: (r) => r.symbol },
  {
    head: t('dashboard.col.side'),
    className: (r) => r.side,
    cell: (r) => t(`dashboard.side.${r.side}`),
  },
  { head: t('dashboard.col.amount'), className: 'num', cell: (r) => formatAmount(r.amount) },
  {
    head: t('dashboard.col.fillPrice'),
    className: 'num',
    cell: (r) => (r.fillPrice === null ? '—' : formatPrice(r.fillPrice)),
  },
  {
    head: t('dashboard.col.fee'),
    className: 'num muted',
    cell: (r) => (r.fillPrice === null ? '—' : `${formatFee(r.fee)} ${r.feeCurrency}`),
  },
  {
    head: t('dashboard.col.status'),
    cell: (r) => (
      <span className={`pill ${r.status}`} data-status={r.status}>
        {t(`dashboard.orderStatus.${r.status}`)}
      </span>
    ),
  },
  {
    head: t('dashboard.col.reason'),
    className: 'muted ellipsis',
    cell: (r) => <span title={reasonWords(r.reason)}>{reasonWords(r.reason)}</span>,
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

const ordersOf = (s: JournalState) => s.orders;
const fillsOf = (s: JournalState) => s.fills;

export function OrdersTable() {
  // t changes with the language, so the headings follow it
  const { t } = useTranslation();
  const columns = useMemo(() => orderColumns(t), [t]);
  const { stores } = useApp();
  const orders = useStoreThrottled(stores.journal, ordersOf, TABLE_MS);
  const fills = useStoreThrottled(stores.journal, fillsOf, TABLE_MS);
  const rows = useMemo(() => orderRows(orders, fills).slice(0, SHOWN), [orders, fills]);
  const picked = useRuns((s) => s.picked);
  const liveTotal = useBot((s) => (s.status?.state === 'running' ? s.status.orders : null));
  const recorded = useOrderTotal();
  const total = picked === null ? liveTotal : recorded;
  return (
    <TableCard
      title={t('dashboard.ordersTable')}
      testId="orders-table"
      rows={rows}
      empty={t('dashboard.noOrders')}
      columns={columns}
      aside={
        <span data-testid="orders-count">
          {rowsCount(rows.length, Math.max(total ?? 0, orders.length), formatCount)}
        </span>
      }
    />
  );
}
