import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import type { BacktestResult, BacktestTrade } from '../../../../core/api/backtest.ts';
import {
  formatAmount,
  formatDateTime,
  formatDuration,
  formatPrice,
  formatSigned,
  formatSignedPercent,
} from '../../format.ts';
import { TableCard, type Column } from '../DataTable.tsx';
import { reasonWords } from '../../state/reason-words.ts';

type Row = BacktestTrade & { id: string };
const tone = (v: number) => (Math.abs(v) < 0.005 ? 'num' : v > 0 ? 'num up' : 'num down');

const columns = (t: TFunction): Column<Row>[] => [
  { head: t('backtest.tradeCol.symbol'), cell: (x) => x.symbol },
  {
    head: t('backtest.tradeCol.entry'),
    className: 'nowrap',
    cell: (x) => formatDateTime(x.entryTs),
  },
  { head: t('backtest.tradeCol.exit'), className: 'nowrap', cell: (x) => formatDateTime(x.exitTs) },
  {
    head: t('backtest.tradeCol.duration'),
    className: 'num',
    cell: (x) => formatDuration(x.durationMs),
  },
  { head: t('backtest.tradeCol.amount'), className: 'num', cell: (x) => formatAmount(x.amount) },
  {
    head: t('backtest.tradeCol.entryPrice'),
    className: 'num',
    cell: (x) => formatPrice(x.entryPrice),
  },
  {
    head: t('backtest.tradeCol.exitPrice'),
    className: 'num',
    cell: (x) => formatPrice(x.exitPrice),
  },
  {
    head: t('backtest.tradeCol.pnl'),
    className: (x) => tone(x.pnl),
    cell: (x) => formatSigned(x.pnl),
  },
  {
    head: t('backtest.tradeCol.pnlPct'),
    className: (x) => tone(x.pnl),
    cell: (x) => formatSignedPercent(x.pnlPct),
  },
  {
    head: t('backtest.tradeCol.exitReason'),
    className: 'muted',
    cell: (x) => reasonWords(x.exitReason),
  },
];

/** The newest trades first, at most 500 shown (the metrics count every one). */
export function BacktestTrades({ result }: { result: BacktestResult }) {
  const { t } = useTranslation();
  const cols = useMemo(() => columns(t), [t]);
  const rows = result.trades
    .slice(-500)
    .reverse()
    .map((t, i) => ({ ...t, id: `${t.symbol}-${t.entryTs}-${i}` }));
  return (
    <TableCard
      title={t('backtest.trades')}
      testId="backtest-trades"
      rows={rows}
      empty={t('backtest.noTrades')}
      columns={cols}
      aside={
        rows.length < result.trades.length
          ? t('backtest.latest', { shown: rows.length, total: result.trades.length })
          : result.trades.length
      }
    />
  );
}
