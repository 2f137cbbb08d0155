import { useTranslation } from 'react-i18next';
import { useApp, useJournal, useRuns } from '../app-context.ts';
import type { BotState } from '../state/bot-store.ts';
import type { JournalState } from '../state/journal-store.ts';
import { PastRunStats } from './PastRunStats.tsx';
import { Stat } from './Stat.tsx';
import { useStoreThrottled } from '../use-store-throttled.ts';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatSigned,
  formatSignedPercent,
} from '../format.ts';
import { reasonWords } from '../state/reason-words.ts';
import { currentPnl } from '../state/run-pnl.ts';
import { coreWords } from '../i18n/say.ts';

export function StatsPanel() {
  const picked = useRuns((s) => s.picked);
  return picked ? <PastRunStats runId={picked} /> : <CurrentStats />;
}

const lastTickOf = (s: JournalState) => s.lastTick;
const statusOf = (s: BotState) => s.status;

function CurrentStats() {
  const { t } = useTranslation();
  const { stores } = useApp();
  // statistics a few times a second: the status comes 10 times a second at a fast clock
  const status = useStoreThrottled(stores.bot, statusOf, 250);
  const lastTick = useStoreThrottled(stores.journal, lastTickOf, 250);
  const runId = status?.runId ?? null;
  const run = useRuns((s) => (runId === null ? undefined : s.runs.find((r) => r.id === runId)));
  const firstLoaded = useJournal((s) => s.equity[0] ?? null);
  if (!status)
    return <section className="card stats-card muted">{t('dashboard.noStatus')}</section>;

  const pnls = currentPnl(status, run, firstLoaded);
  const pnl = pnls.run;
  const start = pnls.accountStart;
  const tone = (v: number | null) =>
    v === null || Math.abs(v) < 0.005 ? '' : v > 0 ? 'up' : 'down';
  const quote = status.config?.symbols[0]?.split('/')[1] ?? '';
  const stop = status.lastStop;
  const feed = status.state === 'running' ? status.feed : null;

  return (
    <section className="card stats-card">
      <div className="stats">
        <Stat label={t('dashboard.ticks')} value={formatCount(status.ticks)} testId="ticks" />
        <Stat label={t('dashboard.signals')} value={formatCount(status.signals)} testId="signals" />
        <Stat label={t('dashboard.orders')} value={formatCount(status.orders)} testId="orders" />
        <Stat label={t('dashboard.fills')} value={formatCount(status.fills)} testId="fills" />
        <Stat
          label={t('dashboard.equity', { quote })}
          value={formatMoney(status.equity)}
          testId="equity"
        />
        <Stat
          label={t('dashboard.pnlInRun')}
          value={pnl === null ? '—' : formatSigned(pnl)}
          tone={tone(pnl)}
          testId="pnl"
        />
        <Stat
          label={t('dashboard.accountPnl')}
          value={pnls.account === null ? '—' : formatSigned(pnls.account)}
          detail={
            pnls.account === null || !start
              ? undefined
              : formatSignedPercent((pnls.account / start) * 100)
          }
          tone={tone(pnls.account)}
          testId="account-pnl"
        />
      </div>
      <dl className="facts">
        <dt>{t('dashboard.strategy')}</dt>
        <dd>{status.config ? `${status.config.strategy.id} · ${status.config.timeframe}` : '—'}</dd>
        <dt>
          {status.state === 'running' || status.state === 'starting'
            ? t('dashboard.runningSince')
            : t('dashboard.lastStarted')}
        </dt>
        <dd>{status.startedAt ? formatDateTime(status.startedAt) : '—'}</dd>
        <dt>{t('dashboard.lastTick')}</dt>
        <dd>
          {lastTick
            ? t('dashboard.tickIn', {
                n: lastTick.n,
                duration: formatDuration(lastTick.durationMs),
              })
            : '—'}
          {status.missedTicks > 0 ? (
            <span className="down"> · {t('dashboard.missed', { count: status.missedTicks })}</span>
          ) : null}
        </dd>
        <dt>{t('dashboard.feed')}</dt>
        <dd data-testid="feed">
          {feed ? (
            <>
              {feed.connected ? (
                t('dashboard.feedConnected')
              ) : (
                <span className="down">{t('dashboard.feedDisconnected')}</span>
              )}
              {feed.stale ? <span className="down"> · {t('dashboard.feedStale')}</span> : null}
              {feed.lastUpdateAt
                ? ` · ${t('dashboard.feedUpdated', { time: formatDateTime(feed.lastUpdateAt) })}`
                : ''}
              {feed.retries > 0 ? ` · ${t('dashboard.feedRetries', { count: feed.retries })}` : ''}
              {feed.lastError ? <span className="muted"> · {feed.lastError}</span> : null}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>{t('dashboard.lastStop')}</dt>
        <dd data-testid="last-stop">
          {stop ? (
            <>
              {stop.forced ? (
                <span className="down">{t('dashboard.forced')}</span>
              ) : (
                t('dashboard.graceful')
              )}{' '}
              {t('dashboard.after', { duration: formatDuration(stop.durationMs) })} ·{' '}
              {stop.outcome
                ? coreWords(stop.outcome, `dashboard.stopBehaviour.${stop.stopBehavior}`)
                : t(`dashboard.stopBehaviour.${stop.stopBehavior}`)}{' '}
              · “{reasonWords(stop.reason)}”
            </>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      <h3>{t('dashboard.pairs')}</h3>
      <table className="pairs" data-testid="pair-health">
        <tbody>
          {status.pairs.length === 0 ? (
            <tr>
              <td className="empty">{t('dashboard.noPairs')}</td>
            </tr>
          ) : (
            status.pairs.map((p) => (
              <tr key={p.symbol}>
                <td>{p.symbol}</td>
                <td>
                  <span className={`pill ${p.state}`}>{t(`dashboard.pairState.${p.state}`)}</span>
                </td>
                <td className="muted ellipsis" title={p.lastError}>
                  {p.consecutiveFailures > 0
                    ? t('dashboard.failures', {
                        count: p.consecutiveFailures,
                        error: p.lastError ?? '',
                      })
                    : t('dashboard.healthy')}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
