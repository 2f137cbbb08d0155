import { useBot, useJournal, useRuns } from '../app-context.ts';
import { PastRunStats } from './PastRunStats.tsx';
import { Stat } from './Stat.tsx';
import { useThrottled } from '../use-throttled.ts';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatSigned,
  formatTime,
} from '../format.ts';

const STOP_BEHAVIOUR = {
  leave: 'orders and positions left as they were',
  cancel_orders: 'open orders cancelled',
  close_positions: 'positions closed',
} as const;

export function StatsPanel() {
  const picked = useRuns((s) => s.picked);
  return picked ? <PastRunStats runId={picked} /> : <CurrentStats />;
}

function CurrentStats() {
  const status = useBot((s) => s.status);
  const lastTick = useThrottled(
    useJournal((s) => s.lastTick),
    250,
  );
  if (!status) return <section className="card stats-card muted">No status yet</section>;

  const start = status.config?.startingBalance ?? null;
  const pnl = status.equity !== null && start !== null ? status.equity - start : null;
  const quote = status.config?.symbols[0]?.split('/')[1] ?? '';
  const stop = status.lastStop;
  const feed = status.state === 'running' ? status.feed : null;

  return (
    <section className="card stats-card">
      <div className="stats">
        <Stat label="Ticks" value={formatCount(status.ticks)} testId="ticks" />
        <Stat label="Signals" value={formatCount(status.signals)} testId="signals" />
        <Stat label="Orders" value={formatCount(status.orders)} testId="orders" />
        <Stat label="Fills" value={formatCount(status.fills)} testId="fills" />
        <Stat label={`Equity ${quote}`} value={formatMoney(status.equity)} testId="equity" />
        <Stat
          label="PnL"
          value={pnl === null ? '—' : formatSigned(pnl)}
          detail={pnl === null ? undefined : `${formatSigned((pnl / start!) * 100)}%`}
          tone={pnl === null || Math.abs(pnl) < 0.005 ? '' : pnl > 0 ? 'up' : 'down'}
          testId="pnl"
        />
      </div>
      <dl className="facts">
        <dt>Strategy</dt>
        <dd>{status.config ? `${status.config.strategy.id} · ${status.config.timeframe}` : '—'}</dd>
        <dt>
          {status.state === 'running' || status.state === 'starting'
            ? 'Running since'
            : 'Last started'}
        </dt>
        <dd>{status.startedAt ? formatDateTime(status.startedAt) : '—'}</dd>
        <dt>Last tick</dt>
        <dd>
          {lastTick ? `#${lastTick.n} in ${formatDuration(lastTick.durationMs)}` : '—'}
          {status.missedTicks > 0 ? (
            <span className="down"> · {status.missedTicks} missed</span>
          ) : null}
        </dd>
        <dt>Market feed</dt>
        <dd data-testid="feed">
          {feed ? (
            <>
              {feed.connected ? 'connected' : <span className="down">disconnected</span>}
              {feed.stale ? <span className="down"> · stale</span> : null}
              {feed.lastUpdateAt ? ` · updated ${formatTime(feed.lastUpdateAt)}` : ''}
              {feed.retries > 0 ? ` · ${feed.retries} retries` : ''}
              {feed.lastError ? <span className="muted"> · {feed.lastError}</span> : null}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>Last stop</dt>
        <dd data-testid="last-stop">
          {stop ? (
            <>
              {stop.forced ? <span className="down">forced</span> : 'graceful'} after{' '}
              {formatDuration(stop.durationMs)} ·{' '}
              {stop.outcome ?? STOP_BEHAVIOUR[stop.stopBehavior]} · “{stop.reason}”
            </>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      <h3>Pairs</h3>
      <table className="pairs" data-testid="pair-health">
        <tbody>
          {status.pairs.length === 0 ? (
            <tr>
              <td className="empty">No pairs running</td>
            </tr>
          ) : (
            status.pairs.map((p) => (
              <tr key={p.symbol}>
                <td>{p.symbol}</td>
                <td>
                  <span className={`pill ${p.state}`}>{p.state}</span>
                </td>
                <td className="muted ellipsis" title={p.lastError}>
                  {p.consecutiveFailures > 0
                    ? `${p.consecutiveFailures} failures · ${p.lastError ?? ''}`
                    : 'healthy'}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
