/**
 * BotWorker: one run of the bot. `prepare()` warms every pair up; `run()` is the async
 * tick loop: market → compute → risk → execution → journal → events. One AbortSignal
 * reaches every await. Ticks never overlap: candles that arrive while a tick runs are
 * merged into the next tick and the merged ticks are counted as missed.
 */
import { BotDeskError, toErrorInfo, type ErrorCode } from '../api/errors.ts';
import {
  TIMEFRAME_MS,
  type BotConfig,
  type Candle,
  type Fill,
  type Order,
  type PairHealth,
  type Signal,
  type StopBehavior,
} from '../api/schemas.ts';
import type { TickSummary } from '../api/contract.ts';
import type { ComputePool } from '../compute/types.ts';
import type { Executor, ExecutionResult } from '../execution/types.ts';
import type { Journal, JournalEvent } from '../journal/journal.ts';
import type { PositionBook } from '../journal/position-book.ts';
import type { MarketDataSource, SourceHealth } from '../market/types.ts';
import type { RiskContext, RiskManager, SizedIntent } from '../risk/types.ts';
import type { EventBus } from './event-bus.ts';
import { sleepReal } from '../market/clock.ts';
import { raceAbort } from './abortable.ts';

/** Warm-up candles per pair sent out with their indicator values when a run starts. */
const WARMUP_CANDLES_SHOWN = 300;

/** Errors after which trading cannot safely continue: the bot stops with the message. */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['EXCHANGE_AUTH', 'JOURNAL_ERROR', 'INTERNAL']);

export interface WorkerStats {
  ticks: number;
  missedTicks: number;
  signals: number;
  orders: number;
  fills: number;
  equity: number | null;
  lastTickAt: number | null;
}

export const EMPTY_STATS: Readonly<WorkerStats> = {
  ticks: 0,
  missedTicks: 0,
  signals: 0,
  orders: 0,
  fills: 0,
  equity: null,
  lastTickAt: null,
};

export interface WorkerDeps {
  runId: string;
  /** The effective config; risk and stop behaviour may change between ticks. */
  config: () => BotConfig;
  entriesPaused: () => boolean;
  market: MarketDataSource;
  pool: ComputePool;
  executor: Executor;
  journal: Journal;
  positions: PositionBook;
  risk: RiskManager;
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

export type RunOutcome = 'aborted' | 'feed-ended';

/** A user's request, applied at the next tick: close a position, or enter one now. */
export type ManualRequest = { symbol: string; action: 'close' | 'enter' };

/** Entry refused by a rule that blocks every entry until its cause goes away (not a one-off). */
export interface RiskBlock {
  rule: string;
  reason: string;
  since: number;
}

const BLOCKING_RULES: ReadonlyArray<[RegExp, string]> = [
  [/daily loss/i, 'daily-loss'],
  [/max open positions/i, 'max-positions'],
  [/kill switch/i, 'kill-switch'],
  [/drawdown/i, 'drawdown'],
];

interface Pair {
  key: string;
  symbol: string;
  health: PairHealth;
  lastTs: number;
  pending: Candle[];
}

export function pairKey(symbol: string, timeframe: string): string {
  return `${symbol}@${timeframe}`;
}

export function isFatal(err: unknown): boolean {
  return err instanceof BotDeskError && FATAL_CODES.has(err.code);
}

export class BotWorker {
  readonly stats: WorkerStats = { ...EMPTY_STATS };
  feedHealth: SourceHealth | null = null;
  /** Entries currently refused by a blocking risk rule (cleared by the next accepted entry). */
  riskBlock: RiskBlock | null = null;
  readonly #manual: ManualRequest[] = [];
  readonly #d: WorkerDeps;
  readonly #pairs = new Map<string, Pair>();
  readonly #lastClose = new Map<string, number>();
  #wake: (() => void) | null = null;
  #consecutiveTickFailures = 0;
  /** Counts tick attempts, failed ones too, so client order ids never repeat within a run. */
  #attempt = 0;
  #feedEnded = false;
  /** Close time of the newest candle processed: trading records are stamped in market time. */
  #marketTime: number | null = null;

