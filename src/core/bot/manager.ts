/**
 * BotManager: the one control surface of the bot (IPC, WebSocket, tray and CLI all call
 * it). Control calls are serialized by BotState's mutex and idempotent; `status()` reads
 * a snapshot and never waits behind a tick. Stop aborts the worker, waits up to
 * `timeoutMs`, then forces: the compute pool is killed and in-flight market requests are
 * cancelled, so no timer, socket or child process of the bot outlives the stop.
 */
import { randomBytes } from 'node:crypto';
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import {
  BotConfig,
  BotConfigInput,
  type BotStatus,
  type FeedHealth,
  type LogLine,
  type MarketConfig,
  type PairHealth,
  type StopReport,
} from '../api/schemas.ts';
import type { ComputePool } from '../compute/types.ts';
import type { Executor, Wallet } from '../execution/types.ts';
import { Journal, journalFile } from '../journal/journal.ts';
import type { MarketDataSource, SourceHealth } from '../market/types.ts';
import type { SettingsStore } from '../settings/store.ts';
import { withTimeout } from './abortable.ts';
import {
  createDesiredStateFile,
  desiredStateFile,
  type DesiredStateStore,
} from './desired-state.ts';
import type { EventBus } from './event-bus.ts';
import { BotState, type TransitionRecord } from './state.ts';
import { BotEngine, type RunOutcome } from './engine/engine.ts';
import { EMPTY_STATS, type EngineStats } from './engine/pairs.ts';

export interface ExecutorSeed {
  config: BotConfig;
  wallet: Wallet;
  priceOf: (symbol: string) => number | undefined;
  now: () => number;
}

export interface BotManagerDeps {
  bus: EventBus;
  settings: SettingsStore;
  dataDir: string;
  /** A new market source per run (closed at stop). */
  createMarket: (config: MarketConfig) => MarketDataSource;
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

interface Run {
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

const LIVE_FIELDS = ['risk', 'stopBehavior', 'fees'] as const;
const DATA_LABEL = { sim: 'SIMULATED', replay: 'REPLAY', ccxt: 'EXCHANGE' } as const;

function configError(issues: { path: PropertyKey[]; message: string }[]): BotDeskError {
  return new BotDeskError(
    'INVALID_INPUT',
    `bot config: ${issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'config'}: ${i.message}`).join('; ')}`,
  );
}

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

export class BotManager {
  readonly bus: EventBus;
  readonly #d: BotManagerDeps;
  readonly #state: BotState;
  readonly #now: () => number;
  readonly #desired: DesiredStateStore;
  readonly #journals = new Map<BotConfig['mode'], Journal>();
  #run: Run | null = null;
  #starting: AbortController | null = null;
  #config: BotConfig;
  #entriesPaused = false;
  #rev = 0;
  #lastStats: EngineStats = EMPTY_STATS;
  #lastPairs: PairHealth[] = [];
  /** What the last run's feed and engine reported (replay gaps, merged candles), kept after it stopped. */
  #lastRunWarnings: string[] = [];
  #lastStartedAt: number | null = null;
  #lastStop: StopReport | null = null;
  #error: { code: string; message: string } | null = null;
  #pendingRestart: string[] = [];
  #notices: string[] = [];
  /** Whether the user wants the bot running (persisted; survives an app quit, not a stop). */
  #wantRunning = false;
  #lastRunId: string | null = null;
  /** This manager's instance: a restarted server starts `rev` at 0 again. */
  readonly #instance = randomBytes(4).toString('hex');

  constructor(deps: BotManagerDeps) {
    this.#d = deps;
    this.bus = deps.bus;
    this.#now = deps.now ?? Date.now;
    this.#config = deps.settings.get().bot;
    this.#desired =
      deps.desiredState ??
      createDesiredStateFile(desiredStateFile(deps.dataDir), (m) => this.#log('error', m));
    this.#state = new BotState((t) => this.#onTransition(t));
    if (deps.settings.notice) this.#notices.push(deps.settings.notice);
  }

  // ---- status ---------------------------------------------------------------------------

  /** A snapshot; never waits for the lock or a tick. */
  status(): BotStatus {
    const run = this.#run;
    const stats = run ? run.engine.stats : this.#lastStats;
    const pairs = run ? run.engine.pairs() : this.#lastPairs;
    const config = run?.config ?? this.#config;
    const warnings = [...this.#notices];
    if (this.#pendingRestart.length > 0) {
      warnings.push(`changed ${this.#pendingRestart.join(', ')} take effect at the next start`);
    }
    for (const p of pairs)
      if (p.state === 'paused')
        warnings.push(`${p.symbol} is paused: ${p.lastError ?? 'repeated failures'}`);
    warnings.push(...(run ? this.#runWarnings(run) : this.#lastRunWarnings));
    return {
      state: this.#state.name,
      mode: config.mode,
      dataLabel: DATA_LABEL[config.market.source],
      entriesPaused: this.#entriesPaused,
      config,
      startedAt: run?.startedAt ?? this.#lastStartedAt,
      ticks: stats.ticks,
      missedTicks: stats.missedTicks,
      signals: stats.signals,
      orders: stats.orders,
      fills: stats.fills,
      equity: stats.equity,
      lastTickAt: stats.lastTickAt,
      pairs,
      warnings,
      lastStop: this.#lastStop,
      feed: run ? feedHealth(run.market.health()) : null,
      error: this.#error,
      rev: this.#rev,
      runId: run?.id ?? this.#lastRunId,
      instance: this.#instance,
      riskBlock: run?.engine.riskBlock ?? null,
    };
  }

  #runWarnings(run: Run): string[] {
    const warnings: string[] = [];
    const feed = run.engine.feedHealth;
    if (feed?.stale)
      warnings.push(`market data is stale${feed.lastError ? `: ${feed.lastError}` : ''}`);
    if (feed?.warning) warnings.push(feed.warning);
    warnings.push(...run.engine.warnings());
    return warnings;
  }

