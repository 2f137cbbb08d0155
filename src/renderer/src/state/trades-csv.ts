/** Closed trades → CSV (RFC 4180 quoting, ISO times in UTC, plain numbers), for the export button. */
import type { Trade } from '../../../core/api/schemas.ts';

const COLUMNS: Array<[string, (t: Trade) => string | number]> = [
  ['symbol', (t) => t.symbol],
  ['opened_at', (t) => new Date(t.openedAt).toISOString()],
  ['closed_at', (t) => new Date(t.closedAt).toISOString()],
  ['duration_s', (t) => t.durationMs / 1000],
  ['amount', (t) => t.amount],
  ['entry_price', (t) => t.entryPrice],
  ['exit_price', (t) => t.exitPrice],
  ['fees', (t) => t.fees],
  ['pnl', (t) => t.pnl],
  ['pnl_pct', (t) => t.pnlPct * 100],
  ['entry_reason', (t) => t.entryReason],
  ['exit_reason', (t) => t.exitReason],
  ['run_id', (t) => t.runId ?? ''],
];

function cell(v: string | number): string {
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tradesCsv(trades: readonly Trade[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const t of trades) lines.push(COLUMNS.map(([, get]) => cell(get(t))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
