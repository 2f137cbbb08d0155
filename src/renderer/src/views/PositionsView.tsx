import { useState } from 'react';
import type { Position } from '../../../core/api/schemas.ts';
import { useApp, useBot, usePositions } from '../app-context.ts';
import { TableCard, type Column } from '../components/DataTable.tsx';
import { ResetAccount } from '../components/ResetAccount.tsx';
import { formatAmount, formatDateTime, formatPrice, formatSigned } from '../format.ts';

type Row = Position & { id: string };

const tone = (v: number | null | undefined) =>
  v === null || v === undefined || Math.abs(v) < 0.005 ? 'num' : v > 0 ? 'num up' : 'num down';

function pnlPct(p: Position): string {
  if (p.unrealizedPnl === null || p.avgPrice <= 0) return '';
  return ` (${formatSigned((p.unrealizedPnl / (p.avgPrice * p.amount)) * 100)}%)`;
}

function CloseButton({ symbol }: { symbol: string }) {
  const { commands } = useApp();
  const running = useBot((s) => s.status?.state === 'running');
  const requested = usePositions((s) => s.requested[symbol]?.kind);
  return (
    <button
      className="btn small danger"
      disabled={!running || requested !== undefined}
      onClick={() => void commands.closePosition(symbol)}
      aria-label={`Close ${symbol}`}
      title={running ? 'Sell the whole position at the next tick' : 'Start the bot to close'}
    >
      {requested === 'close' ? 'Closing…' : 'Close'}
    </button>
  );
}

const COLUMNS: Column<Row>[] = [
  { head: 'Symbol', cell: (p) => p.symbol },
  { head: 'Amount', className: 'num', cell: (p) => formatAmount(p.amount) },
  { head: 'Entry', className: 'num', cell: (p) => formatPrice(p.avgPrice) },
  { head: 'Current', className: 'num', cell: (p) => formatPrice(p.lastPrice) },
  {
    head: 'Unrealised PnL',
    className: (p) => tone(p.unrealizedPnl),
    cell: (p) => (p.unrealizedPnl === null ? '—' : `${formatSigned(p.unrealizedPnl)}${pnlPct(p)}`),
  },
  { head: 'Stop', className: 'num', cell: (p) => formatPrice(p.stopPrice ?? null) },
  { head: 'Target', className: 'num', cell: (p) => formatPrice(p.targetPrice ?? null) },
  {
    head: 'Opened',
    className: 'nowrap muted',
    cell: (p) => (p.openedAt ? formatDateTime(p.openedAt) : '—'),
  },
  { head: 'Action', cell: (p) => <CloseButton symbol={p.symbol} /> },
];

function ForceEntry() {
  const { commands } = useApp();
  const symbols = useBot((s) => (s.status?.state === 'running' ? s.status.config?.symbols : null));
  const requested = usePositions((s) => s.requested);
  const [symbol, setSymbol] = useState('');
  const chosen = symbol || symbols?.[0] || '';
  return (
    <div className="force-entry">
      <label htmlFor="force-symbol">Force an entry</label>
      <select
        id="force-symbol"
        value={chosen}
        disabled={!symbols}
        onChange={(e) => setSymbol(e.target.value)}
      >
        {(symbols ?? []).map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <button
        className="btn"
        disabled={!symbols || !chosen || requested[chosen] !== undefined}
        onClick={() => void commands.forceEntry(chosen)}
      >
        {requested[chosen]?.kind === 'enter' ? 'Entering…' : 'Enter now'}
      </button>
      <span className="hint">
        {symbols
          ? 'Buys at the next tick, sized by the stake; risk rules still apply.'
          : 'Start the bot to enter or close positions.'}
      </span>
    </div>
  );
}

export function PositionsView() {
  const positions = usePositions((s) => s.positions);
  const error = usePositions((s) => s.error);
  const rows: Row[] = positions.map((p) => ({ ...p, id: p.symbol }));
  return (
    <div className="page">
      <ForceEntry />
      {error ? (
        <div className="notice error" role="alert" data-testid="position-error">
          {error}
        </div>
      ) : null}
      <TableCard
        title="Open positions"
        testId="positions-table"
        rows={rows}
        empty="No open positions"
        columns={COLUMNS}
      />
      <ResetAccount />
    </div>
  );
}
