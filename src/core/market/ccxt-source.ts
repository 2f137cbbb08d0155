/**
 * Live market data from any ccxt exchange. ccxt is big, so it is imported only when the
 * first ccxt source needs it. Markets are loaded once (and shared by sources for the same
 * exchange and endpoints); symbols and timeframes are checked against them with a
 * helpful error. REST calls go through ccxt's rate limiter and are retried on network
 * trouble (timeouts, 429, 5xx, DDoS protection) with exponential backoff and jitter.
 * History is paginated and, with a data folder, kept in the candle store so only new
 * candles are fetched next time.
 */
import type * as Ccxt from 'ccxt';
import type { Exchange, OHLCV } from 'ccxt';
import { BotDeskError } from '../api/errors.ts';
import type { Candle, Timeframe } from '../api/schemas.ts';
import type { MarketRules } from '../trading/market-rules.ts';
import { limitsFromCcxtMarket, type MarketLimits } from '../trading/rules/limits.ts';
import type { CandleStore } from './candle-store.ts';
import { fillGaps } from './candle-file.ts';
import { alignDown, createClock, sleepReal } from './clock.ts';
import type { Clock } from './clock.ts';
import { runCcxtSubscription } from './ccxt-subscription.ts';
import { checkLimit, checkRange, checkSymbols, closestName, timeframeMs } from './symbols.ts';
import type { CandleEvent, MarketDataSource, SourceHealth, SubscribeOptions } from './types.ts';

type CcxtModule = typeof Ccxt;
type ExchangeClass = new (config?: Record<string, unknown>) => Exchange;

let ccxtModule: Promise<CcxtModule> | undefined;
/** Loads ccxt on first use only, so the simulated default starts fast. */
export function loadCcxt(): Promise<CcxtModule> {
  ccxtModule ??= import('ccxt');
  return ccxtModule;
}

export interface RetryPolicy {
  /** Attempts for one-off calls (history, markets); live feeds retry without end. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export interface CcxtSourceOptions {
  /** ccxt exchange id, e.g. 'binance'. */
  exchange: string;
  clock?: Clock;
  /** Where downloaded history is kept and reused. */
  store?: CandleStore;
  /** Close `store` with the source (when the source opened it). */
  ownsStore?: boolean;
  /**
   * Market data from the exchange's testnet (ccxt sandbox mode), as a live bot armed for the
   * testnet trades there: prices, stops and equity then match the testnet's fills.
   */
  sandbox?: boolean;
  /** Called with the ccxt instance (after sandbox mode) before first use: endpoints, options. */
  configure?: (exchange: Exchange) => void;
  retry?: Partial<RetryPolicy>;
  /** Use the websocket stream when the exchange has one. Default true. */
  websocket?: boolean;
  /** Polling waits this long (market ms) after a candle closes before fetching it. Default 1500. */
  pollDelayMs?: number;
  /** ccxt request timeout, ms. Default 10 000. */
  timeoutMs?: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, maxMs: 30_000 };
/** Markets by exchange id and endpoints, loaded once per process. */
const marketsCache = new Map<string, Promise<Record<string, unknown>>>();

