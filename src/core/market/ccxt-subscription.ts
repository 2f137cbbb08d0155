/**
 * A live candle subscription on a ccxt exchange. With a websocket (`watchOHLCV`) a candle
 * counts as closed when the next one starts; without one, REST is polled just after each
 * candle closes. Either way every symbol's closed candles come out in order, once each:
 * whatever was missed (a reconnect, a skipped candle, the `since` start) is fetched over
 * REST and delivered before anything newer. A symbol silent for two candles is reported stale
 * (by name: one quiet market must not hide behind the busy ones).
 */
import type { OHLCV } from 'ccxt';
import type { Candle, Timeframe } from '../api/schemas.ts';
import { fillGaps } from './candle-file.ts';
import { alignDown, sleepReal } from './clock.ts';
import type { CcxtSource } from './ccxt-source.ts';
import { EventQueue } from './event-queue.ts';
import { timeframeMs } from './symbols.ts';
import type { CandleEvent, SubscribeOptions } from './types.ts';

interface FeedContext {
  source: CcxtSource;
  queue: EventQueue<CandleEvent>;
  timeframe: Timeframe;
  tf: number;
  signal: AbortSignal;
  partial: boolean;
}

/** One symbol's delivery state: the next closed candle owed and the one forming now. */
class SymbolFeed {
  readonly symbol: string;
  /** Open time of the next closed candle to deliver. */
  next: number;
  forming: Candle | undefined;
  /** Market time the exchange last sent something new for this symbol. */
  heardAt: number;
  /** The last closed candle delivered. */
  #last: Candle | undefined;
  readonly #ctx: FeedContext;

  constructor(ctx: FeedContext, symbol: string, first: number) {
    this.#ctx = ctx;
    this.symbol = symbol;
    this.next = first;
    this.heardAt = ctx.source.clock.now();
  }

  /** Delivers a closed candle, after back-filling any candles missed before it. */
  async closed(candle: Candle): Promise<void> {
    if (candle.ts < this.next) return;
    if (candle.ts > this.next) await this.backfill(candle.ts, true);
    this.#deliver([candle]);
  }

  /**
   * Fetches the closed candles from `next` up to `to` (exclusive) and delivers them. With
   * `complete`, candles the exchange cannot provide are filled flat and reported; otherwise
   * (polling, where the newest may simply not be published yet) they are fetched next time.
   */
  async backfill(to: number, complete: boolean): Promise<Candle | undefined> {
    const { source, timeframe, tf, signal } = this.#ctx;
    const fetched = await source.fetchRange(
      this.symbol,
      timeframe,
      this.next,
      to + (complete ? 0 : tf),
      { signal, attempts: Infinity },
    );
    if (signal.aborted) return undefined;
    const forming = fetched.at(-1)?.ts === to ? fetched.pop() : undefined;
    const fresh = fetched.filter((c) => c.ts >= this.next);
    // Holes next to what was already delivered can only be filled from its close.
    const last = this.#last;
    const batch = last ? fillGaps([last, ...fresh], tf, complete ? to : undefined).slice(1) : fresh;
    const missing = batch.length - fresh.length;
    if (missing > 0) {
      source.setHealth({
        gapsFilled: (source.health().gapsFilled ?? 0) + missing,
        warning: `${source.exchangeId} could not provide ${missing} ${timeframe} candle(s) of ${this.symbol}; they were filled flat with zero volume`,
      });
    }
    this.#deliver(batch);
    return forming;
  }

