/**
 * Fills by websocket (ccxt.pro `watchMyTrades` / `watchOrders`), outside the tick.
 *
 * - A trade of one of the bot's orders is recorded in the ledger at once (by its exchange
 *   trade id, so a trade the socket and a poll both see is recorded, and handed to the
 *   engine, once) and queued for the engine's next tick.
 * - An order update closes the order (filled, canceled, expired) once the ledger holds
 *   the trades that explain its filled amount; until then the order stays unresolved, so
 *   the poll keeps looking at it.
 * - A dropped socket loses nothing: the executor polls fast while the stream is down, and
 *   once it is subscribed again the trades since the last one seen are fetched (catch-up).
 *   Polling stays on, slower, as a safety net while the stream is up.
 */
import type { Exchange, Order as CcxtOrder, Trade } from 'ccxt';
import type { Fill } from '../api/schemas.ts';
import { sleepReal } from '../market/clock.ts';
import { backoffMs, messageOf, outcomeOf } from './ccxt-calls.ts';
import type { CcxtExecutor } from './ccxt-executor.ts';
import { UNRESOLVED, type LedgerOrder, type OrderLedger } from './ccxt-ledger.ts';
import { averagePrice, fillOf, filledBy, missingTrades } from './ccxt-order-map.ts';
import { applyAnswer } from './ccxt-order-sync.ts';

/**
 * How long, and for how many orders, trades the ledger cannot match yet (the order's answer
 * is still on its way) are kept to try again. Past that the answer, a look-up or the poll
 * records them; trades of orders the bot did not place are dropped.
 */
const ORPHAN_MS = 30_000;
const MAX_ORPHAN_ORDERS = 100;

export interface RecordedTrades {
  /** Orders that got new fills, with the fills not seen before. */
  changed: Array<{ order: LedgerOrder; added: Fill[] }>;
  /** Trades of no order in the ledger (not the bot's, or its answer has not come yet). */
  unmatched: Trade[];
}

/**
 * The bot's trades among `trades` recorded in the ledger (new ones only). An open order
 * whose fills now cover its amount is filled; other states are left to the order's answer.
 */
export function recordTrades(
  ledger: OrderLedger,
  exchangeId: string,
  trades: readonly Trade[],
  now = Date.now(),
): RecordedTrades {
  const byOrder = new Map<string, { order: LedgerOrder; fills: Fill[] }>();
  const unmatched: Trade[] = [];
  for (const t of trades) {
    const order = t.order ? ledger.byExchangeId(String(t.order)) : null;
    if (!order) {
      unmatched.push(t);
      continue;
    }
    const fill = fillOf(
      exchangeId,
      { ...t, symbol: t.symbol ?? order.symbol },
      order.clientId,
      order.side,
    );
    if (!fill || ledger.hasFill(fill.id)) continue;
    const entry = byOrder.get(order.clientId) ?? { order, fills: [] };
    if (!entry.fills.some((f) => f.id === fill.id)) entry.fills.push(fill);
    byOrder.set(order.clientId, entry);
  }
  const changed: RecordedTrades['changed'] = [];
  for (const { order, fills } of byOrder.values()) {
    const all = [...ledger.fillsOf(order.clientId), ...fills];
    const filled = Math.max(order.filled, filledBy(all));
    const open = order.state === 'open' || order.state === 'partially_filled';
    const state = !open
      ? order.state
      : order.amount - filled <= order.amount * 1e-9
        ? 'filled'
        : 'partially_filled';
    const { order: next, added } = ledger.record(
      order.clientId,
      { state, filled, avgPrice: averagePrice(all), updatedTs: now },
      fills,
    );
    if (added.length > 0) changed.push({ order: next, added });
  }
  return { changed, unmatched };
}

type Watcher = (exchange: Exchange) => Promise<unknown[]>;

const ABORTED = Symbol('aborted');

interface WsClients {
  clients?: Record<
    string,
    {
      futures?: Record<string, Promise<unknown>>;
      startedConnecting?: boolean;
      isConnected?: boolean;
    }
  >;
}

/** Every socket ccxt dialled is open (false while one is still connecting or waiting to retry). */
function socketsOpen(exchange: Exchange): boolean {
  const dialled = Object.values((exchange as unknown as WsClients).clients ?? {}).filter(
    (c) => c.startedConnecting === true,
  );
  return dialled.length > 0 && dialled.every((c) => c.isConnected === true);
}

/**
 * ccxt.pro parks futures nobody may await (binance: 'authenticate:signature:spot', made
 * ahead of the subscribe request for concurrent callers), and a dropped socket rejects
 * every future of its client: those would surface as unhandled rejections. They are marked
 * handled here; whoever awaits one still gets its rejection.
 */
