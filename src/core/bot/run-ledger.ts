/**
 * What the status shows of the last run once it has stopped (its figures, how it stopped,
 * its warnings, its id), kept by BotManager across the stop so a stopped bot still tells
 * what it did. Each lifecycle step updates it through one method, so which step resets
 * which figure reads in one place rather than spread over start, stop and reset.
 */
import type { PairHealth, StopReport } from '../api/schemas.ts';
import { EMPTY_STATS, type EngineStats } from './engine/pairs.ts';
import type { Run } from './run.ts';
import { runWarnings } from './status-snapshot.ts';

export class RunLedger {
  stats: EngineStats = EMPTY_STATS;
  pairs: PairHealth[] = [];
  /** What the last run's feed and engine reported (replay gaps, merged candles), kept after it stopped. */
  warnings: string[] = [];
  startedAt: number | null = null;
  stop: StopReport | null = null;
  runId: string | null = null;

  /** A start begins: the last run's warnings no longer apply. */
  starting(): void {
    this.warnings = [];
  }

  /** The run was journaled: from now on it is the run the status names. */
  journaled(run: Run): void {
    this.runId = run.id;
  }

  /** The run warmed up and trades. */
  running(run: Run): void {
    this.startedAt = run.startedAt;
    this.stats = EMPTY_STATS;
  }

  /** The run stopped: keep its figures, not its pairs (they no longer trade, "healthy" or not). */
  stopped(run: Run, stop: StopReport): void {
    this.stop = stop;
    this.stats = { ...run.engine.stats };
    this.pairs = [];
    this.warnings = runWarnings(run).filter((w) => !w.startsWith('market data is stale'));
  }

  /** A start was cancelled before any trading. */
  cancelled(stop: StopReport): void {
    this.stop = stop;
  }

  /** The paper account was reset: the next start begins from zero. */
  resetStats(): void {
    this.stats = { ...EMPTY_STATS };
  }
}
