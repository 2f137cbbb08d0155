/**
 * One run of the bot: the market source, compute pool, executor and engine a start wires
 * together, and the two abort signals that end it. Built here, apart from BotManager, so
 * the manager keeps only the lifecycle (lock, state, bookkeeping) and this file the
 * wiring, which grows with every new collaborator of the engine.
 */
import { randomBytes } from 'node:crypto';
import type { BotConfig, LogLine } from '../api/schemas.ts';
import type { ComputePool } from '../compute/types.ts';
import type { Executor, Wallet } from '../execution/types.ts';
import type { Journal } from '../journal/journal.ts';
import type { MarketDataSource } from '../market/types.ts';
import type { RulesOf } from '../trading/market-rules.ts';
import type { RiskBook } from '../trading/rules/risk-book.ts';
import { BotEngine, type RunOutcome } from './engine/engine.ts';
import type { EventBus } from './event-bus.ts';

export interface ExecutorSeed {
  config: BotConfig;
  wallet: Wallet;
  priceOf: (symbol: string) => number | undefined;
  now: () => number;
}

export interface Run {
  id: string;
  config: BotConfig;
  /** Stop requested: no new tick, the tick in flight may finish. */
  controller: AbortController;
  /** Forced stop: in-flight compute and orders are abandoned. */
  kill: AbortController;
  engine: BotEngine;
  executor: Executor | undefined;
  market: MarketDataSource;
  pool: ComputePool;
  done: Promise<RunOutcome | { failed: unknown }>;
  startedAt: number;
}

/** What a run needs from the manager that starts it. */
export interface RunWiring {
  journal: Journal;
  bus: EventBus;
  now: () => number;
  createExecutor: ((seed: ExecutorSeed) => Executor | undefined) | undefined;
  entriesPaused: () => boolean;
  maxPairFailures: number;
  log: (level: LogLine['level'], message: string) => void;
  /** The engine changed something the status shows. */
  onChange: (run: Run) => void;
  /** The exchange's order rules, loaded before the account (engine/market-limits.ts). */
  rules?: RulesOf | undefined;
}

/** A new run with its engine, not yet warmed up nor journaled. */
export function prepareRun(
  config: BotConfig,
  market: MarketDataSource,
  pool: ComputePool,
  controller: AbortController,
  risk: RiskBook,
  wiring: RunWiring,
): Run {
  const { journal } = wiring;
  const id = `${wiring.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const quote = config.symbols[0]!.split('/')[1]!;
  // The wallet holds one quote currency: fills of other quotes (an earlier run on other
  // markets) are not part of it.
  const account = journal.account({
    quote,
    cash: config.startingBalance,
    ...(wiring.rules ? { rules: wiring.rules } : {}),
  });
  let engine: BotEngine | null = null;
  const priceOf = (symbol: string) => engine?.priceOf(symbol);
  const marketNow = () => engine?.marketTime() ?? wiring.now();
  const wallet: Wallet = { quote, cash: account.cash, holdings: account.holdings() };
  const seed: ExecutorSeed = { config, wallet, priceOf, now: marketNow };
  const executor = wiring.createExecutor?.(seed);
  const kill = new AbortController();
  const partial: Omit<Run, 'engine'> = {
    id,
    config,
    controller,
    kill,
    market,
    pool,
    executor,
    startedAt: wiring.now(),
    done: Promise.resolve('aborted'),
  };
  const run = partial as Run;
  run.engine = engine = new BotEngine({
    runId: id,
    config: () => run.config,
    entriesPaused: wiring.entriesPaused,
    market,
    pool,
    journal,
    account,
    risk,
    ...(executor ? { executor } : {}),
    dayStartEquity: (dayStart) => journal.firstEquitySince(dayStart)?.equity,
    bus: wiring.bus,
    now: wiring.now,
    signal: controller.signal,
    kill: kill.signal,
    maxPairFailures: wiring.maxPairFailures,
    log: wiring.log,
    onChange: () => wiring.onChange(run),
  });
  return run;
}

/** Why a run ended by itself; the manager stops it through its lock like any caller. */
export interface RunEndings {
  feedEnded: () => void;
  killSwitch: (trip: NonNullable<BotEngine['killSwitch']>) => void;
  failed: (err: unknown) => void;
}

/** Starts the run's tick loop; `run.done` settles when the loop has ended. */
export function startLoop(run: Run, ended: RunEndings): void {
  run.done = run.engine.run().then(
    (outcome) => {
      if (outcome === 'feed-ended') ended.feedEnded();
      const trip = run.engine.killSwitch;
      if (outcome === 'kill-switch' && trip) ended.killSwitch(trip);
      return outcome;
    },
    (err: unknown) => {
      ended.failed(err);
      return { failed: err };
    },
  );
}
