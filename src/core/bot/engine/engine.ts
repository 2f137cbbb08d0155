/**
 * BotEngine: one run of the bot. `prepare()` reconciles and warms every pair up; `run()`
 * is the tick loop (lifecycle, journal and events; the trading itself is the trading
 * core's step, the same one the backtester runs). One AbortSignal reaches every await.
 * Ticks never overlap, and simulated or replayed candles are pulled one candle time per
 * tick, so a run's trades do not depend on its speed or on the machine's load. On a
 * real-time exchange feed the forming candles of held symbols are price updates: their
 * protective exits are checked between ticks (at most every PRICE_UPDATE_MS per symbol),
 * queued with the ticks so that journal commits never interleave.
 */
import { BotDeskError, toErrorInfo } from '../../api/errors.ts';
import { TIMEFRAME_MS, type Candle, type PairHealth, type Signal } from '../../api/schemas.ts';
import type { StopBehavior } from '../../api/schemas.ts';
import { PaperExchange } from '../../execution/paper-exchange.ts';
import type { Executor } from '../../execution/types.ts';
import type { SourceHealth } from '../../market/types.ts';
import type { KillSwitchTrip } from '../../api/schemas.ts';
import type { RiskBook } from '../../trading/rules/risk-book.ts';
import { loadRiskBook } from '../../trading/rules/risk-journal.ts';
import { TradingCore } from '../../trading/step.ts';
import { raceAbort } from '../abortable.ts';
import { createCandleFeed } from './feed.ts';
import { EMPTY_STATS, PairHealthBook, isFatal, type EngineStats } from './pairs.ts';
import type { EngineDeps, EngineParts } from './parts.ts';
import { Recorder } from './recorder.ts';
import { reconcile, settle } from './settle.ts';
import { runPriceUpdate } from './price-update.ts';
import { recordExecutorUpdate, runTick } from './tick.ts';
import {
  RiskBlockTracker,
  UserRequests,
  type RiskBlock,
  type UserRequest,
} from './user-requests.ts';

/** Warm-up candles per pair sent out with their indicator values when a run starts. */
const WARMUP_CANDLES_SHOWN = 300;

/** Real-time feeds: protective exits are checked on a symbol's price at most this often. */
export const PRICE_UPDATE_MS = 250;

/** 'kill-switch': the drawdown tripped it; the manager stops the bot with the stop behaviour. */
export type RunOutcome = 'aborted' | 'feed-ended' | 'kill-switch';

export class BotEngine {
  readonly stats: EngineStats = { ...EMPTY_STATS };
  feedHealth: SourceHealth | null = null;
  readonly #d: EngineDeps;
  readonly #parts: EngineParts;
  readonly #pairs: PairHealthBook;
  readonly #core: TradingCore;
  readonly #risk: RiskBook;
  readonly #lastTs = new Map<string, number>();
  readonly #requests = new UserRequests();
  readonly #riskBlock: RiskBlockTracker;
  #consecutiveTickFailures = 0;
  #marketTime: number | null = null;
  #reconciled: readonly string[] = [];
  /** Ticks and price updates run one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** While the tick loop runs, price updates are taken. */
  #live = false;
  /** The newest forming candle per held symbol, waiting for its check. */
  readonly #forming = new Map<string, Candle>();
  readonly #formingCheckedAt = new Map<string, number>();
  /**
   * Exchange executor: the position (by entry time) whose exit a price update already sent.
   * Until the exchange's fill closes it, price updates send no second exit; a closed
   * candle's tick still checks it (a rejected exit is retried there).
   */
  readonly #exitSent = new Map<string, number>();

