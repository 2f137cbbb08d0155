/**
 * What a BotManager is built from: the factories of each run's market, pool and executor,
 * the stores it persists to, and its time limits. Apart from the manager so hosts and test
 * doubles read the contract without its lifecycle code (manager.ts re-exports it).
 */
import type { BotConfig, MarketConfig } from '../api/schemas.ts';
import type { ComputePool } from '../compute/types.ts';
import type { Executor } from '../execution/types.ts';
import type { Journal } from '../journal/journal.ts';
import type { MarketDataSource } from '../market/types.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { DesiredStateStore } from './desired-state.ts';
import type { EventBus } from './event-bus.ts';
import type { ExecutorSeed } from './run.ts';

export interface BotManagerDeps {
  bus: EventBus;
  settings: SettingsStore;
  dataDir: string;
  /** A new market source per run (closed at stop); `bot` is the whole config of the run. */
  createMarket: (config: MarketConfig, bot?: BotConfig) => MarketDataSource;
  /** A new compute pool per run (closed at stop: no worker process outlives the bot). */
  createPool: () => ComputePool;
  /**
   * An executor orders go through as soon as they are decided (a live exchange, a test
   * double); without one (or when it returns undefined), paper orders fill at the next
   * candle's open in the trading core.
   */
  createExecutor?: (seed: ExecutorSeed) => Executor | undefined;
  /** Throws, with the reason, unless a live bot with this config may start (armed, keys). */
  liveGate?: (config: BotConfig) => void;
  openJournal?: (mode: BotConfig['mode']) => Journal;
  desiredState?: DesiredStateStore;
  now?: () => number;
  /** Consecutive failures after which a pair is paused (and ticks after which the bot stops). */
  maxPairFailures?: number;
  /** How long a forced stop waits for pool/market close and for the loop to unwind. */
  forceGraceMs?: number;
}

export interface StopOptions {
  reason?: string;
  timeoutMs?: number;
}
