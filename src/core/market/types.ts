/** The interface every market data source implements (sim, ccxt, replay). */
import type { Candle, MarketSourceKind, Timeframe } from '../api/schemas.ts';
import type { MarketRules } from '../trading/market-rules.ts';

export interface CandleEvent {
  symbol: string;
  timeframe: Timeframe;
  candle: Candle;
  /** false for a forming (partial) candle; subscribers that trade use closed ones only. */
  closed: boolean;
}

export interface SourceHealth {
  connected: boolean;
  lastUpdateAt: number | null;
  retries: number;
  stale: boolean;
  lastError: string | null;
  /** A condition the user should see (stale feed, gaps the source could not fill, replay finished). */
  warning?: string | null;
  /** Missing candles the source could not back-fill and replaced with flat zero-volume ones. */
  gapsFilled?: number;
}

export interface SubscribeOptions {
  signal: AbortSignal;
  /** Deliver forming candles too (closed: false). Default false. */
  partial?: boolean;
  /**
   * Open time of the first closed candle to deliver. Candles from there up to now are
   * back-filled at once, so `history()` followed by `subscribe({ since: last.ts + tf })`
   * is gap-free however long the warm-up took. Default: the candle forming at subscribe time.
   */
  since?: number;
  /** Called whenever the source's health changes (connected, stale, retries, warnings). */
  onHealth?: (health: SourceHealth) => void;
}

export interface MarketDataSource {
  readonly kind: MarketSourceKind;
  /** Human label, e.g. 'Simulated market' or 'binance'. */
  readonly label: string;
  /** Throws BotDeskError('INVALID_INPUT') with a helpful message for unknown symbols/timeframes. */
  validate(symbols: readonly string[], timeframe: Timeframe): Promise<void>;
  /** The last `limit` closed candles, oldest first, gap-free. */
  history(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    signal?: AbortSignal,
  ): Promise<Candle[]>;
  /**
   * Closed candles with open time in [from, to), oldest first (a backtest's period).
   * Optional so other implementations (test doubles) need not offer it.
   */
  range?(
    symbol: string,
    timeframe: Timeframe,
    from: number,
    to: number,
    signal?: AbortSignal,
  ): Promise<Candle[]>;
  /**
   * Closed candles for every symbol, each symbol in time order, no duplicates, no gaps
   * (missed candles are back-filled before newer ones). Ends when `signal` aborts.
   */
  subscribe(
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncIterable<CandleEvent>;
  /**
   * The order rules of each symbol (amount and price steps, minimum amount and cost) as the
   * exchange reports them; absent for markets without an exchange (simulated, replayed).
   */
  marketRules?(symbols: readonly string[]): Promise<Record<string, MarketRules>>;
  /** Latest known price for risk checks and paper fills. */
  latestPrice(symbol: string): number | undefined;
  health(): SourceHealth;
  close(): Promise<void>;
}