export class CcxtSource implements MarketDataSource {
  readonly kind = 'ccxt' as const;
  readonly label: string;
  readonly exchangeId: string;
  readonly clock: Clock;
  readonly store: CandleStore | undefined;
  readonly retry: RetryPolicy;
  readonly pollDelayMs: number;
  readonly #opts: CcxtSourceOptions;
  #exchange: Promise<{ exchange: Exchange; ccxt: CcxtModule; websocket: boolean }> | undefined;
  #markets: Promise<void> | undefined;
  readonly #latest = new Map<string, number>();
  readonly #health: SourceHealth = {
    connected: false,
    lastUpdateAt: null,
    retries: 0,
    stale: false,
    lastError: null,
    warning: null,
    gapsFilled: 0,
  };
  readonly #listeners = new Set<(health: SourceHealth) => void>();
  readonly #closing = new AbortController();

  constructor(opts: CcxtSourceOptions) {
    this.#opts = opts;
    this.exchangeId = opts.exchange;
    this.label = opts.sandbox ? `${opts.exchange} testnet` : opts.exchange;
    this.clock = opts.clock ?? createClock();
    this.store = opts.store;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.pollDelayMs = opts.pollDelayMs ?? 1500;
    if (opts.store?.notice) this.#health.warning = opts.store.notice;
  }

  /** The ccxt instance (created on first use), and whether its websocket feed is used. */
  async connection(): Promise<{ exchange: Exchange; ccxt: CcxtModule; websocket: boolean }> {
    this.#exchange ??= this.#createExchange();
    return this.#exchange;
  }

  async validate(symbols: readonly string[], timeframe: Timeframe): Promise<void> {
    checkSymbols(symbols);
    timeframeMs(timeframe);
    const { exchange } = await this.#loaded();
    const id = this.exchangeId;
    if (!exchange.has['fetchOHLCV'])
      throw new BotDeskError('INVALID_INPUT', `${id} does not offer candles (OHLCV) through ccxt`);
    if (exchange.timeframes && !(timeframe in exchange.timeframes)) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `${id} has no ${timeframe} candles; it offers ${Object.keys(exchange.timeframes).join(', ')}`,
      );
    }
    for (const symbol of symbols) {
      const market = exchange.markets?.[symbol];
      if (!market) {
        const base = symbol.split('/')[0];
        const sameBase = exchange.symbols.filter((s) => s.startsWith(`${base}/`));
        const hint = closestName(symbol, sameBase) ?? closestName(symbol, exchange.symbols);
        throw new BotDeskError(
          'INVALID_INPUT',
          `${symbol} is not a market on ${id}${hint ? `; did you mean ${hint}?` : ''}`,
        );
      }
      if (market.active === false)
        throw new BotDeskError(
          'INVALID_INPUT',
          `${symbol} is not trading on ${id} right now (inactive market)`,
        );
    }
  }

  /**
   * Each symbol's order rules from the exchange's markets (loaded once; unknown symbols
   * refused). A market whose limits ccxt does not give as steps is left out (default rules).
   */
  async marketRules(symbols: readonly string[]): Promise<Record<string, MarketRules>> {
    checkSymbols(symbols);
    const { exchange } = await this.#loaded();
    const out: Record<string, MarketRules> = {};
    for (const symbol of symbols) {
      const market = exchange.markets?.[symbol];
      if (!market)
        throw new BotDeskError('INVALID_INPUT', `${symbol} is not a market on ${this.exchangeId}`);
      let limits: MarketLimits;
      try {
        limits = limitsFromCcxtMarket(market, exchange.precisionMode);
      } catch {
        // No amount precision, or precision in significant digits: the default rules apply.
        continue;
      }
      const rules: MarketRules = { amountStep: limits.amountStep };
      if (limits.priceStep !== undefined) rules.priceStep = limits.priceStep;
      if (limits.minAmount !== undefined) rules.minAmount = limits.minAmount;
      if (limits.minCost !== undefined) rules.minCost = limits.minCost;
      out[symbol] = rules;
    }
    return out;
  }

  async history(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    checkLimit(limit);
    const tf = timeframeMs(timeframe);
    const end = alignDown(this.clock.now(), tf);
    return (await this.range(symbol, timeframe, end - limit * tf, end, signal)).slice(-limit);
  }

  /**
   * Closed candles with open time in [from, to) — e.g. a backtest's period. With a store,
   * only the spans not stored yet are downloaded, and they are kept for next time.
   */
  async range(
    symbol: string,
    timeframe: Timeframe,
    from: number,
    to: number,
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    await this.validate([symbol], timeframe);
    const tf = timeframeMs(timeframe);
    const start = Math.ceil(from / tf) * tf;
    const end = Math.min(Math.ceil(to / tf) * tf, alignDown(this.clock.now(), tf));
    checkRange((end - start) / tf);
    const store = this.store;
    if (!store) return this.fetchRange(symbol, timeframe, start, end, { signal });
    // Testnet candles are not the exchange's: they are stored apart.
    const key = { exchange: this.#opts.sandbox ? this.label : this.exchangeId, symbol, timeframe };
    for (const [a, b] of store.missing(key, start, end, tf)) {
      store.insert(key, await this.fetchRange(symbol, timeframe, a, b, { signal }));
    }
    return this.#fill(symbol, timeframe, store.range(key, start, end));
  }

  /**
   * Closed candles with open time in [from, to), fetched page by page, checked, in order,
   * without duplicates; holes between candles are filled flat and reported.
   */
  async fetchRange(
    symbol: string,
    timeframe: Timeframe,
    from: number,
    to: number,
    opts: { signal?: AbortSignal | undefined; attempts?: number },
  ): Promise<Candle[]> {
    const { exchange } = await this.connection();
    const tf = timeframeMs(timeframe);
    const pageSize = pageLimit(exchange);
    const out: Candle[] = [];
    let since = from;
    while (since < to) {
      const rows = await this.call(
        `fetchOHLCV ${symbol} ${timeframe}`,
        () => exchange.fetchOHLCV(symbol, timeframe, since, pageSize),
        opts,
      );
      const page = this.parseCandles(rows, symbol, timeframe).filter(
        (c) => c.ts >= since && c.ts < to,
      );
      if (page.length === 0) break;
      out.push(...page);
      since = page.at(-1)!.ts + tf;
    }
    return this.#fill(symbol, timeframe, out);
  }

  /** ccxt rows → candles, refusing anything malformed with a clear error. */
  parseCandles(rows: unknown, symbol: string, timeframe: Timeframe): Candle[] {
    const tf = timeframeMs(timeframe);
    const bad = (row: unknown, why: string): never => {
      throw new BotDeskError(
        'MARKET_ERROR',
        `${this.exchangeId} sent a malformed ${timeframe} candle for ${symbol}: ${why} (${JSON.stringify(row)?.slice(0, 200)})`,
      );
    };
    if (!Array.isArray(rows)) bad(rows, 'expected a list of candles');
    const out: Candle[] = [];
    for (const row of rows as unknown[]) {
      if (!Array.isArray(row) || row.length < 5)
        bad(row, 'expected [timestamp, open, high, low, close, volume]');
      const [ts, open, high, low, close, volume = 0] = row as OHLCV;
      const values = { open, high, low, close, volume: volume ?? 0 };
      if (typeof ts !== 'number' || !Number.isInteger(ts) || ts % tf !== 0)
        bad(row, `timestamp is not the start of a ${timeframe} candle`);
      for (const [field, value] of Object.entries(values)) {
        if (typeof value !== 'number' || !Number.isFinite(value))
          bad(row, `${field} is not a number`);
      }
      const c = {
        ts: ts as number,
        ...(values as { open: number; high: number; low: number; close: number; volume: number }),
      };
      if (c.volume < 0) bad(row, 'volume is negative');
      if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close))
        bad(row, 'low ≤ open, close ≤ high does not hold');
      const prev = out.at(-1);
      if (prev && c.ts <= prev.ts) {
        if (c.ts === prev.ts) out[out.length - 1] = c;
        continue;
      }
      out.push(c);
    }
    return out;
  }

  /**
   * Runs a ccxt call, retrying network trouble with exponential backoff and jitter.
   * Errors come out as BotDeskErrors that say what failed and why.
   */
  async call<T>(
    what: string,
    fn: () => Promise<T>,
    opts: { signal?: AbortSignal | undefined; attempts?: number } = {},
  ): Promise<T> {
    const { ccxt } = await this.connection();
    const attempts = opts.attempts ?? this.retry.attempts;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await fn();
        if (!this.#health.connected || this.#health.lastError)
          this.setHealth({ connected: true, lastError: null });
        return result;
      } catch (err) {
        if (opts.signal?.aborted || this.#closing.signal.aborted)
          throw new BotDeskError('CANCELLED', `${this.exchangeId} ${what} was cancelled`);
        const message = err instanceof Error ? err.message : String(err);
        if (!this.isRetryable(ccxt, err) || attempt >= attempts)
          throw this.toError(ccxt, what, err, attempt);
        this.setHealth({
          connected: false,
          retries: this.#health.retries + 1,
          lastError: `${what}: ${message}`,
        });
        if (!(await sleepReal(this.backoffMs(attempt), opts.signal))) {
          throw new BotDeskError('CANCELLED', `${this.exchangeId} ${what} was cancelled`);
        }
      }
    }
  }

  isRetryable(ccxt: CcxtModule, err: unknown): boolean {
    return (
      err instanceof ccxt.NetworkError ||
      (err instanceof ccxt.OperationFailed && !(err instanceof ccxt.BadResponse))
    );
  }

  backoffMs(attempt: number): number {
    const exp = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1));
    return exp / 2 + Math.random() * (exp / 2);
  }

  subscribe(
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncIterable<CandleEvent> {
    return runCcxtSubscription(this, symbols, timeframe, opts);
  }

  latestPrice(symbol: string): number | undefined {
    return this.#latest.get(symbol);
  }

  setLatestPrice(symbol: string, price: number): void {
    this.#latest.set(symbol, price);
  }

  health(): SourceHealth {
    return { ...this.#health };
  }

  setHealth(patch: Partial<SourceHealth>): void {
    Object.assign(this.#health, patch);
    const snapshot = this.health();
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch {
        // A subscriber's health callback must not break the feed.
      }
    }
  }

  /** Records that data arrived and the connection works (the subscription decides what is stale). */
  touch(): void {
    this.#health.lastUpdateAt = this.clock.now();
    if (!this.#health.connected) this.setHealth({ connected: true });
  }

  /** Health listener for a subscription; returns the unsubscribe function. */
  onHealth(listener: (health: SourceHealth) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Aborted when the source closes, to stop every subscription. */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    if (!this.#exchange) {
      if (this.#opts.ownsStore) this.store?.close();
      return;
    }
    const { exchange } = await this.#exchange.catch(() => ({ exchange: undefined }));
    await exchange?.close();
    if (this.#opts.ownsStore) this.store?.close();
  }

  #fill(symbol: string, timeframe: Timeframe, candles: Candle[]): Candle[] {
    const filled = fillGaps(candles, timeframeMs(timeframe));
    const added = filled.length - candles.length;
    if (added > 0) {
      this.setHealth({
        gapsFilled: (this.#health.gapsFilled ?? 0) + added,
        warning: `${this.exchangeId} had no ${timeframe} candles for ${symbol} at ${added} times; they were filled flat with zero volume`,
      });
    }
    return filled;
  }

  async #createExchange(): Promise<{ exchange: Exchange; ccxt: CcxtModule; websocket: boolean }> {
    const ccxt = await loadCcxt();
    const id = this.exchangeId;
    const known = ccxt.default.exchanges;
    if (!known.includes(id)) {
      const hint = closestName(id, known);
      throw new BotDeskError(
        'INVALID_INPUT',
        `'${id}' is not an exchange ccxt knows${hint ? `; did you mean ${hint}?` : ''}`,
      );
    }
    const pro = (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[id];
    const rest = (ccxt as unknown as Record<string, ExchangeClass>)[id]!;
    const Class = this.#opts.websocket !== false && pro ? pro : rest;
    const exchange = new Class({ enableRateLimit: true, timeout: this.#opts.timeoutMs ?? 10_000 });
    // Every watch call returns the whole cache, so several subscribers never steal each other's updates.
    exchange.newUpdates = false;
    if (this.#opts.sandbox) {
      if (!exchange.urls['test'])
        throw new BotDeskError('INVALID_INPUT', `${id} has no testnet in ccxt`);
      exchange.setSandboxMode(true);
    }
    this.#opts.configure?.(exchange);
    refuseNonJson(exchange, ccxt);
    // ccxt needs an http agent for plain ws:// endpoints (local gateways, test servers).
    if (JSON.stringify(exchange.urls).includes('"ws://')) await exchange.loadHttpProxyAgent();
    return { exchange, ccxt, websocket: Class === pro && Boolean(exchange.has['watchOHLCV']) };
  }

  /** The exchange with its markets loaded (once per process for the same endpoints). */
  async #loaded(): Promise<{ exchange: Exchange; ccxt: CcxtModule; websocket: boolean }> {
    const connection = await this.connection();
    this.#markets ??= this.#loadMarkets(connection.exchange).catch((err: unknown) => {
      this.#markets = undefined;
      throw err;
    });
    await this.#markets;
    return connection;
  }

  async #loadMarkets(exchange: Exchange): Promise<void> {
    const key = `${this.exchangeId} ${JSON.stringify(exchange.urls['api'])}`;
    let markets = marketsCache.get(key);
    if (!markets) {
      markets = this.call(
        'loadMarkets',
        () => exchange.loadMarkets() as Promise<Record<string, unknown>>,
      );
      marketsCache.set(key, markets);
      markets.catch(() => marketsCache.delete(key));
    }
    const loaded = await markets;
    if (!exchange.markets) exchange.setMarkets(Object.values(loaded));
  }

  toError(ccxt: CcxtModule, what: string, err: unknown, attempt: number): BotDeskError {
    if (err instanceof BotDeskError) return err;
    const message = err instanceof Error ? err.message : String(err);
    const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
    if (err instanceof ccxt.BadSymbol)
      return new BotDeskError('INVALID_INPUT', `${this.exchangeId} ${what}: ${message}`);
    if (err instanceof ccxt.AuthenticationError || err instanceof ccxt.PermissionDenied) {
      return new BotDeskError('EXCHANGE_AUTH', `${this.exchangeId} refused ${what}: ${message}`);
    }
    if (err instanceof ccxt.BadResponse) {
      return new BotDeskError(
        'MARKET_ERROR',
        `${this.exchangeId} sent a malformed answer to ${what}: ${message}`,
      );
    }
    return new BotDeskError(
      'MARKET_ERROR',
      `${this.exchangeId} ${what} failed${tries}: ${message}`,
    );
  }
}

/**
 * A 200 answer that is not JSON (a maintenance page, a captive portal) would otherwise
 * parse as an empty list of candles; make it a BadResponse through ccxt's own error hook.
 */
function refuseNonJson(exchange: Exchange, ccxt: CcxtModule): void {
  const handleErrors = exchange.handleErrors.bind(exchange);
  exchange.handleErrors = (...args: Parameters<Exchange['handleErrors']>) => {
    const handled = handleErrors(...args);
    const [code, , url, method, , body, response] = args;
    if (
      code >= 200 &&
      code < 300 &&
      response === undefined &&
      typeof body === 'string' &&
      body.trim() !== ''
    ) {
      throw new ccxt.BadResponse(
        `${exchange.id} ${method} ${url} answered with something that is not JSON: ${body.slice(0, 80)}`,
      );
    }
    return handled;
  };
}

/** Largest page of candles one request may ask for. */
function pageLimit(exchange: Exchange): number {
  const features = exchange.features as { spot?: { fetchOHLCV?: { limit?: number } } } | undefined;
  return features?.spot?.fetchOHLCV?.limit ?? 500;
}
