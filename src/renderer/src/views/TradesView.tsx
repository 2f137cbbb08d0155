import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  formatSignedPercent,
} from '../format.ts';
import { describeError } from '../state/describe-error.ts';
import { tradesCsv } from '../state/trades-csv.ts';
import { TRADES_PAGE_SIZE } from '../state/trades-store.ts';
import { reasonWords } from '../state/reason-words.ts';

/** One empty list: a selector answering a new [] each time re-renders forever (React #185). */
const NO_SYMBOLS: string[] = [];

const tone = (v: number) => (Math.abs(v) < 0.005 ? 'num' : v > 0 ? 'num up' : 'num down');

const columns = (t: TFunction): Column<Trade>[] => [
  { head: t('trades.col.symbol'), cell: (x) => x.symbol },
  { head: t('trades.col.opened'), className: 'nowrap', cell: (x) => formatDateTime(x.openedAt) },
  { head: t('trades.col.closed'), className: 'nowrap', cell: (x) => formatDateTime(x.closedAt) },
  { head: t('trades.col.duration'), className: 'num', cell: (x) => formatDuration(x.durationMs) },
  { head: t('trades.col.amount'), className: 'num', cell: (x) => formatAmount(x.amount) },
  { head: t('trades.col.entry'), className: 'num', cell: (x) => formatPrice(x.entryPrice) },
  { head: t('trades.col.exit'), className: 'num', cell: (x) => formatPrice(x.exitPrice) },
  { head: t('trades.col.pnl'), className: (x) => tone(x.pnl), cell: (x) => formatSigned(x.pnl) },
  {
    head: t('trades.col.pnlPct'),
    className: (x) => tone(x.pnl),
    cell: (x) => formatSignedPercent(x.pnlPct * 100),
  },
  {
    head: t('trades.col.exitReason'),
    className: 'muted ellipsis',
    cell: (x) => <span title={reasonWords(x.exitReason)}>{reasonWords(x.exitReason)}</span>,
  },
];

function Filters() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const filters = useTrades((s) => s.filters);
  const runs = useRuns((s) => s.runs);
  const symbols = useBot((s) => s.status?.config?.symbols ?? NO_SYMBOLS);
  return (
    <div className="filters" role="group" aria-label={t('trades.filters')}>
      <label>
        {t('trades.run')}
        <select
          value={filters.run}
          onChange={(e) => void commands.filterTrades({ run: e.target.value })}
        >
          <option value="current">{t('trades.runShown')}</option>
          <option value="all">{t('trades.allRuns')}</option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {formatDateTime(r.startedAt)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('trades.symbol')}
        <select
          value={filters.symbol}
          onChange={(e) => void commands.filterTrades({ symbol: e.target.value })}
        >
          <option value="">{t('trades.allSymbols')}</option>
          {symbols.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        {t('trades.outcome')}
        <select
          value={filters.outcome}
          onChange={(e) =>
            void commands.filterTrades({ outcome: e.target.value as '' | 'win' | 'loss' })
          }
        >
          <option value="">{t('trades.winsAndLosses')}</option>
          <option value="win">{t('trades.wins')}</option>
          <option value="loss">{t('trades.losses')}</option>
        </select>
      </label>
    </div>
  );
}

function Pager({ total }: { total: number }) {
  const { commands } = useApp();
  const { t } = useTranslation();
  const page = useTrades((s) => s.filters.page);
  const pages = Math.max(1, Math.ceil(total / TRADES_PAGE_SIZE));
  return (
    <div className="pager" role="navigation" aria-label={t('trades.pages')}>
      <button
        className="btn small"
        disabled={page === 0}
        onClick={() => void commands.tradesPage(page - 1)}
      >
        {t('trades.previous')}
      </button>
      <span data-testid="trades-page">{t('trades.page', { page: page + 1, pages })}</span>
      <button
        className="btn small"
        disabled={page + 1 >= pages}
        onClick={() => void commands.tradesPage(page + 1)}
      >
        {t('trades.next')}
      </button>
    </div>
  );
}

function ExportButton() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const exportCsv = async () => {
    try {
      const trades = await commands.allTrades();
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      downloadText(`botdesk-trades-${stamp}.csv`, tradesCsv(trades));
      setError(null);
    } catch (err) {
      setError(t('trades.exportFailed', { message: describeError(err) }));
    }
  };
  return (
    <>
      <button className="btn" onClick={() => void exportCsv()}>
        {t('trades.export')}
      </button>
      {error ? <span className="field-error">{error}</span> : null}
    </>
  );
}

export function TradesView() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const cols = useMemo(() => columns(t), [t]);
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
        title={t('trades.title')}
        testId="trades-table"
        rows={result?.trades ?? []}
        empty={t('trades.none')}
        columns={cols}
        aside={
          result ? (
            <span data-testid="trades-summary">
              {t('trades.summary', { trades: formatCount(total), wins: formatCount(result.wins) })}{' '}
              <span className={tone(result.pnl)}>{formatSigned(result.pnl)}</span>
            </span>
          ) : (
            t('trades.loading')
          )
        }
        footer={<Pager total={total} />}
      />
    </div>
  );
}