  constructor(deps: EngineDeps) {
    this.#d = deps;
    const cfg = deps.config();
    const external = deps.executor !== undefined;
    this.#risk = deps.risk ?? loadRiskBook(deps.journal, cfg.risk);
    this.#core = new TradingCore({
      symbols: cfg.symbols,
      account: deps.account,
      config: { risk: cfg.risk, fill: cfg.fees },
      timeframeMs: TIMEFRAME_MS[cfg.timeframe],
      execution: external ? 'external' : 'paper',
      ...(deps.dayStartEquity ? { dayStartEquity: deps.dayStartEquity } : {}),
      idPrefix: deps.runId,
      risk: this.#risk,
    });
    const executor: Executor =
      deps.executor ??
      new PaperExchange({
        account: deps.account,
        priceOf: this.#core.priceOf,
        now: this.marketTime,
        fill: cfg.fees,
        pending: this.#core,
      });
    this.#riskBlock = new RiskBlockTracker(deps.bus, deps.log, deps.now);
    this.#pairs = new PairHealthBook(
      cfg.symbols,
      cfg.timeframe,
      deps.maxPairFailures,
      deps.bus,
      deps.log,
    );
    this.#parts = {
      d: deps,
      core: this.#core,
      risk: this.#risk,
      executor,
      external,
      pairs: this.#pairs,
      stats: this.stats,
      recorder: new Recorder(deps.journal, deps.bus, this.stats),
      marketTime: this.marketTime,
      setMarketTime: (t) => (this.#marketTime = t),
      emitCandles: (symbol, candles, signals) => this.#emitCandles(symbol, candles, signals),
      requests: this.#requests,
      riskBlock: this.#riskBlock,
    };
  }

  /** The tripped kill switch (null while trading is allowed). */
  get killSwitch(): KillSwitchTrip | null {
    return this.#risk.killSwitch;
  }

  /** Queue a user's close or entry for the next candle time. */
  request(req: UserRequest): void {
    this.#requests.request(req);
  }

  /** Entries currently refused by a blocking risk rule. */
  get riskBlock(): RiskBlock | null {
    return this.#riskBlock.block;
  }

  /** Whether `symbol` holds a position in this run's account. */
  holds(symbol: string): boolean {
    return this.#core.account.position(symbol) !== undefined;
  }

  pairs(): PairHealth[] {
    return this.#pairs.snapshot();
  }

  /** The latest close the bot traded on (what paper fills and the equity use). */
  priceOf = (symbol: string): number | undefined => this.#core.priceOf(symbol);

  /** Market time (simulated or replayed markets run on their own clock), wall time before any candle. */
  marketTime = (): number => this.#marketTime ?? this.#d.now();

  /** Conditions of this run the user should see in status. */
  warnings(): string[] {
    const merged = this.stats.missedTicks;
    const late =
      merged > 0
        ? [
            `${merged} candle time(s) arrived late from the exchange feed and were merged: their signals were not traded`,
          ]
        : [];
    return [...this.#reconciled.map((n) => `reconcile: ${n}`), ...late];
  }

  /** Validate the symbols, warm every pair's strategy up, reconcile orders left open. */
  async prepare(): Promise<void> {
    const { market, pool, journal, signal } = this.#d;
    const cfg = this.#d.config();
    await raceAbort(market.validate(cfg.symbols, cfg.timeframe), signal);
    // Where trading resumes: the earliest next candle of any pair (at a high speed the
    // warm-ups of several pairs end at different market times).
    let resumeAt = Infinity;
    const warmedUp = await Promise.all(
      [...this.#pairs.all()].map(async (pair) => {
        const history = await raceAbort(
          market.history(pair.symbol, cfg.timeframe, cfg.warmupCandles, signal),
          signal,
        );
        const last = history.at(-1);
        if (last) {
          this.#marketTime = Math.max(
            this.#marketTime ?? last.ts,
            last.ts + TIMEFRAME_MS[cfg.timeframe],
          );
          resumeAt = Math.min(resumeAt, last.ts + TIMEFRAME_MS[cfg.timeframe]);
          this.#lastTs.set(pair.symbol, last.ts);
          this.#core.setPrice(pair.symbol, last.close);
        }
        const reportTail = Math.min(history.length, WARMUP_CANDLES_SHOWN);
        const signals = await raceAbort(
          pool.addPair({
            key: pair.key,
            symbol: pair.symbol,
            strategy: cfg.strategy,
            history,
            reportTail,
          }),
          signal,
        );
        return {
          symbol: pair.symbol,
          candles: history.slice(history.length - reportTail),
          signals,
        };
      }),
    );
    // The chart draws the indicator lines across the warm-up candles it shows before live ones.
    for (const w of warmedUp) this.#emitCandles(w.symbol, w.candles, w.signals);
    this.stats.equity = this.#core.equity();
    // Stamped with market time, as every later record: a simulated timeline continued after a
    // restart runs ahead of the wall clock, and a wall-clock stamp would step the journal back.
    const now = Number.isFinite(resumeAt) ? resumeAt : this.marketTime();
    reconcile(journal, this.#parts.executor, now, this.#d.log);
    // A live executor reconciles with the exchange before any order; what it found is journaled first.
    const found = this.#parts.external
      ? await raceAbort(this.#parts.executor.prepare?.(signal) ?? Promise.resolve(null), signal)
      : null;
    if (found) {
      recordExecutorUpdate(this.#parts, found);
      // What the exchange reconcile found stays in the status for the whole run.
      this.#reconciled = found.notices;
    }
    journal.commitTick({
      events: [{ ts: now, kind: 'start', payload: { runId: this.#d.runId, config: cfg } }],
    });
  }

  /** The tick loop; resolves when aborted or when the feed ends, rejects on an unrecoverable error. */
  async run(): Promise<RunOutcome> {
    const cfg = this.#d.config();
    // Ends the feed when the loop ends for any reason (a stop, an error).
    const done = new AbortController();
    const signal = AbortSignal.any([this.#d.signal, done.signal]);
    // A stop lets the tick in flight finish (its orders get journaled); a forced stop cancels it.
    const tickSignal = this.#d.kill;
    const feed = createCandleFeed({
      market: this.#d.market,
      symbols: cfg.symbols,
      timeframe: cfg.timeframe,
      lastTs: this.#lastTs,
      speed: cfg.market.speed,
      awaited: (symbol) => !this.#pairs.paused(symbol),
      onHealth: (h) => {
        this.feedHealth = h;
        this.#d.onChange();
      },
      onForming: (symbol, candle) => this.#onForming(symbol, candle),
      signal,
    });
    this.#live = true;
    try {
      for (;;) {
        const batch = await feed.next();
        if (batch === null) break;
        await this.#serial(() => this.#tick(batch, tickSignal));
        if (tickSignal.aborted) break;
        if (this.#risk.killSwitch !== null) break;
        if (this.#pairs.allPaused()) {
          // Nothing is left to trade: stop with the reason instead of idling silently.
          throw new BotDeskError(
            'STRATEGY_ERROR',
            `every pair is paused after repeated failures (${this.#pairs.pausedSummary()})`,
          );
        }
      }
    } finally {
      this.#live = false;
      done.abort();
      await feed.close();
      await this.#queue;
    }
    if (this.#risk.killSwitch !== null && !this.#d.signal.aborted) return 'kill-switch';
    return feed.ended && !this.#d.signal.aborted ? 'feed-ended' : 'aborted';
  }

  #serial(job: () => Promise<unknown>): Promise<unknown> {
    const run = this.#queue.then(job);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** A forming candle from a real-time feed: the held symbol's exits are checked soon (throttled). */
  #onForming(symbol: string, candle: Candle): void {
    if (!this.#live || !this.holds(symbol)) return;
    const waiting = this.#forming.has(symbol);
    this.#forming.set(symbol, candle);
    if (waiting) return;
    const last = this.#formingCheckedAt.get(symbol) ?? Number.NEGATIVE_INFINITY;
    const wait = last + PRICE_UPDATE_MS - performance.now();
    const go = () => {
      this.#serial(() => this.#priceUpdate(symbol)).catch((err: unknown) => {
        const info = toErrorInfo(err);
        this.#d.log('error', `${symbol}: price update failed: ${info.message}`);
        this.#d.bus.emit('error', {
          code: info.code,
          message: `price update failed: ${info.message}`,
        });
      });
    };
    if (wait > 0) setTimeout(go, wait);
    else go();
  }

  async #priceUpdate(symbol: string): Promise<void> {
    const candle = this.#forming.get(symbol);
    this.#forming.delete(symbol);
    // A candle the tick loop has stepped already (closed) is not a price update any more.
    const tfMs = TIMEFRAME_MS[this.#d.config().timeframe];
    if (candle === undefined || !this.#live || this.#d.kill.aborted) return;
    if (this.#risk.killSwitch !== null || candle.ts + tfMs <= this.marketTime()) return;
    const held = this.#core.account.position(symbol);
    if (held === undefined || this.#exitSent.get(symbol) === held.entryTs) return;
    this.#formingCheckedAt.set(symbol, performance.now());
    const exited = await runPriceUpdate(this.#parts, symbol, candle, this.#d.kill);
    const left = this.#core.account.position(symbol);
    if (exited && this.#parts.external && left !== undefined)
      this.#exitSent.set(symbol, left.entryTs);
  }

  async #tick(batch: Parameters<typeof runTick>[1], tickSignal: AbortSignal): Promise<void> {
    try {
      await runTick(this.#parts, batch, tickSignal);
      this.#consecutiveTickFailures = 0;
    } catch (err) {
      if (tickSignal.aborted) return;
      if (isFatal(err)) throw err;
      this.#consecutiveTickFailures += 1;
      const info = toErrorInfo(err);
      this.#d.log(
        'error',
        `tick failed (${this.#consecutiveTickFailures} in a row): ${info.message}`,
      );
      this.#d.bus.emit('error', { code: info.code, message: `tick failed: ${info.message}` });
      if (this.#consecutiveTickFailures >= this.#d.maxPairFailures) {
        throw new BotDeskError(
          info.code,
          `${this.#consecutiveTickFailures} ticks failed in a row; last: ${info.message}`,
        );
      }
    }
  }

  /**
   * Candles go out after the strategy saw them, each with that candle's indicator values,
   * so a chart draws continuous indicator lines (signals alone are sparse).
   */
  #emitCandles(symbol: string, candles: readonly Candle[], signals: readonly Signal[]): void {
    const byTs = new Map<number, Signal['indicators']>();
    for (const s of signals) byTs.set(s.ts, s.indicators);
    const timeframe = this.#d.config().timeframe;
    for (const candle of candles) {
      const indicators = byTs.get(candle.ts);
      this.#d.bus.emit('market:candle', {
        symbol,
        timeframe,
        candle,
        ...(indicators ? { indicators } : {}),
      });
    }
  }

  /** After the loop ended: apply the configured stop behaviour to orders and positions. */
  settle(behavior: StopBehavior, signal: AbortSignal): Promise<string> {
    return settle(this.#parts, behavior, signal);
  }
}
