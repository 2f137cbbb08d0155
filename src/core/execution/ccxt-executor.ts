/**
 * Live trading through ccxt, behind the engine's Executor interface.
 *
 * - Every order is written to the ledger as `pending` before it is sent, with a client
 *   order id the exchange accepts (ccxt-client-id.ts), derived from the engine's id.
 * - The answer updates it (open, partially filled, filled, canceled, rejected) with the
 *   exchange's order id and its trades as fills, fees in the currency they were paid in.
 * - A lost or timed-out answer is settled by looking the order up by its client id,
 *   never by sending it again; a 429 backs off, looks up, and only then sends again.
 * - Fills that come later (partial fills, resting orders) arrive outside the tick, by
 *   websocket where ccxt.pro has `watchMyTrades`/`watchOrders` (ccxt-fill-stream.ts) and by
 *   polling (the fallback, and a safety net while the socket is up); each trade is recorded
 *   once by its id and handed to the engine through `takeUpdates()`.
 * - Balances come from fetchBalance; the budget for new orders is the exchange's free quote
 *   minus the bot's own orders in flight (ccxt-balance.ts).
 * - `prepare()` reconciles the ledger with the exchange before the first order of a run
 *   (ccxt-reconcile.ts).
 */
import type { Exchange, Order as CcxtOrder } from 'ccxt';
import type { Fill, Order } from '../api/schemas.ts';
import type { JournalEvent } from '../journal/journal.ts';
import { sleepReal } from '../market/clock.ts';
import {
  backoffMs,
  callWithRetry,
  cancelled,
  DEFAULT_BACKOFF,
  messageOf,
  outcomeOf,
  toBotDeskError,
  type Backoff,
  type CallContext,
  type CcxtModule,
  type Redact,
} from './ccxt-calls.ts';
import { LiveBalance, quoteFlow } from './ccxt-balance.ts';
import { exchangeClientId } from './ccxt-client-id.ts';
import { FillStream } from './ccxt-fill-stream.ts';
import { toEngineOrder, type LedgerOrder, type OrderLedger } from './ccxt-ledger.ts';
import {
  applyAnswer,
  catchUpTrades,
  lookupOrder,
  pollOpenOrders,
  settleLostOrder,
} from './ccxt-order-sync.ts';
import { precheckOrder } from './ccxt-precheck.ts';
import { reconcileWithExchange } from './ccxt-reconcile.ts';
import type { ExecutionResult, Executor, ExecutorUpdate, OrderIntent, Wallet } from './types.ts';

