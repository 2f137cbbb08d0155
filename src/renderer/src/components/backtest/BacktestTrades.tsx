import type { BacktestResult, BacktestTrade } from '../../../../core/api/backtest.ts';
import {
  formatAmount,
  formatDateTime,
  formatDuration,
  formatPrice,
  formatSigned,
} from '../../format.ts';
import { TableCard, type Column } from '../DataTable.tsx';

type Row = BacktestTrade & { id: string };
const tone = (v: number) => (Math.abs(v) < 0.005 ? 'num' : v > 0 ? 'num up' : 'num down');

const COLUMNS: Column<Row>[] = [
  { head: 'Symbol', cell: (t) => t.symbol },
  { head: 'Entry', className: 'nowrap', cell: (t) => formatDateTime(t.entryTs) },
  { head: 'Exit', className: 'nowrap', cell: (t) => formatDateTime(t.exitTs) },
  { head: 'Duration', className: 'num', cell: (t) => formatDuration(t.durationMs) },
  { head: 'Amount', className: 'num', cell: (t) => formatAmount(t.amount) },
  { head: 'Entry price', className: 'num', cell: (t) => formatPrice(t.entryPrice) },
  { head: 'Exit price', className: 'num', cell: (t) => formatPrice(t.exitPrice) },
  { head: 'PnL', className: (t) => tone(t.pnl), cell: (t) => formatSigned(t.pnl) },
  { head: 'PnL %', className: (t) => tone(t.pnl), cell: (t) => `${formatSigned(t.pnlPct)}%` },
  { head: 'Exit reason', className: 'muted', cell: (t) => t.exitReason },
];

/** The newest trades first, at most 500 shown (the metrics count every one). */
export function BacktestTrades({ result }: { result: BacktestResult }) {
  const rows = result.trades
    .slice(-500)
    .reverse()
    .map((t, i) => ({ ...t, id: `${t.symbol}-${t.entryTs}-${i}` }));
  return (
    <TableCard
      title="Trades"
      testId="backtest-trades"
      rows={rows}
      empty="No trades in this backtest"
      columns={COLUMNS}
      aside={
        rows.length < result.trades.length
          ? `latest ${rows.length} of ${result.trades.length}`
          : result.trades.length
      }
    />
  );
}
