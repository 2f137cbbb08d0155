/**
 * MarketDataService: one place that hands out market data by configuration. Sources are
 * created on first use and shared (one ccxt connection per exchange, one simulated market
 * per seed and speed), so a bot, the chart and `market:history` see the same series.
 */
import type {
  Candle,
  MarketConfig,
  MarketSourceKind,
  SourceInfo,
  Timeframe,
} from '../api/schemas.ts';
import { createMarketSource, listMarketSources } from './create-source.ts';
import type { MarketSourceOptions } from './create-source.ts';
import type { CandleEvent, MarketDataSource, SubscribeOptions } from './types.ts';

export interface HistoryRequest {
  source: MarketSourceKind;
  exchange?: string | undefined;
  file?: string | undefined;
  symbol: string;
  timeframe: Timeframe;
  limit: number;
}

const DEFAULTS = { speed: 1, seed: 42 };

export class MarketDataService {
  readonly #opts: MarketSourceOptions;
  readonly #sources = new Map<string, MarketDataSource>();

  constructor(opts: MarketSourceOptions = {}) {
    this.#opts = opts;
  }

  sources(): SourceInfo[] {
    return listMarketSources();
  }

  /** The shared source for `config`, created on first use. */
  source(config: MarketConfig): MarketDataSource {
    const key = JSON.stringify([
      config.source,
      config.exchange ?? null,
      config.file ?? null,
      config.speed,
      config.seed,
      config.profiles ?? null,
    ]);
    let source = this.#sources.get(key);
    if (!source) {
      source = createMarketSource(config, this.#opts);
      this.#sources.set(key, source);
    }
    return source;
  }

  /** `market:history`: the last `limit` closed candles (the simulated market at real time, seed 42, unless given). */
  history(
    request: HistoryRequest,
    config: Partial<MarketConfig> = {},
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    const source = this.source({
      ...DEFAULTS,
      ...config,
      source: request.source,
      exchange: request.exchange ?? config.exchange,
      file: request.file ?? config.file,
    });
    return source.history(request.symbol, request.timeframe, request.limit, signal);
  }

  subscribe(
    config: MarketConfig,
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncIterable<CandleEvent> {
    return this.source(config).subscribe(symbols, timeframe, opts);
  }

  latestPrice(config: MarketConfig, symbol: string): number | undefined {
    return this.source(config).latestPrice(symbol);
  }

  async close(): Promise<void> {
    const sources = [...this.#sources.values()];
    this.#sources.clear();
    await Promise.allSettled(sources.map((s) => s.close()));
  }
}