export interface CcxtExecutorOptions {
  ccxt: CcxtModule;
  /** A ccxt exchange with keys set (ccxt-connect.ts). */
  exchange: Exchange;
  ledger: OrderLedger;
  /** The quote currency every symbol of the bot trades against. */
  quote: string;
  symbols: readonly string[];
  /** Latest price of a symbol (minimum-cost checks before sending). */
  priceOf?: (symbol: string) => number | undefined;
  backoff?: Partial<Backoff>;
  /**
   * After a lost answer, how long "not found by its client id" may still mean "not arrived
   * yet". Past it (Binance rejects requests older than recvWindow) the order was never placed.
   */
  lostOrderGraceMs?: number;
  /** Polling of open orders and balances outside the tick, real ms. Default 2000. */
  pollMs?: number;
  /**
   * Fills by websocket when the exchange has them (ccxt.pro watchMyTrades/watchOrders).
   * Default true; polling then runs every `safetyPollMs` instead of `pollMs`.
   */
  stream?: boolean;
  /** Polling while the fill stream is up, real ms. Default 30 000. */
  safetyPollMs?: number;
  /** How long a new watch call must not fail before the stream counts as subscribed, ms. Default 500. */
  streamSettleMs?: number;
  /** The quote cash the bot's own account holds at start (shown when the exchange differs). */
  expectedCash?: number;
  /** How far back the first reconcile looks for trades the ledger does not know, ms. Default 24 h. */
  tradeLookbackMs?: number;
  /** Which of these fill ids the engine's journal already holds (fills are re-sent otherwise). */
  journaledFills?: (ids: readonly string[]) => ReadonlySet<string>;
  redact?: Redact;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

function emptyUpdate(): ExecutorUpdate {
  return { orders: [], fills: [], events: [], notices: [] };
}

export class CcxtExecutor implements Executor {
  readonly mode = 'live' as const;
  readonly exchangeId: string;
  readonly ctx: CallContext;
  readonly ledger: OrderLedger;
  readonly exchange: Exchange;
  readonly quote: string;
  readonly symbols: readonly string[];
  readonly #opts: CcxtExecutorOptions;
  readonly #closing = new AbortController();
  #updates: ExecutorUpdate = emptyUpdate();
  readonly #balance: LiveBalance;
  #prepared: Promise<ExecutorUpdate> | null = null;
  #poller: Promise<void> | null = null;
  /** Fills by websocket, when the exchange has them (null: polling only). */
  stream: FillStream | null = null;
  #balanceAfterOrder: Promise<void> = Promise.resolve();
  #lastSide: 'buy' | 'sell' | null = null;
  /** Orders place() is sending or settling: the poller leaves them alone. */
  readonly #inFlight = new Set<string>();
  /** Fills handed to the engine this run: each goes out once, whichever path saw it first. */
  readonly #delivered = new Set<string>();
  /** Rate-limit and network pauses so far (for the status and the benchmark). */
  retries = 0;
  /** After a lost answer, how long "not found by client id" may mean "not arrived yet", ms. */
  readonly lostOrderGraceMs: number;

  constructor(opts: CcxtExecutorOptions) {
    this.#opts = opts;
    this.exchange = opts.exchange;
    this.exchangeId = opts.exchange.id;
    this.ledger = opts.ledger;
    this.quote = opts.quote;
    this.symbols = opts.symbols;
    this.#balance = new LiveBalance(opts.quote);
    this.lostOrderGraceMs = opts.lostOrderGraceMs ?? 15_000;
    this.ctx = {
      ccxt: opts.ccxt,
      exchangeId: this.exchangeId,
      backoff: { ...DEFAULT_BACKOFF, ...opts.backoff },
      redact: opts.redact ?? ((s) => s),
      onRetry: (what, message) => {
        this.retries++;
        this.log('warn', `${this.exchangeId} ${what}: ${message}; backing off`);
      },
    };
  }

  /** Aborted when the executor closes (background look-ups end with it). */
  get closingSignal(): AbortSignal {
    return this.#closing.signal;
  }

  /** The fill stream (re)subscribed: fetch what it may have missed (ccxt-order-sync.ts). */
  catchUp(signal: AbortSignal): Promise<void> {
    return catchUpTrades(this, signal);
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.#opts.log?.(level, this.ctx.redact(message));
  }

  // ---- wallet -------------------------------------------------------------------------

  wallet(): Wallet {
    const holdings = new Map<string, number>();
    for (const symbol of this.symbols) {
      const base = symbol.split('/')[0]!;
      const amount = this.#balance.snapshot.total[base] ?? 0;
      if (amount > 0) holdings.set(symbol, amount);
    }
    return { quote: this.quote, cash: this.#balance.snapshot.total[this.quote] ?? 0, holdings };
  }

  /** The budget for new orders: the exchange's free quote minus the bot's orders in flight. */
  availableCash(): number | undefined {
    return this.#balance.available();
  }

  /** Resolves once the balance refresh that follows the last order is done. */
  balanceSettled(): Promise<void> {
    return this.#balanceAfterOrder;
  }

  async refreshBalance(signal?: AbortSignal): Promise<void> {
    const fills = this.#balance.fillCount;
    const applied = await this.#balance.refresh(() =>
      callWithRetry(this.ctx, 'fetchBalance', () => this.exchange.fetchBalance(), signal),
    );
    // Money that moved without a fill of the bot's: checked when nothing of the bot's is moving.
    const quiet =
      applied &&
      fills === this.#balance.fillCount &&
      this.#inFlight.size === 0 &&
      !this.ledger.unresolved().some((o) => o.exchange === this.exchangeId);
    const drift = quiet ? this.#balance.drift() : null;
    if (drift) {
      const q = this.quote;
      this.noteEvent('balance-difference', { currency: q, ...drift });
      this.notice(
        `${this.exchangeId} ${q} balance is ${drift.actual.toFixed(2)}, the bot's fills since the last check left ${drift.expected.toFixed(2)}: ${(drift.actual - drift.expected).toFixed(2)} ${q} moved outside this bot`,
      );
    }
  }

