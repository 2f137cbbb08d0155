/**
 * Market data entry point: build a source from a MarketConfig, list the kinds on offer,
 * or use the MarketDataService that shares sources. Importing this module does not load
 * ccxt; only the first use of a ccxt source does.
 */
export type { CandleEvent, MarketDataSource, SourceHealth, SubscribeOptions } from './types.ts';
export type { Clock } from './clock.ts';
export type { MarketSourceOptions } from './create-source.ts';
export type { HistoryRequest } from './service.ts';
export { createClock } from './clock.ts';
export { CandleStore } from './candle-store.ts';
export { readCandleFile } from './candle-file.ts';
export { createMarketSource, listExchanges, listMarketSources } from './create-source.ts';
export { MarketDataService } from './service.ts';