function markFuturesHandled(exchange: Exchange, marked: WeakSet<object>): void {
  for (const client of Object.values((exchange as unknown as WsClients).clients ?? {}))
    for (const future of Object.values(client.futures ?? {}))
      if (!marked.has(future)) {
        marked.add(future);
        future.catch(() => undefined);
      }
}

export class FillStream {
  /** Trades of any order that came by the socket. */
  seen = 0;
  /** Fills first recorded from the socket (the poll or the answer did not have them yet). */
  received = 0;
  /** Times the stream was lost (each followed by a catch-up once subscribed again). */
  drops = 0;
  readonly #ex: CcxtExecutor;
  readonly #signal: AbortSignal;
  readonly #settleMs: number;
  readonly #watchers: Array<[string, Watcher, (items: unknown[]) => void]> = [];
  readonly #loops: Promise<void>[] = [];
  /** Trades whose order has no exchange id in the ledger yet, by exchange order id. */
  readonly #orphans = new Map<string, { trades: Trade[]; at: number }>();
  /** Order updates that close an order whose trades have not all arrived, by client id. */
  readonly #waiting = new Map<string, CcxtOrder>();
  readonly #marked = new WeakSet<object>();
  readonly #aborted: Promise<typeof ABORTED>;
  #up = false;
  #subscribing = false;
  /** Failed watch calls so far (a subscription counts once none failed for a while). */
  #failures = 0;
  #work: Promise<void> = Promise.resolve();

  /** A stream when the exchange has websocket fills (ccxt.pro `has.watchMyTrades`/`watchOrders`). */
  static for(ex: CcxtExecutor, signal: AbortSignal, settleMs = 500): FillStream | null {
    const has = ex.exchange.has;
    const trades = has['watchMyTrades'] === true && typeof ex.exchange.watchMyTrades === 'function';
    const orders = has['watchOrders'] === true && typeof ex.exchange.watchOrders === 'function';
    if (!trades && !orders) return null;
    return new FillStream(ex, signal, settleMs, trades, orders);
  }

