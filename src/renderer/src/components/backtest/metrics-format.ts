/** Backtest metrics as the page shows them: label, value in words, and whether higher is better. */
import type { Metrics } from '../../../../core/api/backtest.ts';
import type { enViews } from '../../i18n/en-views.ts';
import {
  formatCount,
  formatDuration,
  formatFixed,
  formatMoney,
  formatPercent,
  formatSigned,
  formatSignedPercent,
} from '../../format.ts';

/** Each row's label is `backtest.metric.<key>` in the translations. */
type MetricKey = keyof (typeof enViews)['backtest']['metric'];

type Row = {
  key: MetricKey;
  label: string;
  show: (m: Omit<Metrics, 'perPair'>) => string;
  tone?: (m: Omit<Metrics, 'perPair'>) => number | null;
};

const pct = (v: number | null) => (v === null ? '—' : formatSignedPercent(v));
const ratio = (v: number | null) => (v === null ? '—' : formatFixed(v, 2));

export const METRIC_ROWS: Row[] = [
  {
    key: 'totalReturnPct',
    label: 'Total return',
    show: (m) => pct(m.totalReturnPct),
    tone: (m) => m.totalReturnPct,
  },
  { key: 'pnl', label: 'PnL', show: (m) => formatSigned(m.pnl), tone: (m) => m.pnl },
  { key: 'finalEquity', label: 'Final equity', show: (m) => formatMoney(m.finalEquity) },
  {
    key: 'maxDrawdownPct',
    label: 'Max drawdown',
    show: (m) => formatPercent(m.maxDrawdownPct, 2),
    tone: (m) => -m.maxDrawdownPct,
  },
  {
    key: 'maxDrawdownDurationMs',
    label: 'Longest drawdown',
    show: (m) => formatDuration(m.maxDrawdownDurationMs),
  },
  { key: 'sharpe', label: 'Sharpe', show: (m) => ratio(m.sharpe) },
  { key: 'sortino', label: 'Sortino', show: (m) => ratio(m.sortino) },
  { key: 'profitFactor', label: 'Profit factor', show: (m) => ratio(m.profitFactor) },
  { key: 'trades', label: 'Trades', show: (m) => formatCount(m.trades) },
  {
    key: 'winRatePct',
    label: 'Win rate',
    show: (m) => (m.winRatePct === null ? '—' : formatPercent(m.winRatePct, 1)),
  },
  { key: 'exposurePct', label: 'Exposure', show: (m) => formatPercent(m.exposurePct, 1) },
  { key: 'buyAndHoldPct', label: 'Buy and hold', show: (m) => pct(m.buyAndHoldPct) },
  { key: 'fees', label: 'Fees', show: (m) => formatMoney(m.fees) },
];

export const toneClass = (v: number | null | undefined) =>
  v === null || v === undefined || Math.abs(v) < 1e-9 ? '' : v > 0 ? 'up' : 'down';

/**
 * A backtest's strategy with the parameters it ran with (a grid's: the winner's), so two
 * results of one strategy can be told apart: `sma-crossover (fast=5, slow=30)`.
 */
export function strategyLabel(ref: { id: string; params?: Record<string, unknown> }): string {
  const params = paramsText(ref.params);
  return params ? `${ref.id} (${params})` : ref.id;
}

/** `fast=5, slow=30`; empty without parameters. */
export function paramsText(params: Record<string, unknown> | undefined): string {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}