  #changed(): void {
    this.#rev += 1;
    this.bus.emit('bot:status', this.status());
  }

  #log(level: LogLine['level'], message: string, scope = 'bot'): void {
    const line: LogLine = { ts: this.#now(), level, scope, message };
    this.bus.emit('log', line);
  }

  #onTransition(t: TransitionRecord): void {
    this.#log(
      t.to === 'error' ? 'error' : 'info',
      `${t.from} → ${t.to} (${t.reason})`,
      'bot:state',
    );
    this.#changed();
  }

  // ---- journals -------------------------------------------------------------------------

  /** The journal of a mode (paper and live are separate files), opened on first use. */
  journal(mode: BotConfig['mode']): Journal {
    let j = this.#journals.get(mode);
    if (!j) {
      j = this.#d.openJournal
        ? this.#d.openJournal(mode)
        : new Journal(journalFile(this.#d.dataDir, mode));
      this.#journals.set(mode, j);
    }
    return j;
  }

  /** The running bot's market source and its config, so charts can read the very series it trades. */
  runningMarket(): { config: MarketConfig; source: MarketDataSource } | null {
    const run = this.#run;
    return run ? { config: run.config.market, source: run.market } : null;
  }

  /** The latest close the running bot traded on (undefined when stopped or unknown). */
  priceOf(symbol: string): number | undefined {
    return this.#run?.engine.priceOf(symbol);
  }

  // ---- config ---------------------------------------------------------------------------

  /** The config a start with `input` would use (saved settings + input); INVALID_INPUT if it is bad. Changes nothing. */
  resolveConfig(input: unknown): BotConfig {
    return this.#resolveConfig(input);
  }

  #resolveConfig(input: unknown): BotConfig {
    const partial = BotConfigInput.strict().safeParse(input ?? {});
    if (!partial.success) throw configError(partial.error.issues);
    const merged = BotConfig.safeParse({ ...this.#d.settings.get().bot, ...partial.data });
    if (!merged.success) throw configError(merged.error.issues);
    const quotes = new Set(merged.data.symbols.map((s) => s.split('/')[1]));
    if (quotes.size > 1) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `all symbols must share one quote currency, got ${[...quotes].join(', ')}`,
      );
    }
    return merged.data;
  }

  #persist(): void {
    const config = this.#run?.config ?? this.#config;
    this.#desired.save({
      desired: this.#wantRunning ? 'running' : 'stopped',
      mode: config.mode,
      config,
      entriesPaused: this.#entriesPaused,
      updatedAt: this.#now(),
    });
  }

  // ---- start ----------------------------------------------------------------------------

  /** Idempotent: while starting or running it returns the current status. */
  start(input: BotConfigInput = {}): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      if (this.#state.active) return this.status();
      const config = this.#resolveConfig(input);
      if (config.mode === 'live') {
        if (!this.#d.liveGate)
          throw new BotDeskError(
            'NOT_IMPLEMENTED',
            'live trading is not available in this version; start the bot in paper mode (mode: "paper")',
          );
        this.#d.liveGate(config);
      }
      await this.#launch(config);
      this.#wantRunning = true;
      this.#persist();
      return this.status();
    });
  }

  async #launch(config: BotConfig): Promise<void> {
    const t0 = performance.now();
    const controller = new AbortController();
    // A cancelled start's stop duration runs from the stop request, not from the warm-up's start.
    let stopAskedAt = 0;
    controller.signal.addEventListener('abort', () => (stopAskedAt = performance.now()), {
      once: true,
    });
    this.#starting = controller;
    this.#config = config;
    this.#pendingRestart = [];
    this.#error = null;
    this.#notices = this.#notices.filter((n) => !n.startsWith('resume:'));
    this.#lastRunWarnings = [];
    this.#state.transition(
      'starting',
      `${config.mode} bot on ${config.symbols.join(', ')} ${config.timeframe}`,
    );
    let market: MarketDataSource | null = null;
    let pool: ComputePool | null = null;
    let executor: Executor | null = null;
    try {
      market = this.#d.createMarket(config.market);
      pool = this.#d.createPool();
      const run = this.#prepareRun(config, market, pool, controller);
      executor = run.executor ?? null;
      const journal = this.journal(config.mode);
      journal.beginRun({ id: run.id, mode: config.mode, config, startedAt: run.startedAt });
      this.#lastRunId = run.id;
      try {
        await run.engine.prepare();
      } catch (err) {
        journal.endRun(run.id, this.#now(), `start failed: ${toErrorInfo(err).message}`);
        throw err;
      }
      this.#run = run;
      this.#lastStartedAt = run.startedAt;
      this.#lastStats = EMPTY_STATS;
      this.#state.transition(
        'running',
        `run ${run.id} warmed up in ${Math.round(performance.now() - t0)} ms`,
      );
      run.done = run.engine.run().then(
        (outcome) => {
          if (outcome === 'feed-ended') this.#stopAfter(run, 'market feed ended', null);
          return outcome;
        },
        (err: unknown) => {
          this.#stopAfter(run, `unrecoverable error: ${toErrorInfo(err).message}`, err);
          return { failed: err };
        },
      );
    } catch (err) {
      await withTimeout(
        Promise.allSettled([pool?.close(), market?.close(), executor?.close?.()]),
        this.#forceGraceMs,
        null,
      );
      if (controller.signal.aborted) {
        const reason = toErrorInfo(controller.signal.reason).message;
        this.#state.transition('stopping', reason);
        this.#lastStop = {
          reason,
          forced: false,
          durationMs: performance.now() - stopAskedAt,
          at: this.#now(),
          stopBehavior: config.stopBehavior,
          outcome: 'start cancelled before any trading: nothing to settle',
        };
        this.#state.transition('stopped', 'start cancelled');
        throw new BotDeskError('CANCELLED', `start cancelled: ${reason}`);
      }
      const info = toErrorInfo(err);
      this.#error = { code: info.code, message: info.message };
      this.#state.transition('error', `start failed: ${info.message}`);
      throw err instanceof BotDeskError ? err : new BotDeskError(info.code, info.message);
    } finally {
      this.#starting = null;
    }
  }

  get #forceGraceMs(): number {
    return this.#d.forceGraceMs ?? 1000;
  }

  #prepareRun(
    config: BotConfig,
    market: MarketDataSource,
    pool: ComputePool,
    controller: AbortController,
  ): Run {
    const id = `${this.#now().toString(36)}${randomBytes(3).toString('hex')}`;
    const journal = this.journal(config.mode);
    const quote = config.symbols[0]!.split('/')[1]!;
    // The wallet holds one quote currency: fills of other quotes (an earlier run on other
    // markets) are not part of it.
    const account = journal.account({ quote, cash: config.startingBalance });
    let engine: BotEngine | null = null;
    const priceOf = (symbol: string) => engine?.priceOf(symbol);
    const marketNow = () => engine?.marketTime() ?? this.#now();
    const wallet: Wallet = { quote, cash: account.cash, holdings: account.holdings() };
    const seed: ExecutorSeed = { config, wallet, priceOf, now: marketNow };
    const executor = this.#d.createExecutor?.(seed);
    const kill = new AbortController();
    const partial: Omit<Run, 'engine'> = {
      id,
      config,
      controller,
      kill,
      market,
      pool,
      executor,
      startedAt: this.#now(),
      done: Promise.resolve('aborted'),
    };
    const run = partial as Run;
    run.engine = engine = new BotEngine({
      runId: id,
      config: () => run.config,
      entriesPaused: () => this.#entriesPaused,
      market,
      pool,
      journal,
      account,
      ...(executor ? { executor } : {}),
      dayStartEquity: (dayStart) => journal.firstEquitySince(dayStart)?.equity,
      bus: this.bus,
      now: this.#now,
      signal: controller.signal,
      kill: kill.signal,
      maxPairFailures: this.#d.maxPairFailures ?? 3,
      log: (level, message) => this.#log(level, message, 'engine'),
      onChange: () => {
        if (this.#run === run) this.#changed();
      },
    });
    return run;
  }

  // ---- stop -----------------------------------------------------------------------------

  /** Resolves at once when already stopped; a start in progress is cancelled. */
  stop(opts: StopOptions = {}): Promise<BotStatus> {
    return this.#stop(opts, false);
  }

  #stop(opts: StopOptions, keepWanted: boolean): Promise<BotStatus> {
    const reason = opts.reason ?? 'user request';
    // Abort a warm-up in progress now instead of queuing behind it for the lock.
    this.#starting?.abort(new BotDeskError('CANCELLED', reason));
    return this.#state.exclusive(async () => {
      const run = this.#run;
      const halting = this.#state.name === 'running' ? run : null;
      if (halting) await this.#halt(halting, reason, opts.timeoutMs ?? 5000, null);
      const wanted = this.#wantRunning;
      if (!keepWanted) this.#wantRunning = false;
      // A stop that changed nothing must not overwrite what another launch saved (e.g. a bot to resume).
      if (halting !== null || wanted !== this.#wantRunning) this.#persist();
      return this.status();
    });
  }

  /** The run ended by itself (feed ended, fatal error): stop it through the lock like any caller. */
  #stopAfter(run: Run, reason: string, fatal: unknown): void {
    this.#state
      .exclusive(async () => {
        if (this.#run !== run || this.#state.name !== 'running') return;
        await this.#halt(run, reason, this.#forceGraceMs, fatal);
        this.#wantRunning = false;
        this.#persist();
      })
      .catch((err: unknown) =>
        this.#log('error', `stopping after '${reason}' failed: ${toErrorInfo(err).message}`),
      );
  }

  async #halt(run: Run, reason: string, timeoutMs: number, fatal: unknown): Promise<void> {
    const t0 = performance.now();
    this.#state.transition('stopping', reason);
    run.controller.abort(new BotDeskError('CANCELLED', reason));
    const graceful = await withTimeout(
      run.done.then(() => true),
      timeoutMs,
      false,
    );
    if (!graceful) {
      this.#log(
        'warn',
        `the bot did not stop within ${timeoutMs} ms: forcing (killing compute, cancelling requests)`,
      );
      run.kill.abort(new BotDeskError('CANCELLED', `forced stop: ${reason}`));
    }
    // Closing the pool kills its worker processes; closing the market cancels requests in flight.
    const closed = await withTimeout(
      Promise.allSettled([run.pool.close(), run.market.close()]).then(() => true),
      this.#forceGraceMs,
      false,
    );
    if (!closed)
      this.#log('error', `compute pool or market did not close within ${this.#forceGraceMs} ms`);
    const unwound =
      graceful ||
      (await withTimeout(
        run.done.then(() => true),
        this.#forceGraceMs,
        false,
      ));
    const behavior = run.config.stopBehavior;
    let settled: string;
    if (!unwound) {
      settled = `stop behaviour '${behavior}' skipped: the tick loop did not unwind`;
    } else {
      const ctl = new AbortController();
      const result = await withTimeout(
        run.engine
          .settle(behavior, ctl.signal)
          .catch(
            (err: unknown) => `stop behaviour '${behavior}' failed: ${toErrorInfo(err).message}`,
          ),
        this.#forceGraceMs,
        `stop behaviour '${behavior}' timed out`,
      );
      ctl.abort();
      settled = result;
    }
    // The live executor's order polling and exchange connection end with the run.
    await withTimeout(
      Promise.resolve(run.executor?.close?.()).catch((err: unknown) =>
        this.#log('warn', `closing the executor failed: ${toErrorInfo(err).message}`),
      ),
      this.#forceGraceMs,
      null,
    );
    const forced = !graceful;
    const durationMs = performance.now() - t0;
    this.#lastStop = {
      reason,
      forced,
      durationMs,
      at: this.#now(),
      stopBehavior: behavior,
      outcome: settled,
    };
    this.#lastStats = { ...run.engine.stats };
    // A stopped bot's pairs are not trading: not "healthy", whatever they were last.
    this.#lastPairs = [];
    this.#lastRunWarnings = this.#runWarnings(run).filter(
      (w) => !w.startsWith('market data is stale'),
    );
    this.#run = null;
    try {
      this.journal(run.config.mode).endRun(run.id, this.#now(), reason);
    } catch (err) {
      this.#log('error', `recording the end of run ${run.id} failed: ${toErrorInfo(err).message}`);
    }
    this.#log(
      forced ? 'warn' : 'info',
      `stopped${forced ? ' (forced)' : ''} in ${Math.round(durationMs)} ms: ${reason}; ${settled}`,
    );
    if (forced) {
      this.bus.emit('error', {
        code: 'TIMEOUT',
        message: `the bot did not stop within ${timeoutMs} ms and was forced to stop (${reason})`,
      });
    }
    if (fatal !== null) {
      const info = toErrorInfo(fatal);
      this.#error = { code: info.code, message: info.message };
      this.bus.emit('error', { code: info.code, message: `bot stopped: ${info.message}` });
      this.#state.transition('error', reason);
    } else {
      this.#state.transition('stopped', reason);
    }
  }

  // ---- config & entries -----------------------------------------------------------------

  /**
   * Save a config change. A running bot applies risk and stop-behaviour changes at its
   * next tick; the other fields wait for the next start (listed in status warnings).
   */
  updateConfig(input: BotConfigInput): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      const next = this.#resolveConfig(input);
      this.#d.settings.set({ bot: next });
      const run = this.#run;
      this.#config = next;
      if (run) {
        run.config = {
          ...run.config,
          risk: next.risk,
          stopBehavior: next.stopBehavior,
          fees: next.fees,
        };
        this.#pendingRestart = (Object.keys(next) as (keyof BotConfig)[]).filter(
          (k) =>
            !(LIVE_FIELDS as readonly string[]).includes(k) &&
            JSON.stringify(next[k]) !== JSON.stringify(run.config[k]),
        );
      }
      this.#log(
        'info',
        `config updated${this.#pendingRestart.length ? `; at next start: ${this.#pendingRestart.join(', ')}` : ''}`,
      );
      this.#changed();
      this.#persist();
      return this.status();
    });
  }

  /** Close a position of the running bot at its next tick. */
  closePosition(symbol: string): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      const run = this.#runningOrThrow('close a position');
      if (!run.engine.holds(symbol))
        throw new BotDeskError('NOT_FOUND', `there is no open ${symbol} position to close`);
      run.engine.request({ symbol, action: 'close' });
      this.#log('info', `${symbol}: close requested by the user; it fills at the next tick`);
      return this.status();
    });
  }

  /** Enter a position on one of the running bot's symbols at its next tick (risk rules apply). */
  forceEntry(symbol: string): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      const run = this.#runningOrThrow('force an entry');
      if (!run.config.symbols.includes(symbol)) {
        throw new BotDeskError(
          'INVALID_INPUT',
          `${symbol} is not traded by this run (${run.config.symbols.join(', ')})`,
        );
      }
      run.engine.request({ symbol, action: 'enter' });
      this.#log('info', `${symbol}: entry forced by the user; it fills at the next tick`);
      return this.status();
    });
  }

  #runningOrThrow(what: string): Run {
    const run = this.#run;
    if (!run || this.#state.name !== 'running') {
      throw new BotDeskError(
        'INVALID_STATE',
        `start the bot to ${what}: it is ${this.#state.name}`,
      );
    }
    return run;
  }

  /** Start the paper wallet afresh; refused while a bot runs (it holds the wallet). */
  resetPaperAccount(): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      if (this.#state.active || this.#run) {
        throw new BotDeskError('INVALID_STATE', 'stop the bot before resetting the paper account');
      }
      this.journal('paper').resetAccount(this.#now());
      this.#lastStats = { ...EMPTY_STATS };
      this.#log(
        'info',
        `paper account reset: the next start begins with ${this.#config.startingBalance} and no positions`,
      );
      this.#changed();
      return this.status();
    });
  }

  pauseEntries(): Promise<BotStatus> {
    return this.#setEntriesPaused(true);
  }

  resumeEntries(): Promise<BotStatus> {
    return this.#setEntriesPaused(false);
  }

  #setEntriesPaused(paused: boolean): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      if (this.#entriesPaused !== paused) {
        this.#entriesPaused = paused;
        this.#log(
          'info',
          paused ? 'new entries paused; exits keep working' : 'new entries resumed',
        );
        this.#changed();
        this.#persist();
      }
      return this.status();
    });
  }

  // ---- launch & shutdown ----------------------------------------------------------------

  /**
   * At launch: resume a bot that was running when the app quit or crashed, if the
   * resume-on-launch setting allows it for its mode (paper by default, live waits for
   * the user). Orders are reconciled by the start before any trading.
   */
  async resumeOnLaunch(): Promise<BotStatus> {
    const { state, problem } = this.#desired.read();
    if (problem) this.#notices.push(`resume: ${problem}`);
    if (!state || state.desired !== 'running') return this.status();
    this.#wantRunning = true;
    this.#entriesPaused = state.entriesPaused;
    if (!this.#d.settings.get().resumeOnLaunch[state.mode]) {
      this.#notices.push(
        `resume: a ${state.mode} bot was running when BotDesk last closed; it waits for you to start it (resume on launch is off for ${state.mode})`,
      );
      this.#changed();
      return this.status();
    }
    this.#log('info', `resuming the ${state.mode} bot that was running when BotDesk last closed`);
    try {
      return await this.start(state.config);
    } catch (err) {
      this.#notices.push(
        `resume: the ${state.mode} bot could not resume: ${toErrorInfo(err).message}`,
      );
      this.#changed();
      return this.status();
    }
  }

  /**
   * App quit: stop the bot but keep the desired state as it is, so a bot the user left
   * running resumes at the next launch; wait for pending writes, close the journals.
   */
  async shutdown(opts: StopOptions = {}): Promise<BotStatus> {
    const status = await this.#stop({ ...opts, reason: opts.reason ?? 'app shutdown' }, true);
    await this.#desired.flush();
    await this.#state.exclusive(async () => {
      for (const j of this.#journals.values()) j.close();
      this.#journals.clear();
    });
    return status;
  }
}

let processManager: BotManager | null = null;

/** Register the process's one BotManager (done by createCoreHost); a second live one is refused. */
export function registerBotManager(manager: BotManager | null): void {
  if (manager && processManager && processManager !== manager) {
    throw new BotDeskError('INVALID_STATE', 'this process already has a BotManager');
  }
  processManager = manager;
}

/** The process's BotManager, for transports, the tray and quit handling. */
export function getBotManager(): BotManager {
  if (!processManager)
    throw new BotDeskError('INVALID_STATE', 'no BotManager yet: create the core host first');
  return processManager;
}