  constructor(
    ex: CcxtExecutor,
    signal: AbortSignal,
    settleMs: number,
    trades: boolean,
    orders: boolean,
  ) {
    this.#ex = ex;
    this.#signal = signal;
    this.#settleMs = settleMs;
    this.#aborted = new Promise((resolve) => {
      if (signal.aborted) resolve(ABORTED);
      else signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
    });
    if (trades)
      this.#watchers.push([
        'watchMyTrades',
        (e) => e.watchMyTrades(),
        (items) => this.#onTrades(items as Trade[]),
      ]);
    if (orders)
      this.#watchers.push([
        'watchOrders',
        (e) => e.watchOrders(),
        (items) => this.#onOrders(items as CcxtOrder[]),
      ]);
  }

  /** Whether trades come by the socket (false: it dropped, or is not subscribed yet). */
  get healthy(): boolean {
    return this.#up;
  }

  get watchesTrades(): boolean {
    return this.#watchers.some(([name]) => name === 'watchMyTrades');
  }

  start(): void {
    for (const [name, watch, handle] of this.#watchers)
      this.#loops.push(this.#loop(name, watch, handle));
  }

  /** Resolves when every loop has ended (the executor aborts them and closes the exchange). */
  async closed(): Promise<void> {
    await Promise.all(this.#loops);
    await this.#work;
  }

  async #loop(name: string, watch: Watcher, handle: (items: unknown[]) => void): Promise<void> {
    const signal = this.#signal;
    for (let failures = 0; !signal.aborted;) {
      const next = watch(this.#ex.exchange);
      // Left behind on close (ccxt may never settle a watch whose socket was still dialling).
      next.catch(() => undefined);
      markFuturesHandled(this.#ex.exchange, this.#marked);
      if (!this.#up) void this.#awaitSubscription();
      try {
        const items = await Promise.race([next, this.#aborted]);
        if (items === ABORTED) return;
        failures = 0;
        // Handled before the next watch call: ccxt hands over what arrived in between with it.
        handle(items);
      } catch (err) {
        if (signal.aborted) return;
        const outcome = outcomeOf(this.#ex.ctx.ccxt, err);
        if (outcome === 'refused' || outcome === 'auth') {
          // Not a drop (unsupported, refused keys): fills keep coming by polling alone.
          this.#up = false;
          this.#ex.log(
            'warn',
            `${this.#ex.exchangeId} ${name} is unavailable (${messageOf(err, this.#ex.ctx.redact)}); fills come by polling`,
          );
          return;
        }
        failures++;
        this.#failures++;
        if (this.#up) {
          this.#up = false;
          this.drops++;
        }
        this.#ex.log(
          'warn',
          `${this.#ex.exchangeId} ${name} stream lost (${messageOf(err, this.#ex.ctx.redact)}); polling until it is back`,
        );
        if (!(await sleepReal(backoffMs(this.#ex.ctx.backoff, Math.min(failures, 6)), signal)))
          return;
      }
    }
  }

  /**
   * Subscribed again: every socket ccxt dialled is open and no watch call failed for
   * `settleMs` after (the subscription's answer). Then catch up on what the socket may have
   * missed before (trades since the last one seen, open orders' states).
   */
  async #awaitSubscription(): Promise<void> {
    if (this.#subscribing) return;
    this.#subscribing = true;
    const signal = this.#signal;
    try {
      while (!this.#up) {
        // ccxt may wait before it dials again (its reconnect backoff): not subscribed meanwhile.
        if (!socketsOpen(this.#ex.exchange)) {
          if (!(await sleepReal(20, signal))) return;
          continue;
        }
        const failures = this.#failures;
        if (!(await sleepReal(this.#settleMs, signal))) return;
        if (failures !== this.#failures || !socketsOpen(this.#ex.exchange)) continue;
        this.#up = true;
        this.#serially(() => this.#ex.catchUp(signal));
      }
    } finally {
      this.#subscribing = false;
    }
  }

  /** Follow-up work (look-ups, catch-up) runs one at a time, off the watch loops. */
  #serially(fn: () => Promise<void>): void {
    this.#work = this.#work.then(fn).catch((err: unknown) => {
      if (!this.#signal.aborted)
        this.#ex.log(
          'warn',
          `${this.#ex.exchangeId} fill stream: ${messageOf(err, this.#ex.ctx.redact)}`,
        );
    });
  }

  #onTrades(trades: readonly Trade[]): void {
    this.seen += trades.length;
    this.#record(trades, new Map());
  }

  /** An order got its answer: trades of it that came first can be matched now. */
  retryOrphans(): void {
    if (this.#orphans.size === 0) return;
    const now = Date.now();
    const fresh = [...this.#orphans].filter(([, o]) => now - o.at < ORPHAN_MS);
    this.#orphans.clear();
    this.#record(
      fresh.flatMap(([, o]) => o.trades),
      new Map(fresh.map(([id, o]) => [id, o.at])),
    );
  }

  #record(trades: readonly Trade[], firstSeen: ReadonlyMap<string, number>): void {
    const now = Date.now();
    const { changed, unmatched } = recordTrades(this.#ex.ledger, this.#ex.exchangeId, trades, now);
    for (const t of unmatched) {
      // The bot's symbols only: a trade on another market is never one of its orders.
      if (!t.order || !this.#ex.symbols.includes(t.symbol ?? '')) continue;
      const id = String(t.order);
      const entry = this.#orphans.get(id) ?? { trades: [], at: firstSeen.get(id) ?? now };
      entry.trades.push(t);
      this.#orphans.set(id, entry);
      if (this.#orphans.size > MAX_ORPHAN_ORDERS)
        this.#orphans.delete(this.#orphans.keys().next().value!);
    }
    for (const { order, added } of changed) {
      this.received += added.length;
      const waiting = this.#waiting.get(order.clientId);
      if (waiting && !missingTrades(waiting, this.#ex.ledger.fillsOf(order.clientId))) {
        this.#waiting.delete(order.clientId);
        this.#closeOrder(order, waiting, added);
      } else {
        this.#ex.queue(order, added);
      }
    }
  }

  #onOrders(orders: readonly CcxtOrder[]): void {
    const { ledger } = this.#ex;
    for (const o of orders) {
      const order =
        (o.clientOrderId ? ledger.get(o.clientOrderId) : null) ??
        (o.id ? ledger.byExchangeId(String(o.id)) : null);
      // Not the bot's, settled already, or place() is still settling it.
      if (!order || !UNRESOLVED.includes(order.state) || this.#ex.inFlight(order.clientId))
        continue;
      const closes = o.status === 'closed' || o.status === 'canceled' || o.status === 'expired';
      if (!closes && o.status !== 'rejected') continue;
      if (this.watchesTrades && missingTrades(o, ledger.fillsOf(order.clientId))) {
        // Its trades are on their way by the trade stream; the poll settles it if they are lost.
        this.#waiting.set(order.clientId, o);
        continue;
      }
      this.#closeOrder(order, o, []);
    }
  }

  /** The exchange's final view of an order, with fills already recorded (looked up when missing). */
  #closeOrder(order: LedgerOrder, answer: CcxtOrder, added: readonly Fill[]): void {
    this.#serially(async () => {
      const before = this.#ex.ledger.fillsOf(order.clientId).length;
      const next = await applyAnswer(this.#ex, order, answer, this.#signal);
      const more = this.#ex.ledger.fillsOf(order.clientId).slice(before);
      this.#ex.queue(next, [...added, ...more]);
    });
  }

  /** The poll settled this order: forget a waiting update of it. */
  forget(clientId: string): void {
    this.#waiting.delete(clientId);
  }
}
