/**
 * What a simulated symbol looks like before any candle exists: its price at the series
 * origin, tick size, volatility, how strongly it follows the whole market, its liquidity
 * (trades per minute, trade size) and its effective spread. Well-known coins start near
 * familiar prices with deep books; any other BASE/QUOTE is a small coin with a price
 * derived from the seed and the name, so every symbol works and the same seed gives the
 * same one. The settings can override any of these per symbol (SimSymbolProfile).
 */
import { BotDeskError } from '../api/errors.ts';
import type { SimSymbolProfile } from '../api/schemas.ts';
import { combineKeys, hashString, uniform } from './random.ts';

interface AssetTraits {
  usd: number;
  /** Yearly volatility. */
  vol: number;
  /** Trades per minute against USD(T): liquidity. */
  tpm?: number;
  /** Effective spread in basis points. */
  spread?: number;
  /** Tick as a fraction of the price, before rounding to a power of ten. */
  relTick?: number;
}

/** Rough USD prices, yearly volatility and liquidity of common assets. */
const KNOWN_ASSETS: Record<string, AssetTraits> = {
  BTC: { usd: 65_000, vol: 0.55, tpm: 600, spread: 4, relTick: 1.5e-7 },
  ETH: { usd: 3_200, vol: 0.7, tpm: 350, spread: 5, relTick: 3e-6 },
  BNB: { usd: 580, vol: 0.6, tpm: 120, spread: 6, relTick: 2e-5 },
  SOL: { usd: 150, vol: 0.9, tpm: 200, spread: 6 },
  XRP: { usd: 0.55, vol: 0.8, tpm: 150, spread: 6 },
  ADA: { usd: 0.45, vol: 0.85, tpm: 80, spread: 7 },
  DOGE: { usd: 0.14, vol: 1.0, tpm: 150, spread: 7 },
  AVAX: { usd: 30, vol: 0.95, tpm: 60, spread: 8 },
  DOT: { usd: 6.5, vol: 0.85, tpm: 50, spread: 8 },
  LINK: { usd: 14, vol: 0.9, tpm: 60, spread: 8 },
  LTC: { usd: 75, vol: 0.75, tpm: 50, spread: 8 },
  TRX: { usd: 0.12, vol: 0.5, tpm: 40, spread: 8 },
  MATIC: { usd: 0.6, vol: 0.9, tpm: 40, spread: 8 },
  ATOM: { usd: 7, vol: 0.85, tpm: 40, spread: 8 },
  UNI: { usd: 8, vol: 0.95, tpm: 40, spread: 8 },
  USDT: { usd: 1, vol: 0.01 },
  USDC: { usd: 1, vol: 0.01 },
  BUSD: { usd: 1, vol: 0.01 },
  DAI: { usd: 1, vol: 0.01 },
  FDUSD: { usd: 1, vol: 0.01 },
  USD: { usd: 1, vol: 0 },
  EUR: { usd: 1.08, vol: 0.07 },
};

/** Defaults of a known coin that leaves a trait out, and of pegged pairs. */
const KNOWN_TICK = 1e-4;
const STABLE = { tpm: 50, spread: 1, relTick: 1e-4 };
/**
 * Small coins: thin books (2–8 trades a minute), 90–150 % yearly volatility, a coarse tick,
 * and a wide spread: 0.9–1.4 times the one-minute volatility (spreads widen with risk).
 */
const SMALL = {
  minTpm: 2,
  maxTpm: 8,
  minVol: 0.9,
  maxVol: 1.5,
  minSpread: 0.9,
  maxSpread: 1.4,
  relTick: 3e-4,
};
const MINUTE_SIGMA_BPS = 1e4 * Math.sqrt(60_000 / (365 * 86_400_000));

const YEAR_MS = 365 * 86_400_000;
const MINUTE_MS = 60_000;
/** Trade size spread: one trade's size is log-normal with this standard deviation. */
export const TRADE_SIZE_SD = 1.2;

export interface SymbolProfile {
  /** Price at the series origin. */
  startPrice: number;
  /** Unconditional standard deviation of one candle's log return. */
  sigma: number;
  /** Loading on the common market factor, 0…1 (correlation with the market). */
  beta: number;
  /** Typical base-asset volume of one candle. */
  volume: number;
  /** Decimal places prices are rounded to without the microstructure layer. */
  priceDecimals: number;
  /** Key of the symbol's own random draws. */
  key: number;
  /** Price increment; a price is `ticks * tickUnits / tickScale`, exact in decimal. */
  tickSize: number;
  tickUnits: number;
  tickScale: number;
  /** Half the effective spread, as a fraction of the price: buys trade that much above mid. */
  halfSpread: number;
  /** Mean number of trades in one candle (before time of day and activity). */
  tradesPerCandle: number;
  /** Mean base-asset size of one trade. */
  tradeSize: number;
  /** The profile in the settings' terms (what `botdesk sim` and the docs show). */
  settings: Required<SimSymbolProfile>;
}

