/**
 * The settings form's market part: which data the bot trades on (the simulated
 * market, an exchange's public data through ccxt, or a recorded file) read from
 * the form's text fields into a MarketConfig, with readable field errors.
 */
import type { MarketConfig, MarketSourceKind } from '../../../core/api/schemas.ts';
import { say } from '../i18n/say.ts';

export const MARKET_SOURCES: Array<{ value: MarketSourceKind; label: string }> = [
  { value: 'sim', label: 'Simulated market (offline)' },
  { value: 'ccxt', label: "Exchange's public data (ccxt)" },
  { value: 'replay', label: 'Replay a candle file (CSV/JSON)' },
];

export interface MarketForm {
  source: MarketSourceKind;
  exchange: string;
  file: string;
  speed: string;
  seed: string;
}

export function marketFormOf(market: MarketConfig): MarketForm {
  return {
    source: market.source,
    exchange: market.exchange ?? '',
    file: market.file ?? '',
    speed: String(market.speed),
    seed: String(market.seed),
  };
}

/** The speed only means something on a clock BotDesk drives (simulated or replayed candles). */
export function hasClock(source: MarketSourceKind): boolean {
  return source !== 'ccxt';
}

/** Form → MarketConfig (keeping what the form does not show, such as the seed), or field errors. */
export function readMarketForm(
  form: MarketForm,
  saved: MarketConfig,
): { market: MarketConfig; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const exchange = form.exchange.trim();
  const file = form.file.trim();
  // a decimal comma is how Swedish (and most of Europe) writes 0,5
  const speed = Number(form.speed.trim().replace(',', '.'));
  if (hasClock(form.source) && (form.speed.trim() === '' || !Number.isFinite(speed)))
    errors.speed = say('form.number');
  else if (hasClock(form.source) && speed <= 0) errors.speed = say('form.moreThan0');
  const seed = Number(form.seed);
  if (form.source === 'sim' && (form.seed.trim() === '' || !Number.isInteger(seed)))
    errors.seed = say('form.wholeNumber');
  if (form.source === 'ccxt' && !exchange) errors.exchange = say('form.exchangeId');
  if (form.source === 'replay' && !file) errors.file = say('form.replayFile');
  const market: MarketConfig = {
    ...saved,
    source: form.source,
    speed: hasClock(form.source) ? speed : saved.speed,
    seed: form.source === 'sim' && Number.isInteger(seed) ? seed : saved.seed,
  };
  if (exchange) market.exchange = exchange;
  else delete market.exchange;
  if (file) market.file = file;
  else delete market.file;
  return { market, errors };
}
