/**
 * BotEngine: one run of the bot. `prepare()` reconciles and warms every pair up; `run()`
 * is the tick loop (lifecycle, journal and events; the trading itself is the trading
 * core's step, the same one the backtester runs). One AbortSignal reaches every await.
 * Ticks never overlap, and simulated or replayed candles are pulled one candle time per
 * tick, so a run's trades do not depend on its speed or on the machine's load.
 */
import { BotDeskError, toErrorInfo } from '../../api/errors.ts';
import { TIMEFRAME_MS, type Candle, type PairHealth, type Signal } from '../../api/schemas.ts';
import type { StopBehavior } from '../../api/schemas.ts';
import { PaperExchange } from '../../execution/paper-exchange.ts';
import type { Executor } from '../../execution/types.ts';
import type { SourceHealth } from '../../market/types.ts';
import { TradingCore } from '../../trading/step.ts';
import { raceAbort } from '../abortable.ts';
import { createCandleFeed } from './feed.ts';
import { EMPTY_STATS, PairHealthBook, isFatal, type EngineStats } from './pairs.ts';
import type { EngineDeps, EngineParts } from './parts.ts';
import { Recorder } from './recorder.ts';
import { reconcile, settle } from './settle.ts';
import { recordExecutorUpdate, runTick } from './tick.ts';
import {
  RiskBlockTracker,
  UserRequests,
  type RiskBlock,
  type UserRequest,
} from './user-requests.ts';

/** Warm-up candles per pair sent out with their indicator values when a run starts. */
const WARMUP_CANDLES_SHOWN = 300;

export type RunOutcome = 'aborted' | 'feed-ended';

export class BotEngine {
  readonly stats: EngineStats = { ...EMPTY_STATS };
  feedHealth: SourceHealth | null = null;
  readonly #d: EngineDeps;
  readonly #parts: EngineParts;
  readonly #pairs: PairHealthBook;
  readonly #core: TradingCore;
  readonly #lastTs = new Map<string, number>();
  readonly #requests = new UserRequests();
  readonly #riskBlock: RiskBlockTracker;
  #consecutiveTickFailures = 0;
  #marketTime: number | null = null;
  #reconciled: readonly string[] = [];

  constructor(deps: EngineDeps) {
    this.#d = deps;
    const cfg = deps.config();
    const external = deps.executor !== undefined;
    this.#core = new TradingCore({
      symbols: cfg.symbols,
      account: deps.account,
      config: { risk: cfg.risk, fill: cfg.fees },
      timeframeMs: TIMEFRAME_MS[cfg.timeframe],
      execution: external ? 'external' : 'paper',
      ...(deps.dayStartEquity ? { dayStartEquity: deps.dayStartEquity } : {}),
      idPrefix: deps.runId,
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

  /** Validate the symbols, reconcile orders left open, warm every pair's strategy up. */
  async prepare(): Promise<void> {
    const { market, pool, journal, signal } = this.#d;
    const cfg = this.#d.config();
    await raceAbort(market.validate(cfg.symbols, cfg.timeframe), signal);
    reconcile(journal, this.#parts.executor, this.#d.now(), this.#d.log);
    // A live executor reconciles with the exchange before any order; what it found is journaled first.
    const found = this.#parts.external
      ? await raceAbort(this.#parts.executor.prepare?.(signal) ?? Promise.resolve(null), signal)
      : null;
    if (found) {
      recordExecutorUpdate(this.#parts, found);
      // What the exchange reconcile found stays in the status for the whole run.
      this.#reconciled = found.notices;
    }
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
    journal.commitTick({
      events: [
        { ts: this.#d.now(), kind: 'start', payload: { runId: this.#d.runId, config: cfg } },
      ],
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
      signal,
    });
    try {
      for (;;) {
        const batch = await feed.next();
        if (batch === null) break;
        await this.#tick(batch, tickSignal);
        if (tickSignal.aborted) break;
        if (this.#pairs.allPaused()) {
          // Nothing is left to trade: stop with the reason instead of idling silently.
          throw new BotDeskError(
            'STRATEGY_ERROR',
            `every pair is paused after repeated failures (${this.#pairs.pausedSummary()})`,
          );
        }
      }
    } finally {
      done.abort();
      await feed.close();
    }
    return feed.ended && !this.#d.signal.aborted ? 'feed-ended' : 'aborted';
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