  partialUpdate(candle: Candle): void {
    this.#ctx.source.setLatestPrice(this.symbol, candle.close);
    if (this.#ctx.partial && candle.ts >= this.next) {
      this.#ctx.queue.push({
        symbol: this.symbol,
        timeframe: this.#ctx.timeframe,
        candle,
        closed: false,
      });
    }
  }

  #deliver(candles: Candle[]): void {
    const { source, queue, timeframe, tf } = this.#ctx;
    const delivered: Candle[] = [];
    for (const candle of candles) {
      if (candle.ts !== this.next && !(this.#last === undefined && candle.ts > this.next)) continue;
      queue.push({ symbol: this.symbol, timeframe, candle, closed: true });
      delivered.push(candle);
      this.next = candle.ts + tf;
      this.#last = candle;
    }
    const last = delivered.at(-1);
    if (!last) return;
    source.setLatestPrice(this.symbol, last.close);
    source.store?.insert(
      { exchange: source.exchangeId, symbol: this.symbol, timeframe },
      delivered,
    );
  }
}

export async function* runCcxtSubscription(
  source: CcxtSource,
  symbols: readonly string[],
  timeframe: Timeframe,
  opts: SubscribeOptions,
): AsyncGenerator<CandleEvent> {
  await source.validate(symbols, timeframe);
  const { websocket } = await source.connection();
  const tf = timeframeMs(timeframe);
  const stop = new AbortController();
  const signal = AbortSignal.any([opts.signal, source.closing, stop.signal]);
  const queue = new EventQueue<CandleEvent>();
  const ctx: FeedContext = { source, queue, timeframe, tf, signal, partial: opts.partial === true };
  const first = opts.since ?? alignDown(source.clock.now(), tf);
  const feeds = symbols.map((symbol) => new SymbolFeed(ctx, symbol, first));
  const stale = new StaleReport(ctx, feeds);
  const unlisten = opts.onHealth ? source.onHealth(opts.onHealth) : () => {};
  // The subscriber starts from the current health: gaps filled in its warm-up history, retries.
  opts.onHealth?.(source.health());
  const fatal = (err: unknown) => {
    if (!signal.aborted) queue.fail(err);
  };
  if (websocket) for (const feed of feeds) watchLoop(ctx, feed, stale).catch(fatal);
  else pollLoop(ctx, feeds, stale).catch(fatal);
  staleWatch(ctx, stale).catch(fatal);
  seedPrices(ctx, symbols).catch(fatal);
  try {
    yield* queue.drain(signal);
  } finally {
    stop.abort();
    unlisten();
  }
}

/**
 * Rows of a ccxt candle cache with open time ≥ `from`, oldest first. The cache is not
 * always in time order: a late update for a candle it no longer holds is appended at the end.
 */
function since(rows: OHLCV[], from: number): OHLCV[] {
  return rows.filter((row) => (row[0] ?? -Infinity) >= from).sort((a, b) => a[0]! - b[0]!);
}

async function watchLoop(ctx: FeedContext, feed: SymbolFeed, stale: StaleReport): Promise<void> {
  const { source, signal, timeframe } = ctx;
  const { exchange, ccxt } = await source.connection();
  let failures = 0;
  let fresh = true;
  while (!signal.aborted) {
    let rows: OHLCV[];
    try {
      rows = await exchange.watchOHLCV(feed.symbol, timeframe);
    } catch (err) {
      if (signal.aborted) return;
      if (!source.isRetryable(ccxt, err))
        throw source.toError(ccxt, `watchOHLCV ${feed.symbol} ${timeframe}`, err, 1);
      // Whatever was forming may be incomplete now; the reconnect back-fills it over REST.
      failures++;
      fresh = true;
      feed.forming = undefined;
      const message = err instanceof Error ? err.message : String(err);
      source.setHealth({
        connected: false,
        retries: source.health().retries + 1,
        lastError: `websocket: ${message}`,
      });
      await sleepReal(source.backoffMs(failures), signal);
      continue;
    }
    if (signal.aborted) return;
    failures = 0;
    source.touch();
    feed.heardAt = source.clock.now();
    stale.update();
    if (fresh) {
      // After (re)connecting only the newest candle is trustworthy; older ones come from REST.
      fresh = false;
      const [latest] = source.parseCandles(
        since(rows, feed.next).slice(-1),
        feed.symbol,
        timeframe,
      );
      if (!latest) continue;
      if (latest.ts > feed.next) await feed.backfill(latest.ts, true);
      if (latest.ts >= feed.next) feed.forming = latest;
      feed.partialUpdate(latest);
      continue;
    }
    for (const candle of source.parseCandles(
      since(rows, feed.forming?.ts ?? feed.next),
      feed.symbol,
      timeframe,
    )) {
      if (feed.forming && candle.ts > feed.forming.ts) await feed.closed(feed.forming);
      if (!feed.forming || candle.ts >= feed.forming.ts) {
        feed.forming = candle;
        feed.partialUpdate(candle);
      }
    }
  }
}

