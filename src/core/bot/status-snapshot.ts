/**
 * The status snapshot BotManager returns and pushes on every change: what the running bot
 * reports live, or what the last run left behind once it stopped. Built from plain values
 * so it never waits for the lock or a tick, and so the rules for warnings sit in one place.
 */
import type { BotConfig, BotStatus, FeedHealth, KillSwitchTrip } from '../api/schemas.ts';
import type { SourceHealth } from '../market/types.ts';
import type { RunLedger } from './run-ledger.ts';
import type { Run } from './run.ts';
import type { BotStateName } from '../api/schemas.ts';

const DATA_LABEL = { sim: 'SIMULATED', replay: 'REPLAY', ccxt: 'EXCHANGE' } as const;

/** The source's own health, read live (sources that never push updates are still current). */
function feedHealth(h: SourceHealth): FeedHealth {
  return {
    connected: h.connected,
    lastUpdateAt: h.lastUpdateAt,
    retries: h.retries,
    stale: h.stale,
    lastError: h.lastError,
  };
}

/** What a run's feed and engine warn about (replay gaps, merged candles, stale data). */
export function runWarnings(run: Run): string[] {
  const warnings: string[] = [];
  const feed = run.engine.feedHealth;
  if (feed?.stale)
    warnings.push(`market data is stale${feed.lastError ? `: ${feed.lastError}` : ''}`);
  if (feed?.warning) warnings.push(feed.warning);
  warnings.push(...run.engine.warnings());
  return warnings;
}

/** What the snapshot is made of. */
export interface StatusInputs {
  state: BotStateName;
  run: Run | null;
  config: BotConfig;
  entriesPaused: boolean;
  notices: readonly string[];
  pendingRestart: readonly string[];
  /** What the last run left behind, shown while no run is going. */
  last: RunLedger;
  /** The kill switch tripped for the mode of `config`, when no run is going. */
  trippedKillSwitch: () => KillSwitchTrip | null;
  error: { code: string; message: string } | null;
  rev: number;
  instance: string;
}

export function statusSnapshot(s: StatusInputs): BotStatus {
  const run = s.run;
  const stats = run ? run.engine.stats : s.last.stats;
  const pairs = run ? run.engine.pairs() : s.last.pairs;
  const config = run?.config ?? s.config;
  const warnings = [...s.notices];
  if (s.pendingRestart.length > 0) {
    warnings.push(`changed ${s.pendingRestart.join(', ')} take effect at the next start`);
  }
  for (const p of pairs)
    if (p.state === 'paused')
      warnings.push(`${p.symbol} is paused: ${p.lastError ?? 'repeated failures'}`);
  warnings.push(...(run ? runWarnings(run) : s.last.warnings));
  const killSwitch = run ? run.engine.killSwitch : s.trippedKillSwitch();
  if (killSwitch && !run)
    warnings.push(`${killSwitch.message}; a start needs acknowledgeKillSwitch`);
  return {
    state: s.state,
    mode: config.mode,
    dataLabel: DATA_LABEL[config.market.source],
    entriesPaused: s.entriesPaused,
    config,
    startedAt: run?.startedAt ?? s.last.startedAt,
    ticks: stats.ticks,
    missedTicks: stats.missedTicks,
    signals: stats.signals,
    orders: stats.orders,
    fills: stats.fills,
    equity: stats.equity,
    lastTickAt: stats.lastTickAt,
    pairs,
    warnings,
    lastStop: s.last.stop,
    feed: run ? feedHealth(run.market.health()) : null,
    killSwitch,
    error: s.error,
    rev: s.rev,
    runId: run?.id ?? s.last.runId,
    instance: s.instance,
    riskBlock: run?.engine.riskBlock ?? null,
  };
}