  // ---- start ----------------------------------------------------------------------------

  /** Reconcile with the exchange once per run, before any order; starts the poller. */
  prepare(signal: AbortSignal): Promise<ExecutorUpdate> {
    this.#prepared ??= this.#prepare(signal).catch((err: unknown) => {
      this.#prepared = null;
      throw err;
    });
    return this.#prepared;
  }

  async #prepare(signal: AbortSignal): Promise<ExecutorUpdate> {
    await callWithRetry(this.ctx, 'loadMarkets', () => this.exchange.loadMarkets(), signal);
    await reconcileWithExchange(this, {
      signal,
      lookbackMs: this.#opts.tradeLookbackMs ?? 86_400_000,
      ...(this.#opts.journaledFills ? { journaledFills: this.#opts.journaledFills } : {}),
    });
    await this.refreshBalance(signal);
    this.#compareWithAccount();
    if (this.#opts.stream !== false && !this.stream) {
      this.stream = FillStream.for(this, this.#closing.signal, this.#opts.streamSettleMs);
      this.stream?.start();
    }
    this.#poller ??= this.#poll();
    const update = this.takeUpdates();
    for (const notice of update.notices) this.log('warn', `reconcile: ${notice}`);
    return update;
  }

  /** At start: the exchange's quote balance against what the bot's own account expects. */
  #compareWithAccount(): void {
    const expectedAtStart = this.#opts.expectedCash;
    if (expectedAtStart === undefined) return;
    const q = this.quote;
    // Fills the reconcile found are applied to the account with this update.
    const expected = this.#updates.fills.reduce((s, f) => s + quoteFlow(f, q), expectedAtStart);
    const total = this.#balance.snapshot.total[q] ?? 0;
    const free = this.#balance.snapshot.free[q] ?? 0;
    if (!LiveBalance.differs(total, expected)) return;
    this.noteEvent('balance-difference', { currency: q, expected, actual: total, free });
    const consequence =
      total < expected
        ? `entries are sized within the ${free.toFixed(2)} ${q} free on the exchange`
        : `the bot trades within its own account`;
    this.notice(
      `${this.exchangeId} holds ${total.toFixed(2)} ${q} (${free.toFixed(2)} free), the bot's account expects ${expected.toFixed(2)}: ${consequence}`,
    );
  }

  // ---- place ----------------------------------------------------------------------------

  async place(intent: OrderIntent, signal?: AbortSignal): Promise<ExecutionResult> {
    await this.prepare(signal ?? this.#closing.signal);
    const clientId = exchangeClientId(intent.clientOrderId);
    const known = this.ledger.get(clientId);
    if (known) {
      // The engine asked again for an order it already placed: report it, never send it twice.
      const settled =
        known.state === 'pending' ? await settleLostOrder(this, known, signal) : known;
      return { order: toEngineOrder(settled), fills: this.ledger.fillsOf(clientId) };
    }
    const now = Date.now();
    const base = {
      clientId,
      intentId: intent.clientOrderId,
      exchange: this.exchangeId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.limitPrice === undefined ? ('market' as const) : ('limit' as const),
      limitPrice: intent.limitPrice ?? null,
      reason: intent.reason,
      createdTs: now,
    };
    // A sell's amount, and a buy's budget after a sell (its proceeds), need the balance that
    // follows the previous order; a buy after a buy does not: that one's cost is reserved.
    if (intent.side === 'sell' || this.#lastSide === 'sell') await this.#balanceAfterOrder;
    const refusal = precheckOrder(intent, {
      exchange: this.exchange,
      quote: this.quote,
      waiting: this.ledger
        .unresolved()
        .find((o) => o.symbol === intent.symbol && o.state === 'pending'),
      free: (asset) => this.#balance.snapshot.free[asset] ?? 0,
      budget: this.#balance.known
        ? { available: this.#balance.available() ?? 0, reserved: this.#balance.reserved }
        : undefined,
      ...(this.#opts.priceOf ? { priceOf: this.#opts.priceOf } : {}),
    });
    if (typeof refusal === 'string') {
      const order = this.ledger.insertPending({ ...base, amount: intent.amount });
      const rejected = this.ledger.record(clientId, {
        state: 'rejected',
        note: refusal,
        updatedTs: now,
      }).order;
      return { order: toEngineOrder({ ...order, ...rejected }), fills: [] };
    }
    const pending = this.ledger.insertPending({
      ...base,
      amount: refusal.amount,
      limitPrice: refusal.limitPrice,
      reason: refusal.reason,
    });
    this.#lastSide = intent.side;
    this.#inFlight.add(clientId);
    if (intent.side === 'buy') this.#balance.reserve(clientId, refusal.cost);
    let settled: LedgerOrder;
    try {
      settled = await this.#send(pending, signal);
    } finally {
      this.#inFlight.delete(clientId);
      this.#balance.settle(clientId);
    }
    this.stream?.retryOrphans();
    const fills = this.#fresh(this.ledger.fillsOf(clientId));
    // The balance follows in the background; a sell's check waits for it (precheckOrder).
    this.#balanceAfterOrder = this.refreshBalance(signal).catch((err: unknown) =>
      this.log(
        'warn',
        `balance refresh after ${clientId} failed: ${messageOf(err, this.ctx.redact)}`,
      ),
    );
    return { order: toEngineOrder(settled), fills };
  }

  /** Sends a pending order; a 429 is retried after a look-up, a lost answer is looked up. */
  async #send(order: LedgerOrder, signal?: AbortSignal): Promise<LedgerOrder> {
    for (let attempt = 1; ; attempt++) {
      let answer: CcxtOrder;
      try {
        answer = await this.exchange.createOrder(
          order.symbol,
          order.type,
          order.side,
          order.amount,
          order.limitPrice ?? undefined,
          {
            clientOrderId: order.clientId,
          },
        );
      } catch (err) {
        const outcome = outcomeOf(this.ctx.ccxt, err);
        const message = messageOf(err, this.ctx.redact);
        if (outcome === 'refused' || outcome === 'not-found')
          return this.ledger.record(order.clientId, {
            state: 'rejected',
            note: message,
            updatedTs: Date.now(),
          }).order;
        if (outcome === 'auth') {
          this.ledger.record(order.clientId, {
            state: 'rejected',
            note: message,
            updatedTs: Date.now(),
          });
          throw toBotDeskError(this.ctx, `createOrder ${order.symbol}`, err);
        }
        if (outcome === 'unknown') {
          this.log(
            'warn',
            `${order.symbol}: the answer to order ${order.clientId} was lost (${message}); looking it up`,
          );
          return settleLostOrder(this, order, signal);
        }
        // not-taken: the exchange refused the request unprocessed. Pause, make sure, resend.
        this.retries++;
        if (attempt >= this.ctx.backoff.attempts)
          return this.ledger.record(order.clientId, {
            state: 'rejected',
            note: `rate limited ${attempt} times, not placed: ${message}`,
            updatedTs: Date.now(),
          }).order;
        this.log(
          'warn',
          `${order.symbol}: order ${order.clientId} was rate limited (${message}); backing off`,
        );
        if (!(await sleepReal(backoffMs(this.ctx.backoff, attempt), signal)))
          throw cancelled(`order ${order.clientId}`);
        const found = await lookupOrder(this, order, signal);
        if (found) return applyAnswer(this, order, found, signal);
        continue;
      }
      return applyAnswer(this, order, answer, signal);
    }
  }

  // ---- outside the tick -----------------------------------------------------------------

  takeUpdates(): ExecutorUpdate {
    const out = this.#updates;
    this.#updates = emptyUpdate();
    return out;
  }

  /**
   * The fills not handed to the engine yet, now marked as handed over. The journal is asked
   * too: after a crash the ledger may learn again of fills the journal already holds.
   */
  #fresh(fills: readonly Fill[]): Fill[] {
    let out = fills.filter((f) => !this.#delivered.has(f.id));
    const known = out.length > 0 ? this.#opts.journaledFills?.(out.map((f) => f.id)) : undefined;
    if (known && known.size > 0) {
      this.ledger.markJournaled([...known]);
      out = out.filter((f) => !known.has(f.id));
    }
    for (const f of out) {
      this.#delivered.add(f.id);
      this.#balance.noteFill(f);
    }
    return out;
  }

  /** Whether place() is still sending or settling this order (streams and polls leave it alone). */
  inFlight(clientId: string): boolean {
    return this.#inFlight.has(clientId);
  }

  /** Queues an order change (and its new fills) for the engine's next tick. */
  queue(order: LedgerOrder, fills: readonly Fill[], notice?: string): void {
    this.#updates.orders.push(toEngineOrder(order));
    this.#updates.fills.push(...this.#fresh(fills));
    if (notice) this.#updates.notices.push(notice);
  }

  /** A difference the user must see, shown with the next update. */
  notice(text: string): void {
    this.#updates.notices.push(this.ctx.redact(text));
  }

  noteEvent(kind: string, payload: unknown): void {
    const e: JournalEvent = { ts: Date.now(), kind, payload };
    this.#updates.events.push(e);
  }

  /**
   * Polls orders still open (partial fills, resting orders) and the balance until closed:
   * every `pollMs`, or every `safetyPollMs` while the fill stream is up.
   */
  async #poll(): Promise<void> {
    const signal = this.#closing.signal;
    const safetyMs = this.#opts.safetyPollMs ?? 30_000;
    let last = Date.now();
    // Wakes every pollMs, so a stream that drops is covered by polling within pollMs.
    while (await sleepReal(this.#opts.pollMs ?? 2000, signal)) {
      if (this.stream?.healthy && Date.now() - last < safetyMs) continue;
      last = Date.now();
      try {
        await pollOpenOrders(this, signal);
      } catch (err) {
        if (signal.aborted) return;
        this.log('warn', `${this.exchangeId} order polling: ${messageOf(err, this.ctx.redact)}`);
      }
    }
  }

  // ---- cancel & close -------------------------------------------------------------------

  async cancelOpenOrders(signal?: AbortSignal): Promise<Order[]> {
    const canceled: Order[] = [];
    for (const order of this.ledger.unresolved()) {
      if (order.state === 'pending' || order.exchangeOrderId === null) continue;
      const before = this.ledger.fillsOf(order.clientId).length;
      let answer: CcxtOrder | null;
      try {
        answer = await callWithRetry(
          this.ctx,
          `cancelOrder ${order.clientId}`,
          () => this.exchange.cancelOrder(order.exchangeOrderId!, order.symbol),
          signal,
        );
      } catch (err) {
        // Filled or canceled meanwhile: the exchange's view decides.
        this.log(
          'info',
          `${order.symbol}: cancel of ${order.clientId}: ${messageOf(err, this.ctx.redact)}`,
        );
        answer = await lookupOrder(this, order, signal);
      }
      if (!answer) continue;
      // Binance's cancel answer carries the executed amount but not the trades.
      const next = await applyAnswer(this, order, answer, signal);
      const fills = this.ledger.fillsOf(order.clientId).slice(before);
      if (next.state === 'canceled') canceled.push(toEngineOrder(next));
      if (fills.length > 0 || next.state !== 'canceled') this.queue(next, fills);
    }
    await this.refreshBalance(signal).catch(() => undefined);
    return canceled;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all([this.#poller, this.#balanceAfterOrder]);
    // Closing the exchange ends the stream's pending watch calls.
    await this.exchange.close?.();
    await this.stream?.closed();
  }
}
