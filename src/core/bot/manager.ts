/**
 * BotManager: the one control surface of the bot (IPC, WebSocket, tray and CLI all call
 * it). Control calls are serialized by BotState's mutex and idempotent; `status()` reads
 * a snapshot and never waits behind a tick. Stop aborts the worker, waits up to
 * `timeoutMs`, then forces: the compute pool is killed and in-flight market requests are
 * cancelled, so no timer, socket or child process of the bot outlives the stop.
 * This file keeps the lock, the lifecycle state and what is persisted; the pieces it
 * drives live beside it: run.ts (a run's wiring), halt.ts (the stop sequence),
 * status-snapshot.ts, run-ledger.ts, config-resolve.ts, user-requests.ts, mode-journals.ts.
 */
import { randomBytes } from 'node:crypto';
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import type {
  BotConfig,
  BotConfigInput,
  BotStatus,
  LogLine,
  MarketConfig,
} from '../api/schemas.ts';
import type { ComputePool } from '../compute/types.ts';
import type { Executor } from '../execution/types.ts';
import type { Journal } from '../journal/journal.ts';
import type { MarketDataSource } from '../market/types.ts';
import { withTimeout } from './abortable.ts';
import { applyLiveFields, resolveBotConfig } from './config-resolve.ts';
import {
  createDesiredStateFile,
  desiredStateFile,
  type DesiredStateStore,
} from './desired-state.ts';
import type { EventBus } from './event-bus.ts';
import { cancelledStart, haltRun } from './halt.ts';
import type { BotManagerDeps, StopOptions } from './manager-deps.ts';
import { BotState, type TransitionRecord } from './state.ts';
import { KillSwitchGate } from './kill-switch-gate.ts';
import { ModeJournals } from './mode-journals.ts';
import type { RiskBook } from '../trading/rules/risk-book.ts';
import { loadRunRules } from './engine/market-limits.ts';
import { prepareRun, startLoop, type Run } from './run.ts';
import { RunLedger } from './run-ledger.ts';
import { statusSnapshot } from './status-snapshot.ts';
import { requestClose, requestEntry, runningOrThrow } from './user-requests.ts';

// Split out of this file, re-exported so importers keep importing from manager.ts.
export type { BotManagerDeps, StopOptions } from './manager-deps.ts';
export type { ExecutorSeed } from './run.ts';
export { getBotManager, registerBotManager } from './registry.ts';

export class BotManager {
  readonly bus: EventBus;
  readonly #d: BotManagerDeps;
  readonly #state: BotState;
  readonly #now: () => number;
  readonly #desired: DesiredStateStore;
  readonly #journals: ModeJournals;
  #run: Run | null = null;
  #starting: AbortController | null = null;
  #config: BotConfig;
  #entriesPaused = false;
  #rev = 0;
  /** The last run's figures, kept after it stopped. */
  readonly #ledger = new RunLedger();
  #error: { code: string; message: string } | null = null;
  #pendingRestart: string[] = [];
  #notices: string[] = [];
  /** Whether the user wants the bot running (persisted; survives an app quit, not a stop). */
  #wantRunning = false;
  readonly #killSwitch: KillSwitchGate;
  /** This manager's instance: a restarted server starts `rev` at 0 again. */
  readonly #instance = randomBytes(4).toString('hex');

