/** What the engine's pieces (tick, settle) share: dependencies and the run's state. */
import type { BotConfig, Candle, Signal } from '../../api/schemas.ts';
import type { ComputePool } from '../../compute/types.ts';
import type { Executor } from '../../execution/types.ts';
import type { Journal } from '../../journal/journal.ts';
import type { MarketDataSource } from '../../market/types.ts';
import type { Account } from '../../trading/account.ts';
import type { RiskBook } from '../../trading/rules/risk-book.ts';
import type { TradingCore } from '../../trading/step.ts';
import type { EventBus } from '../event-bus.ts';
import type { EngineStats, PairHealthBook } from './pairs.ts';
import type { Recorder } from './recorder.ts';
import type { RiskBlockTracker, UserRequests } from './user-requests.ts';

export interface EngineDeps {
  runId: string;
  /** The effective config; risk, fees and stop behaviour may change between ticks. */
  config: () => BotConfig;
  entriesPaused: () => boolean;
  market: MarketDataSource;
  pool: ComputePool;
  journal: Journal;
  /** The bot's account, replayed from the journal's fills. */
  account: Account;
  /**
   * Where orders go when it is not paper trading on candles: an exchange (live) or a test
   * double. Orders are then placed through it as soon as they are decided, and its fills
   * are applied to the account. Absent: paper orders fill at the next candle's open.
   */
  executor?: Executor;
  /** The risk rules' state, restored from the journal (loaded from it when absent). */
  risk?: RiskBook;
  /** The equity recorded when a UTC day began (the journal's), so a restart keeps the daily limit. */
  dayStartEquity?: (dayStart: number) => number | undefined;
  bus: EventBus;
  now: () => number;
  /**
   * Stop requested: no new tick starts, waits for candles end, a warm-up is abandoned.
   * A tick already running finishes (its orders get journaled) unless `kill` aborts too.
   */
  signal: AbortSignal;
  /** Forced stop: in-flight compute and order requests are abandoned. */
  kill: AbortSignal;
  /** Consecutive failures after which a pair is paused. */
  maxPairFailures: number;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** Called after every change the status shows (tick, pair health, feed health). */
  onChange: () => void;
}

export interface EngineParts {
  readonly d: EngineDeps;
  readonly core: TradingCore;
  readonly risk: RiskBook;
  /** The paper exchange over the account, or the external executor. */
  readonly executor: Executor;
  /** Orders go through `executor` when decided (true), or fill at the next open (false). */
  readonly external: boolean;
  readonly pairs: PairHealthBook;
  readonly stats: EngineStats;
  readonly recorder: Recorder;
  /** Close time of the newest candle processed: trading records are stamped in market time. */
  marketTime(): number;
  setMarketTime(t: number): void;
  emitCandles(symbol: string, candles: readonly Candle[], signals: readonly Signal[]): void;
  /** The user's close and entry requests, applied at the next candle time. */
  readonly requests?: UserRequests;
  /** Entries refused by a blocking risk rule, as a state. */
  readonly riskBlock?: RiskBlockTracker;
}
