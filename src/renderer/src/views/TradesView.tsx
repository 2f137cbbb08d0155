import { useEffect, useState } from 'react';
import type { Trade } from '../../../core/api/schemas.ts';
import { useApp, useBot, useRuns, useTrades } from '../app-context.ts';
import { TableCard, type Column } from '../components/DataTable.tsx';
import { downloadText } from '../components/download.ts';
import {
  formatAmount,
  formatCount,
  formatDateTime,
  formatDuration,
  formatPrice,
  formatSigned,
} from '../format.ts';
import { describeError } from '../state/describe-error.ts';
import { tradesCsv } from '../state/trades-csv.ts';
import { TRADES_PAGE_SIZE } from '../state/trades-store.ts';

const tone = (v: number) => (Math.abs(v) < 0.005 ? 'num' : v > 0 ? 'num up' : 'num down');

const COLUMNS: Column<Trade>[] = [
  { head: 'Symbol', cell: (t) => t.symbol },
  { head: 'Opened', className: 'nowrap', cell: (t) => formatDateTime(t.openedAt) },
  { head: 'Closed', className: 'nowrap', cell: (t) => formatDateTime(t.closedAt) },
  { head: 'Duration', className: 'num', cell: (t) => formatDuration(t.durationMs) },
  { head: 'Amount', className: 'num', cell: (t) => formatAmount(t.amount) },
  { head: 'Entry', className: 'num', cell: (t) => formatPrice(t.entryPrice) },
  { head: 'Exit', className: 'num', cell: (t) => formatPrice(t.exitPrice) },
  { head: 'PnL', className: (t) => tone(t.pnl), cell: (t) => formatSigned(t.pnl) },
  {
    head: 'PnL %',
    className: (t) => tone(t.pnl),
    cell: (t) => `${formatSigned(t.pnlPct * 100)}%`,
  },
  {
    head: 'Exit reason',
    className: 'muted ellipsis',
    cell: (t) => <span title={t.exitReason}>{t.exitReason}</span>,
  },
];

function Filters() {
  const { commands } = useApp();
  const filters = useTrades((s) => s.filters);
  const runs = useRuns((s) => s.runs);
  const symbols = useBot((s) => s.status?.config?.symbols ?? []);
  return (
    <div className="filters" role="group" aria-label="Trade filters">
      <label>
        Run
        <select
          value={filters.run}
          onChange={(e) => void commands.filterTrades({ run: e.target.value })}
        >
          <option value="current">Run shown</option>
          <option value="all">All runs</option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {formatDateTime(r.startedAt)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Symbol
        <select
          value={filters.symbol}
          onChange={(e) => void commands.filterTrades({ symbol: e.target.value })}
        >
          <option value="">All symbols</option>
          {symbols.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select
          value={filters.outcome}
          onChange={(e) =>
            void commands.filterTrades({ outcome: e.target.value as '' | 'win' | 'loss' })
          }
        >
          <option value="">Wins and losses</option>
          <option value="win">Wins</option>
          <option value="loss">Losses</option>
        </select>
      </label>
    </div>
  );
}

function Pager({ total }: { total: number }) {
  const { commands } = useApp();
  const page = useTrades((s) => s.filters.page);
  const pages = Math.max(1, Math.ceil(total / TRADES_PAGE_SIZE));
  return (
    <div className="pager" role="navigation" aria-label="Trade pages">
      <button
        className="btn small"
        disabled={page === 0}
        onClick={() => void commands.tradesPage(page - 1)}
      >
        Previous
      </button>
      <span data-testid="trades-page">
        Page {page + 1} of {pages}
      </span>
      <button
        className="btn small"
        disabled={page + 1 >= pages}
        onClick={() => void commands.tradesPage(page + 1)}
      >
        Next
      </button>
    </div>
  );
}

function ExportButton() {
  const { commands } = useApp();
  const [error, setError] = useState<string | null>(null);
  const exportCsv = async () => {
    try {
      const trades = await commands.allTrades();
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      downloadText(`botdesk-trades-${stamp}.csv`, tradesCsv(trades));
      setError(null);
    } catch (err) {
      setError(`Export failed: ${describeError(err)}`);
    }
  };
  return (
    <>
      <button className="btn" onClick={() => void exportCsv()}>
        Export CSV
      </button>
      {error ? <span className="field-error">{error}</span> : null}
    </>
  );
}

export function TradesView() {
  const { commands } = useApp();
  const result = useTrades((s) => s.result);
  const error = useTrades((s) => s.error);
  useEffect(() => {
    void commands.loadTrades();
  }, [commands]);
  const total = result?.total ?? 0;
  return (
    <div className="page">
      <div className="toolbar">
        <Filters />
        <ExportButton />
      </div>
      {error ? <div className="notice error">{error}</div> : null}
      <TableCard
        title="Closed trades"
        testId="trades-table"
        rows={result?.trades ?? []}
        empty="No closed trades match"
        columns={COLUMNS}
        aside={
          result ? (
            <span data-testid="trades-summary">
              {formatCount(total)} trades · {formatCount(result.wins)} wins · PnL{' '}
              <span className={tone(result.pnl)}>{formatSigned(result.pnl)}</span>
            </span>
          ) : (
            'loading…'
          )
        }
        footer={<Pager total={total} />}
      />
    </div>
  );
}
