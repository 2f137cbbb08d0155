import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Position } from '../../../core/api/schemas.ts';
import { useApp, useBot, usePositions, useSettings } from '../app-context.ts';
import { positionLevels } from '../state/pair-risk-form.ts';
import { TableCard, type Column } from '../components/DataTable.tsx';
import { ResetAccount } from '../components/ResetAccount.tsx';
import {
  formatAmount,
  formatDateTime,
  formatPrice,
  formatSigned,
  formatSignedPercent,
} from '../format.ts';

type Row = Position & {
  id: string;
  stop: number | null;
  target: number | null;
  pairRules: boolean;
};

const tone = (v: number | null | undefined) =>
  v === null || v === undefined || Math.abs(v) < 0.005 ? 'num' : v > 0 ? 'num up' : 'num down';

function pnlPct(p: Position): string {
  if (p.unrealizedPnl === null || p.avgPrice <= 0) return '';
  return ` (${formatSignedPercent((p.unrealizedPnl / (p.avgPrice * p.amount)) * 100)})`;
}

function CloseButton({ symbol }: { symbol: string }) {
  const { commands } = useApp();
  const { t } = useTranslation();
  const running = useBot((s) => s.status?.state === 'running');
  const requested = usePositions((s) => s.requested[symbol]?.kind);
  return (
    <button
      className="btn small danger"
      disabled={!running || requested !== undefined}
      onClick={() => void commands.closePosition(symbol)}
      aria-label={t('positions.closeLabel', { symbol })}
      title={running ? t('positions.closeHint') : t('positions.closeNeedsRun')}
    >
      {requested === 'close' ? t('positions.closing') : t('positions.close')}
    </button>
  );
}

/** A stop or target level; one from the pair's own rules says so. */
function level(t: TFunction, p: Row, which: 'stop' | 'target') {
  return (
    <span
      data-testid={`${which}-${p.symbol}`}
      title={p.pairRules ? t('pairs.levelsFrom', { symbol: p.symbol }) : undefined}
    >
      {formatPrice(p[which])}
      {p.pairRules && p[which] !== null ? ' *' : ''}
    </span>
  );
}

const columns = (t: TFunction): Column<Row>[] => [
  { head: t('positions.col.symbol'), cell: (p) => p.symbol },
  { head: t('positions.col.amount'), className: 'num', cell: (p) => formatAmount(p.amount) },
  { head: t('positions.col.entry'), className: 'num', cell: (p) => formatPrice(p.avgPrice) },
  { head: t('positions.col.current'), className: 'num', cell: (p) => formatPrice(p.lastPrice) },
  {
    head: t('positions.col.pnl'),
    className: (p) => tone(p.unrealizedPnl),
    cell: (p) => (p.unrealizedPnl === null ? '—' : `${formatSigned(p.unrealizedPnl)}${pnlPct(p)}`),
  },
  {
    head: t('positions.col.stop'),
    className: 'num',
    cell: (p) => level(t, p, 'stop'),
  },
  {
    head: t('positions.col.target'),
    className: 'num',
    cell: (p) => level(t, p, 'target'),
  },
  {
    head: t('positions.col.opened'),
    className: 'nowrap muted',
    cell: (p) => (p.openedAt ? formatDateTime(p.openedAt) : '—'),
  },
  { head: t('positions.col.action'), cell: (p) => <CloseButton symbol={p.symbol} /> },
];

function ForceEntry() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const symbols = useBot((s) => (s.status?.state === 'running' ? s.status.config?.symbols : null));
  const requested = usePositions((s) => s.requested);
  const [symbol, setSymbol] = useState('');
  const chosen = symbol || symbols?.[0] || '';
  return (
    <div className="force-entry">
      <label htmlFor="force-symbol">{t('positions.force')}</label>
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
        {requested[chosen]?.kind === 'enter' ? t('positions.entering') : t('positions.enter')}
      </button>
      <span className="hint">
        {symbols ? t('positions.forceHint') : t('positions.forceNeedsRun')}
      </span>
    </div>
  );
}

export function PositionsView() {
  const { t } = useTranslation();
  const cols = useMemo(() => columns(t), [t]);
  const positions = usePositions((s) => s.positions);
  const error = usePositions((s) => s.error);
  // the running bot's rules (risk changes apply to it at once), else the saved ones
  const risk = useBot((s) => s.status?.config?.risk);
  const saved = useSettings((s) => s.settings?.bot.risk);
  const rows: Row[] = positions.map((p) => {
    const levels = positionLevels(p, risk ?? saved);
    return {
      ...p,
      id: p.symbol,
      stop: levels.stop,
      target: levels.target,
      pairRules: levels.overridden,
    };
  });
  return (
    <div className="page">
      <ForceEntry />
      {error ? (
        <div className="notice error" role="alert" data-testid="position-error">
          {error}
        </div>
      ) : null}
      <TableCard
        title={t('positions.title')}
        testId="positions-table"
        rows={rows}
        empty={t('positions.none')}
        columns={cols}
      />
      <ResetAccount />
    </div>
  );
}
