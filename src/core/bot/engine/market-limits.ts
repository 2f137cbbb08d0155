/**
 * The exchange's order rules for a paper run on exchange candles, loaded (ccxt loadMarkets)
 * before the run's account is built: the account replays the journal's fills and then trades
 * with them, so the fill model and the sizing floor amounts to each market's step and refuse
 * orders under its minimum amount or cost, with the reason journaled. Simulated and replayed
 * markets have no exchange and keep the default rules. A live run's orders are fitted to the
 * same markets by its executor before they are sent (execution/ccxt-precheck.ts).
 */
import type { BotConfig } from '../../api/schemas.ts';
import type { MarketDataSource } from '../../market/types.ts';
import { exchangeRulesTable, type RulesOf } from '../../trading/market-rules.ts';
import { raceAbort } from '../abortable.ts';

export async function loadRunRules(
  market: MarketDataSource,
  config: BotConfig,
  signal: AbortSignal,
): Promise<RulesOf | undefined> {
  if (config.mode !== 'paper' || market.marketRules === undefined) return undefined;
  // The symbols are checked first, for the exchange's suggestion on a misspelt one.
  await raceAbort(market.validate(config.symbols, config.timeframe), signal);
  return exchangeRulesTable(await raceAbort(market.marketRules(config.symbols), signal));
}