async function pollLoop(ctx: FeedContext, feeds: SymbolFeed[], stale: StaleReport): Promise<void> {
  const { source, signal, tf } = ctx;
  while (!signal.aborted) {
    const forming = alignDown(source.clock.now(), tf);
    let behind = false;
    let fresh = false;
    for (const feed of feeds) {
      const owed = feed.next;
      const partial = await feed.backfill(forming, false);
      if (signal.aborted) return;
      if (partial) feed.partialUpdate(partial);
      if (feed.next < forming) behind = true;
      if (partial || feed.next > owed) {
        fresh = true;
        feed.heardAt = source.clock.now();
      }
    }
    // Only new data counts as an update: an exchange that stops publishing goes stale.
    if (fresh) source.touch();
    stale.update();
    // Aligned to the candle close; sooner while the exchange has not published the last one yet.
    const wake = behind
      ? source.clock.now() + source.pollDelayMs
      : forming + tf + source.pollDelayMs;
    if (!(await source.clock.sleepUntil(wake, signal))) return;
  }
}

/** Which symbols have been silent for over two candles, kept in the source's health. */
class StaleReport {
  readonly #ctx: FeedContext;
  readonly #feeds: readonly SymbolFeed[];
  /** The warning this report set, so clearing it leaves other warnings alone. */
  #warning: string | null = null;

  constructor(ctx: FeedContext, feeds: readonly SymbolFeed[]) {
    this.#ctx = ctx;
    this.#feeds = feeds;
  }

  update(): void {
    const { source, tf } = this.#ctx;
    const now = source.clock.now();
    const silent = this.#feeds.filter((f) => now - f.heardAt > 2 * tf);
    const health = source.health();
    if (silent.length === 0) {
      if (health.stale) {
        source.setHealth({
          stale: false,
          warning: health.warning === this.#warning ? null : (health.warning ?? null),
        });
      }
      this.#warning = null;
      return;
    }
    const since = Math.min(...silent.map((f) => f.heardAt));
    const warning = `no update from ${source.exchangeId} for ${silent.map((f) => f.symbol).join(', ')} since ${new Date(since).toISOString()} (over 2 candles)`;
    if (!health.stale || warning !== this.#warning) {
      this.#warning = warning;
      source.setHealth({ stale: true, warning });
    }
  }
}

async function staleWatch(ctx: FeedContext, stale: StaleReport): Promise<void> {
  const { source, signal, tf } = ctx;
  while (await source.clock.sleepUntil(source.clock.now() + tf / 4, signal)) stale.update();
}

/** Latest prices for risk checks before the first candle arrives. */
async function seedPrices(ctx: FeedContext, symbols: readonly string[]): Promise<void> {
  const { source, signal } = ctx;
  const { exchange } = await source.connection();
  if (!exchange.has['fetchTicker']) return;
  for (const symbol of symbols) {
    if (signal.aborted || source.latestPrice(symbol) !== undefined) continue;
    try {
      const ticker = await source.call(
        `fetchTicker ${symbol}`,
        () => exchange.fetchTicker(symbol),
        { signal, attempts: 2 },
      );
      if (typeof ticker.last === 'number' && source.latestPrice(symbol) === undefined)
        source.setLatestPrice(symbol, ticker.last);
    } catch {
      // Only a head start; candles set the price soon anyway.
    }
  }
}