  constructor(deps: WorkerDeps) {
    this.#d = deps;
    const cfg = deps.config();
    for (const symbol of cfg.symbols) {
      this.#pairs.set(symbol, {
        key: pairKey(symbol, cfg.timeframe),
        symbol,
        health: { symbol, state: 'ok', consecutiveFailures: 0 },
        lastTs: Number.NEGATIVE_INFINITY,
        pending: [],
      });
    }
  }

  pairs(): PairHealth[] {
    return [...this.#pairs.values()].map((p) => ({ ...p.health }));
  }

  priceOf = (symbol: string): number | undefined =>
    this.#d.market.latestPrice(symbol) ?? this.#lastClose.get(symbol);

  /** Queue a user's close or entry for the next tick. */
  request(req: ManualRequest): void {
    this.#manual.push(req);
  }

  /** Market time (simulated or replayed markets run on their own clock), wall time before any candle. */
  marketTime = (): number => this.#marketTime ?? this.#d.now();

  /** Validate the symbols, reconcile orders left open, warm every pair's strategy up. */
  async prepare(): Promise<void> {
    const { market, pool, journal, signal } = this.#d;
    const cfg = this.#d.config();
    await raceAbort(market.validate(cfg.symbols, cfg.timeframe), signal);
    this.#reconcile();
    const warmedUp = await Promise.all(
      [...this.#pairs.values()].map(async (pair) => {
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
          pair.lastTs = last.ts;
          this.#lastClose.set(pair.symbol, last.close);
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
    this.stats.equity = this.#equity().equity;
    journal.commitTick({
      events: [
        { ts: this.#d.now(), kind: 'start', payload: { runId: this.#d.runId, config: cfg } },
      ],
    });
  }

  /** Orders an interrupted run left 'open' in the journal are settled before trading resumes. */
  #reconcile(): void {
    const { journal, executor } = this.#d;
    const open = journal.openOrders();
    if (open.length === 0) return;
    if (executor.mode !== 'paper') {
      throw new BotDeskError(
        'NOT_IMPLEMENTED',
        `reconciling ${open.length} open live orders needs the live executor`,
      );
    }
    // A paper market order fills within its own tick; one still open was cut off before its fill was journaled.
    const canceled = open.map((o) => ({
      ...o,
      status: 'canceled' as const,
      reason: `${o.reason}; canceled on reconcile: the run that placed it was interrupted`,
    }));
    journal.commitTick({
      orders: canceled,
      events: [
        { ts: this.#d.now(), kind: 'reconcile', payload: { canceled: canceled.map((o) => o.id) } },
      ],
    });
    this.#d.log(
      'warn',
      `reconciled ${canceled.length} order(s) left open by an interrupted run: marked canceled`,
    );
  }

  /** The tick loop; resolves when aborted or when the feed ends, rejects on an unrecoverable error. */
  async run(): Promise<RunOutcome> {
    const internal = new AbortController();
    const signal = AbortSignal.any([this.#d.signal, internal.signal]);
    let failure: unknown = null;
    const fail = (err: unknown) => {
      if (failure === null && !this.#d.signal.aborted) failure = err;
      internal.abort(err);
    };
    const tickSignal = AbortSignal.any([this.#d.kill, internal.signal]);
    const reader = this.#read(signal).then(() => {
      // The ticker drains what is pending, then ends.
      this.#feedEnded = !signal.aborted;
      this.#wake?.();
    }, fail);
    const ticker = this.#tickLoop(signal, tickSignal).catch(fail);
    await Promise.all([reader, ticker]);
    if (failure !== null) throw failure;
    return this.#feedEnded ? 'feed-ended' : 'aborted';
  }

  async #read(signal: AbortSignal): Promise<void> {
    const cfg = this.#d.config();
    const tfMs = TIMEFRAME_MS[cfg.timeframe];
    const lastKnown = Math.min(...[...this.#pairs.values()].map((p) => p.lastTs));
    const feed = this.#d.market.subscribe(cfg.symbols, cfg.timeframe, {
      signal,
      ...(Number.isFinite(lastKnown) ? { since: lastKnown + tfMs } : {}),
      onHealth: (h) => {
        this.feedHealth = h;
        this.#d.onChange();
      },
    });
    for await (const ev of feed) {
      if (signal.aborted) return;
      const pair = this.#pairs.get(ev.symbol);
      // The source promises order and no duplicates; the guard keeps a warm-up overlap harmless.
      if (!ev.closed || !pair || ev.candle.ts <= pair.lastTs) continue;
      pair.lastTs = ev.candle.ts;
      pair.pending.push(ev.candle);
      this.#wake?.();
    }
  }

  #hasPending(): boolean {
    for (const p of this.#pairs.values()) if (p.pending.length > 0) return true;
    return false;
  }

  /** Wait for candles, then give the other symbols of the same candle time a moment to arrive. */
  async #nextBatch(signal: AbortSignal): Promise<boolean> {
    while (!this.#hasPending()) {
      if (signal.aborted || this.#feedEnded) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.#wake = null;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    const cfg = this.#d.config();
    const gatherMs = Math.min(250, TIMEFRAME_MS[cfg.timeframe] / cfg.market.speed / 4);
    const deadline = performance.now() + gatherMs;
    // Candles the feed already has in hand arrive within one turn of the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (!this.#batchComplete() && performance.now() < deadline) {
      if (!(await sleepReal(Math.min(5, gatherMs), signal))) return false;
    }
    return !signal.aborted;
  }

  #batchComplete(): boolean {
    let newest = Number.NEGATIVE_INFINITY;
    for (const p of this.#pairs.values()) newest = Math.max(newest, p.pending.at(-1)?.ts ?? newest);
    for (const p of this.#pairs.values()) {
      if (
        p.health.state !== 'paused' &&
        (p.pending.at(-1)?.ts ?? Number.NEGATIVE_INFINITY) < newest
      )
        return false;
    }
    return true;
  }

  /** `signal` ends the loop between ticks; `tickSignal` cancels the tick in flight. */
  async #tickLoop(signal: AbortSignal, tickSignal: AbortSignal): Promise<void> {
    while (await this.#nextBatch(signal)) {
      try {
        await this.#tick(tickSignal);
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
      const pairs = [...this.#pairs.values()];
      if (pairs.every((p) => p.health.state === 'paused')) {
        // Nothing is left to trade: stop with the reason instead of idling silently.
        throw new BotDeskError(
          'STRATEGY_ERROR',
          `every pair is paused after repeated failures (${pairs.map((p) => `${p.symbol}: ${p.health.lastError ?? '?'}`).join('; ')})`,
        );
      }
    }
  }

  #pairFailed(pair: Pair, code: ErrorCode, message: string): void {
    const h = pair.health;
    h.consecutiveFailures += 1;
    h.lastError = message;
    if (h.consecutiveFailures >= this.#d.maxPairFailures) {
      h.state = 'paused';
      pair.pending = [];
      const text = `${pair.symbol} paused after ${h.consecutiveFailures} consecutive failures; last: ${message}`;
      this.#d.log('error', text);
      this.#d.bus.emit('error', { code, message: text, symbol: pair.symbol });
    } else {
      h.state = 'degraded';
      this.#d.log('warn', `${pair.symbol}: ${message}`);
      this.#d.bus.emit('error', { code, message, symbol: pair.symbol });
    }
  }

  /**
   * The pool is rebuilding the pair's state after a neighbour took its worker down: not the
   * pair's fault, so it does not count towards pausing it (a rebuild may span many fast ticks).
   */
  #pairRecovering(pair: Pair, message: string): void {
    const h = pair.health;
    if (h.state !== 'degraded') this.#d.log('warn', `${pair.symbol}: ${message}`);
    h.state = 'degraded';
    h.lastError = message;
  }

  /**
   * Candles go out after the strategy saw them, each with that candle's indicator values,
   * so a chart draws continuous indicator lines (signals alone are sparse).
   */
  #emitCandles(symbol: string, candles: readonly Candle[], signals: readonly Signal[]): void {
    const byTs = new Map<number, Signal['indicators']>();
    for (const s of signals) byTs.set(s.ts, s.indicators);
    for (const candle of candles) {
      const indicators = byTs.get(candle.ts);
      this.#d.bus.emit('market:candle', {
        symbol,
        timeframe: this.#d.config().timeframe,
        candle,
        ...(indicators ? { indicators } : {}),
      });
    }
  }

  #pairOk(pair: Pair): void {
    pair.health = { symbol: pair.symbol, state: 'ok', consecutiveFailures: 0 };
  }

  #equity(): { equity: number; cash: number } {
    const wallet = this.#d.executor.wallet();
    let equity = wallet.cash;
    for (const [symbol, amount] of wallet.holdings) {
      const price = this.priceOf(symbol);
      if (price !== undefined) equity += amount * price;
    }
    return { equity, cash: wallet.cash };
  }

  #riskContext(now: number): RiskContext {
    const { equity, cash } = this.#equity();
    return {
      now,
      equity,
      cash,
      positions: this.#d.positions.open(this.priceOf),
      priceOf: this.priceOf,
      entriesPaused: this.#d.entriesPaused(),
    };
  }

  async #tick(signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const n = this.stats.ticks + 1;
    const attempt = ++this.#attempt;
    const { pool, bus } = this.#d;
    const cfg = this.#d.config();
    this.#d.risk.configure(cfg.risk);

    const updates: { key: string; candles: Candle[] }[] = [];
    const byKey = new Map<string, Pair>();
    const sent = new Map<string, Candle[]>();
    const times = new Set<number>();
    let candleCount = 0;
    let marketTime = Number.NEGATIVE_INFINITY;
    for (const pair of this.#pairs.values()) {
      if (pair.pending.length === 0 || pair.health.state === 'paused') continue;
      const candles = pair.pending;
      pair.pending = [];
      updates.push({ key: pair.key, candles });
      byKey.set(pair.key, pair);
      sent.set(pair.key, candles);
      for (const c of candles) {
        times.add(c.ts);
        marketTime = Math.max(marketTime, c.ts);
        this.#lastClose.set(pair.symbol, c.close);
      }
      candleCount += candles.length;
    }
    if (updates.length === 0) return;
    this.#marketTime = marketTime + TIMEFRAME_MS[cfg.timeframe];
    // Every candle time beyond the first was a tick that came due while the previous one ran.
    this.stats.missedTicks += times.size - 1;

    const results = await raceAbort(
      pool.evaluate(updates, { signal, deadlineMs: cfg.computeDeadlineMs }),
      signal,
    );
    const failedPairs: string[] = [];
    const signals: Signal[] = [];
    for (const r of results) {
      const pair = byKey.get(r.key);
      if (!pair) continue;
      this.#emitCandles(pair.symbol, sent.get(r.key) ?? [], r.ok ? r.signals : []);
      if (!r.ok) {
        failedPairs.push(pair.symbol);
        if (r.degraded) this.#pairRecovering(pair, r.error.message);
        else this.#pairFailed(pair, r.error.code, r.error.message);
        continue;
      }
      this.#pairOk(pair);
      for (const s of r.signals)
        if (s.action !== 'hold') signals.push({ ...s, indicators: { ...s.indicators } });
    }

    // Only the newest signal of a pair is actionable; older ones of a merged tick are history.
    const latest = new Map<string, Signal>();
    for (const s of signals) latest.set(s.symbol, s);
    const { intents, events } = this.#decide([...latest.values()]);

    const placed = await this.#execute(intents, `${this.#d.runId}-${attempt}`, signal);
    const orders = placed.map((p) => p.order);
    const fills = placed.flatMap((p) => p.fills);
    const point = { ts: this.marketTime(), ...this.#equity() };
    for (const s of signals) events.push({ ts: point.ts, kind: 'signal', payload: s });
    this.#commit(orders, fills, point, events);

    for (const o of orders)
      if (o.status === 'rejected') this.#d.log('warn', `${o.symbol}: order rejected: ${o.reason}`);
    for (const s of signals) bus.emit('strategy:signal', s);

    Object.assign(this.stats, {
      ticks: n,
      signals: this.stats.signals + signals.length,
      equity: point.equity,
      lastTickAt: this.#d.now(),
    });
    const summary: TickSummary = {
      n,
      ts: point.ts,
      durationMs: performance.now() - started,
      candles: candleCount,
      signals: signals.length,
      orders: orders.length,
      fills: fills.length,
      failedPairs,
    };
    bus.emit('equity', point);
    bus.emit('bot:tick', summary);
    this.#d.onChange();
  }

  /**
   * Risk decisions for one tick. Exits go first (they free slots and cash); each approved
   * intent is applied provisionally to the context, so later decisions of the same tick
   * see the slots and cash the earlier ones took.
   */
  #decide(latest: Signal[]): { intents: SizedIntent[]; events: JournalEvent[] } {
    const base = this.#riskContext(this.marketTime());
    const positions = new Map(base.positions);
    const ctx: RiskContext = { ...base, positions };
    const events: JournalEvent[] = [];
    const intents: SizedIntent[] = [];
    const take = (intent: SizedIntent) => {
      intents.push(intent);
      const price = this.priceOf(intent.symbol) ?? 0;
      if (intent.side === 'sell') {
        positions.delete(intent.symbol);
        ctx.cash += intent.amount * price;
      } else {
        const p = {
          amount: intent.amount,
          avgPrice: price,
          lastPrice: price,
          unrealizedPnl: 0,
          realizedPnl: 0,
        };
        positions.set(intent.symbol, { symbol: intent.symbol, ...p });
        ctx.cash -= intent.amount * price;
      }
    };
    for (const intent of this.#d.risk.review(ctx)) take(intent);
    for (const m of this.#manual.splice(0)) {
      const held = positions.get(m.symbol);
      if (m.action === 'close') {
        if (held)
          take({
            symbol: m.symbol,
            side: 'sell',
            amount: held.amount,
            reason: 'closed by the user',
          });
        else this.#d.log('warn', `${m.symbol}: close requested without an open position`);
        continue;
      }
      const forced: Signal = {
        symbol: m.symbol,
        ts: this.marketTime(),
        action: 'enter_long',
        strength: 1,
        indicators: {},
      };
      const decision = this.#d.risk.decide(forced, ctx);
      if (decision.ok) take({ ...decision.intent, reason: 'entry forced by the user' });
      else {
        this.#d.log('warn', `${m.symbol}: forced entry not taken: ${decision.reason}`);
        const rule = BLOCKING_RULES.find(([re]) => re.test(decision.reason))?.[1];
        if (rule) this.#setRiskBlock({ rule, reason: decision.reason });
      }
    }
    const ordered = [...latest].sort(
      (a, b) => Number(a.action !== 'exit') - Number(b.action !== 'exit'),
    );
    for (const s of ordered) {
      const decision = this.#d.risk.decide(s, ctx);
      if (decision.ok) {
        take(decision.intent);
        if (s.action === 'enter_long') this.#setRiskBlock(null);
      } else {
        events.push({ ts: this.marketTime(), kind: 'risk-rejected', payload: decision });
        this.#d.log('info', `${decision.symbol}: ${s.action} not taken: ${decision.reason}`);
        const rule = BLOCKING_RULES.find(([re]) => re.test(decision.reason))?.[1];
        if (s.action === 'enter_long' && rule)
          this.#setRiskBlock({ rule, reason: decision.reason });
      }
    }
    return { intents, events };
  }

  #setRiskBlock(block: { rule: string; reason: string } | null): void {
    const was = this.riskBlock;
    if (block === null) {
      if (was) this.#d.log('info', `entries unblocked (was: ${was.reason})`);
      this.riskBlock = null;
      return;
    }
    if (was?.rule !== block.rule) {
      this.#d.log('warn', `entries blocked by ${block.rule}: ${block.reason}`);
      this.#d.bus.emit('error', {
        code: 'RISK_REJECTED',
        message: `new entries blocked: ${block.reason}`,
      });
    }
    this.riskBlock = { ...block, since: was?.rule === block.rule ? was.since : this.#d.now() };
  }

  /**
   * Place intents one by one. An abort stops placing further orders, but what was placed
   * is still returned so it gets journaled: the wallet and the journal must agree.
   */
  async #execute(
    intents: readonly SizedIntent[],
    idPrefix: string,
    signal: AbortSignal,
  ): Promise<ExecutionResult[]> {
    const placed: ExecutionResult[] = [];
    for (const intent of intents) {
      if (signal.aborted) break;
      try {
        placed.push(
          await this.#d.executor.place(
            { ...intent, clientOrderId: `${idPrefix}-${intent.symbol}-${intent.side}` },
            signal,
          ),
        );
      } catch (err) {
        if (signal.aborted) break;
        if (isFatal(err)) {
          this.#commit(
            placed.map((p) => p.order),
            placed.flatMap((p) => p.fills),
            undefined,
            [],
          );
          throw err;
        }
        const pair = this.#pairs.get(intent.symbol);
        const info = toErrorInfo(err);
        if (pair) this.#pairFailed(pair, info.code, `order failed: ${info.message}`);
      }
    }
    return placed;
  }

  /** One journal transaction, then the events: nothing is reported before it is stored. */
  #commit(
    orders: Order[],
    fills: Fill[],
    equity: { ts: number; equity: number; cash: number } | undefined,
    events: JournalEvent[],
  ): void {
    this.#d.journal.commitTick({ orders, fills, ...(equity ? { equity } : {}), events });
    for (const f of fills) this.#d.positions.apply(f);
    this.stats.orders += orders.length;
    this.stats.fills += fills.length;
    for (const o of orders) this.#d.bus.emit('order', o);
    for (const f of fills) this.#d.bus.emit('fill', f);
  }

  /** After the loop ended: apply the configured stop behaviour to orders and positions. */
  async settle(behavior: StopBehavior, signal: AbortSignal): Promise<string> {
    if (behavior === 'leave') return 'open orders and positions left as they are';
    const canceled = await raceAbort(this.#d.executor.cancelOpenOrders(signal), signal);
    this.#commit(canceled, [], undefined, [
      { ts: this.marketTime(), kind: 'stop-cancel', payload: canceled.map((o) => o.id) },
    ]);
    if (behavior === 'cancel_orders') return `${canceled.length} open order(s) canceled`;
    const intents: SizedIntent[] = [...this.#d.positions.open(this.priceOf).values()].map((p) => ({
      symbol: p.symbol,
      side: 'sell',
      amount: p.amount,
      reason: 'close position on stop',
    }));
    const placed = await this.#execute(intents, `${this.#d.runId}-stop`, signal);
    const orders = placed.map((p) => p.order);
    this.#commit(
      orders,
      placed.flatMap((p) => p.fills),
      { ts: this.marketTime(), ...this.#equity() },
      [],
    );
    const closed = orders.filter((o) => o.status === 'filled').length;
    const failed = intents.length - closed;
    return `${canceled.length} open order(s) canceled, ${closed} position(s) closed${failed > 0 ? `, ${failed} could not be closed` : ''}`;
  }
}
