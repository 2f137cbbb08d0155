/**
 * The simulated market: BotDesk's default source. Offline, no keys, any BASE/QUOTE symbol,
 * deterministic for a seed. Its clock runs at real time or `speed` times faster; at each
 * candle close it delivers the closed candles of all subscribed symbols in one burst.
 */
import type { Candle, SimSymbolProfile, Timeframe } from '../api/schemas.ts';
import { alignDown } from './clock.ts';
import type { Clock } from './clock.ts';
import { combineKeys, hashString } from './random.ts';
import { SimSeries } from './sim-series.ts';
import { symbolProfile } from './sim-profile.ts';
import { offlineHealth } from './health.ts';
import { checkLimit, checkRange, checkSymbols, timeframeMs } from './symbols.ts';
import type { CandleEvent, MarketDataSource, SourceHealth, SubscribeOptions } from './types.ts';

export const SIM_LABEL = 'Simulated market';

const DAY_MS = 86_400_000;
/** Forming-candle updates come at most this often (real ms), and only for candles lasting 2× longer. */
const PARTIAL_EVERY_MS = 1000;

export interface SimSourceOptions {
  seed: number;
  clock: Clock;
  /** Per-symbol profile overrides from the settings. */
  profiles?: Readonly<Record<string, SimSymbolProfile>>;
  /** Start of the series (a UTC day start): a data folder's timeline keeps it across restarts. Default: the clock's day. */
  origin?: number;
  /** Trades, ticks and spread over the mid price (default true); false is the generator before that layer. */
  microstructure?: boolean;
  /**
   * Market time the data folder's simulated market got to (its timeline): range() serves
   * candles up to it even when this source's own clock is behind, e.g. an earlier run's
   * candles at 600× read by a source made at 1× before that run.
   */
  reached?: () => number;
}

export class SimMarketSource implements MarketDataSource {
  readonly kind = 'sim' as const;
  readonly label = SIM_LABEL;
  readonly #seed: number;
  readonly #clock: Clock;
  readonly #profiles: Readonly<Record<string, SimSymbolProfile>>;
  readonly #microstructure: boolean;
  readonly #reached: (() => number) | undefined;
  /** Every series starts at the UTC day the source was created in: same day + seed → same candles. */
  readonly #origin: number;
  readonly #series = new Map<string, SimSeries>();
  /** Timeframes with a live subscription (a bot's feed), and how many. */
  readonly #subscribed = new Map<Timeframe, number>();
  #lastUpdateAt: number | null = null;

  constructor(opts: SimSourceOptions) {
    this.#seed = opts.seed;
    this.#clock = opts.clock;
    this.#profiles = opts.profiles ?? {};
    this.#microstructure = opts.microstructure ?? true;
    this.#reached = opts.reached;
    this.#origin = opts.origin ?? alignDown(opts.clock.now(), DAY_MS);
  }

  async validate(symbols: readonly string[], timeframe: Timeframe): Promise<void> {
    checkSymbols(symbols);
    timeframeMs(timeframe);
    // A profile the settings made impossible (a tick too coarse for the price) fails here.
    for (const symbol of symbols) this.#seriesFor(symbol, timeframe);
  }

  async history(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    checkSymbols([symbol]);
    checkLimit(limit);
    const series = this.#seriesFor(symbol, timeframe);
    const forming = series.indexAt(this.#clock.now());
    return series.range(forming - limit, forming);
  }

  async range(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<Candle[]> {
    checkSymbols([symbol]);
    const series = this.#seriesFor(symbol, timeframe);
    const first = Math.ceil((from - series.origin) / series.tfMs);
    const now = Math.max(this.#clock.now(), this.#reached?.() ?? -Infinity);
    const end = Math.min(Math.ceil((to - series.origin) / series.tfMs), series.indexAt(now));
    checkRange(end - first);
    return series.range(first, end);
  }

  async *subscribe(
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncGenerator<CandleEvent> {
    checkSymbols(symbols);
    const tf = timeframeMs(timeframe);
    this.#subscribed.set(timeframe, (this.#subscribed.get(timeframe) ?? 0) + 1);
    try {
      yield* this.#closes(symbols, timeframe, tf, opts);
    } finally {
      const left = (this.#subscribed.get(timeframe) ?? 1) - 1;
      if (left > 0) this.#subscribed.set(timeframe, left);
      else this.#subscribed.delete(timeframe);
    }
  }

  async *#closes(
    symbols: readonly string[],
    timeframe: Timeframe,
    tf: number,
    opts: SubscribeOptions,
  ): AsyncGenerator<CandleEvent> {
    const { signal } = opts;
    const all = symbols.map((symbol) => ({ symbol, series: this.#seriesFor(symbol, timeframe) }));
    const first = all[0]!.series;
    let next = first.indexAt(opts.since ?? this.#clock.now());
    const showPartials = opts.partial === true && tf / this.#clock.speed >= 2 * PARTIAL_EVERY_MS;
    while (!signal.aborted) {
      const closeTime = first.origin + (next + 1) * tf;
      while (showPartials && this.#clock.now() < closeTime - PARTIAL_EVERY_MS * this.#clock.speed) {
        if (
          !(await this.#clock.sleepUntil(
            this.#clock.now() + PARTIAL_EVERY_MS * this.#clock.speed,
            signal,
          ))
        )
          return;
        const fraction = (this.#clock.now() - (closeTime - tf)) / tf;
        for (const { symbol, series } of all) {
          yield { symbol, timeframe, candle: series.forming(next, fraction), closed: false };
        }
      }
      if (!(await this.#clock.sleepUntil(closeTime, signal))) return;
      this.#lastUpdateAt = this.#clock.now();
      for (const { symbol, series } of all) {
        yield { symbol, timeframe, candle: series.candle(next), closed: true };
      }
      next++;
    }
  }

  /**
   * The price now on the finest series of `symbol`, preferring the timeframes a feed is
   * subscribed to: each timeframe is its own series, so a chart asking for other candles
   * must not move the price the bot trades at.
   */
  latestPrice(symbol: string): number | undefined {
    let finest: SimSeries | undefined;
    let finestLive: SimSeries | undefined;
    for (const [key, series] of this.#series) {
      const [name, timeframe] = key.split('|') as [string, Timeframe];
      if (name !== symbol) continue;
      if (!finest || series.tfMs < finest.tfMs) finest = series;
      if (this.#subscribed.has(timeframe) && (!finestLive || series.tfMs < finestLive.tfMs))
        finestLive = series;
    }
    finest = finestLive ?? finest;
    if (!finest) return undefined;
    const now = this.#clock.now();
    const index = finest.indexAt(now);
    return finest.forming(index, (now - (finest.origin + index * finest.tfMs)) / finest.tfMs).close;
  }

  health(): SourceHealth {
    return offlineHealth(this.#lastUpdateAt);
  }

  async close(): Promise<void> {
    this.#series.clear();
  }

  #seriesFor(symbol: string, timeframe: Timeframe): SimSeries {
    const key = `${symbol}|${timeframe}`;
    let series = this.#series.get(key);
    if (!series) {
      const tf = timeframeMs(timeframe);
      const marketKey = combineKeys(this.#seed, hashString(`market:${timeframe}`));
      const profile = symbolProfile(this.#seed, symbol, tf, this.#profiles[symbol]);
      series = new SimSeries(profile, marketKey, this.#origin, tf, {
        microstructure: this.#microstructure,
      });
      this.#series.set(key, series);
    }
    return series;
  }
}