function assetTraits(asset: string, seed: number): AssetTraits & { known: boolean } {
  const known = KNOWN_ASSETS[asset];
  const key = combineKeys(seed, hashString(asset));
  if (known) {
    // Within ±15 % of the familiar price, different for each seed; stablecoins stay pegged.
    const jitter = known.vol < 0.05 ? 0 : 0.3 * (uniform(key, 0, 0) - 0.5);
    return { ...known, usd: known.usd * Math.exp(jitter), known: true };
  }
  // Log-uniform from 0.01 to 1000 USD.
  return {
    usd: 10 ** (-2 + 5 * uniform(key, 0, 1)),
    vol: SMALL.minVol + (SMALL.maxVol - SMALL.minVol) * uniform(key, 0, 2),
    known: false,
  };
}

/** Decimal places of `tick` (at most 12), or an error for finer or inexact ticks. */
function tickDecimals(tick: number, symbol: string): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = tick * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * scaled) return d;
  }
  throw new BotDeskError(
    'INVALID_INPUT',
    `${symbol}: tick size ${tick} has more than 12 decimals; use e.g. 0.01`,
  );
}

/** A power of ten near `relTick` of the price, as exchanges set tick sizes. */
function defaultTick(price: number, relTick: number): number {
  const exponent = Math.max(-12, Math.round(Math.log10(price * relTick)));
  return Number(`1e${exponent}`);
}

export function symbolProfile(
  seed: number,
  symbol: string,
  tfMs: number,
  override: SimSymbolProfile = {},
): SymbolProfile {
  const [base = symbol, quote = 'USD'] = symbol.split('/');
  const b = assetTraits(base, seed);
  const q = assetTraits(quote, seed);
  const key = combineKeys(seed, hashString(symbol));
  const stable = b.vol < 0.05 && q.vol < 0.05;
  const price = override.price ?? b.usd / q.usd;
  const yearlyVol =
    override.volatility ?? Math.max(0.005, Math.sqrt(b.vol * b.vol + q.vol * q.vol));
  const beta = stable ? 0 : base === 'BTC' ? 0.9 : 0.55 + 0.3 * uniform(key, 0, 3);
  const smallTpm = SMALL.minTpm * (SMALL.maxTpm / SMALL.minTpm) ** uniform(key, 0, 4);
  const smallSpread =
    yearlyVol *
    MINUTE_SIGMA_BPS *
    (SMALL.minSpread + (SMALL.maxSpread - SMALL.minSpread) * uniform(key, 0, 5));
  const tradesPerMinute =
    override.tradesPerMinute ?? (stable ? STABLE.tpm : b.known ? (b.tpm ?? 40) : smallTpm);
  const spreadBps =
    override.spreadBps ?? (stable ? STABLE.spread : b.known ? (b.spread ?? 8) : smallSpread);
  const relTick = stable ? STABLE.relTick : b.known ? (b.relTick ?? KNOWN_TICK) : SMALL.relTick;
  const tickSize = override.tickSize ?? defaultTick(price, relTick);
  if (tickSize > price / 10) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `${symbol}: tick size ${tickSize} is too coarse for a price of ${price}; use at most a tenth of the price`,
    );
  }
  const decimals = tickDecimals(tickSize, symbol);
  const tickScale = 10 ** decimals;
  // About 20 M USD traded per hour for majors, less for unknown coins.
  const usdPerMs = (b.known ? 20_000_000 : 500_000) / 3_600_000;
  const volume = (usdPerMs * tfMs) / (price * q.usd);
  const tradesPerCandle = (tradesPerMinute * tfMs) / MINUTE_MS;
  return {
    startPrice: price,
    sigma: yearlyVol * Math.sqrt(tfMs / YEAR_MS),
    beta,
    volume,
    priceDecimals: Math.max(0, Math.min(12, 6 - Math.floor(Math.log10(price)))),
    key,
    tickSize,
    tickUnits: Math.round(tickSize * tickScale),
    tickScale,
    halfSpread: spreadBps / 20_000,
    tradesPerCandle,
    tradeSize: volume / tradesPerCandle,
    settings: { price, tickSize, volatility: yearlyVol, tradesPerMinute, spreadBps },
  };
}