  constructor(deps: BotManagerDeps) {
    this.#d = deps;
    this.bus = deps.bus;
    this.#now = deps.now ?? Date.now;
    this.#config = deps.settings.get().bot;
    this.#journals = new ModeJournals(deps.dataDir, deps.openJournal);
    this.#desired =
      deps.desiredState ??
      createDesiredStateFile(desiredStateFile(deps.dataDir), (m) => this.#log('error', m));
    this.#state = new BotState((t) => this.#onTransition(t));
    if (deps.settings.notice) this.#notices.push(deps.settings.notice);
    this.#killSwitch = new KillSwitchGate({
      journal: (mode, create) => this.#journals.existing(mode, create),
      now: this.#now,
      log: (level, message) => this.#log(level, message, 'risk'),
      tell: (e) => this.bus.emit('risk', e),
    });
  }

  // ---- status ---------------------------------------------------------------------------

  /** A snapshot; never waits for the lock or a tick. */
  status(): BotStatus {
    return statusSnapshot({
      state: this.#state.name,
      run: this.#run,
      config: this.#config,
      entriesPaused: this.#entriesPaused,
      notices: this.#notices,
      pendingRestart: this.#pendingRestart,
      last: this.#ledger,
      trippedKillSwitch: () => this.#killSwitch.tripped(this.#config.mode),
      error: this.#error,
      rev: this.#rev,
      instance: this.#instance,
    });
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
    return this.#journals.get(mode);
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
    return resolveBotConfig(this.#d.settings.get().bot, input);
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

  /**
   * Idempotent: while starting or running it returns the current status. After the kill
   * switch tripped, a start is refused unless `acknowledgeKillSwitch` is true.
   */
  start(
    input: BotConfigInput = {},
    opts: { acknowledgeKillSwitch?: boolean | undefined } = {},
  ): Promise<BotStatus> {
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
      const risk = this.#killSwitch.open(
        config.mode,
        config.risk,
        opts.acknowledgeKillSwitch === true,
        config.startingBalance,
      );
      await this.#launch(config, risk);
      this.#wantRunning = true;
      this.#persist();
      return this.status();
    });
  }

  async #launch(config: BotConfig, risk: RiskBook): Promise<void> {
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
    this.#ledger.starting();
    this.#state.transition(
      'starting',
      `${config.mode} bot on ${config.symbols.join(', ')} ${config.timeframe}`,
    );
    let market: MarketDataSource | null = null;
    let pool: ComputePool | null = null;
    let executor: Executor | null = null;
    try {
      market = this.#d.createMarket(config.market, config);
      pool = this.#d.createPool();
      const journal = this.journal(config.mode);
      // Before the account is built from the journal: it trades with the exchange's rules.
      const rules = await loadRunRules(market, config, controller.signal);
      const run = prepareRun(config, market, pool, controller, risk, {
        rules,
        journal,
        bus: this.bus,
        now: this.#now,
        createExecutor: this.#d.createExecutor,
        entriesPaused: () => this.#entriesPaused,
        maxPairFailures: this.#d.maxPairFailures ?? 3,
        log: (level, message) => this.#log(level, message, 'engine'),
        onChange: (r) => {
          if (this.#run === r) this.#changed();
        },
      });
      executor = run.executor ?? null;
      journal.beginRun({ id: run.id, mode: config.mode, config, startedAt: run.startedAt });
      this.#ledger.journaled(run);
      try {
        await run.engine.prepare();
      } catch (err) {
        journal.endRun(run.id, this.#now(), `start failed: ${toErrorInfo(err).message}`);
        throw err;
      }
      this.#run = run;
      this.#ledger.running(run);
      this.#state.transition(
        'running',
        `run ${run.id} warmed up in ${Math.round(performance.now() - t0)} ms`,
      );
      startLoop(run, {
        feedEnded: () => this.#stopAfter(run, 'market feed ended', null),
        killSwitch: (trip) => {
          this.#killSwitch.noteTrip(run.config.mode, trip);
          this.#stopAfter(run, trip.message, null);
        },
        failed: (err) =>
          this.#stopAfter(run, `unrecoverable error: ${toErrorInfo(err).message}`, err),
      });
    } catch (err) {
      await withTimeout(
        Promise.allSettled([pool?.close(), market?.close(), executor?.close?.()]),
        this.#forceGraceMs,
        null,
      );
      if (controller.signal.aborted) {
        const reason = toErrorInfo(controller.signal.reason).message;
        this.#state.transition('stopping', reason);
        this.#ledger.cancelled(
          cancelledStart(reason, performance.now() - stopAskedAt, this.#now(), config),
        );
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
    const { forced, settled } = await haltRun(
      run,
      reason,
      timeoutMs,
      this.#forceGraceMs,
      (level, message) => this.#log(level, message),
    );
    const durationMs = performance.now() - t0;
    this.#ledger.stopped(run, {
      reason,
      forced,
      durationMs,
      at: this.#now(),
      stopBehavior: run.config.stopBehavior,
      outcome: settled,
    });
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
        ({ config: run.config, pendingRestart: this.#pendingRestart } = applyLiveFields(
          run.config,
          next,
        ));
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
    return this.#userRequest('close a position', (run) => requestClose(run, symbol));
  }

  /** Enter a position on one of the running bot's symbols at its next tick (risk rules apply). */
  forceEntry(symbol: string): Promise<BotStatus> {
    return this.#userRequest('force an entry', (run) =>
      requestEntry(run, symbol, this.#entriesPaused),
    );
  }

  #userRequest(what: string, request: (run: Run) => string): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      const run = runningOrThrow(this.#run, this.#state.name, what);
      this.#log('info', request(run));
      return this.status();
    });
  }

  /** Start the paper wallet afresh; refused while a bot runs (it holds the wallet). */
  resetPaperAccount(): Promise<BotStatus> {
    return this.#state.exclusive(async () => {
      if (this.#state.active || this.#run) {
        throw new BotDeskError('INVALID_STATE', 'stop the bot before resetting the paper account');
      }
      this.journal('paper').resetAccount(this.#now());
      this.#ledger.resetStats();
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
      this.#journals.closeAll();
    });
    return status;
  }
}
