/**
 * What a simulated symbol looks like before any candle exists: its price at the series
 * origin, its volatility, how strongly it follows the whole market and its usual volume.
 * Well-known coins start near familiar prices; any other BASE/QUOTE gets a price derived
 * from the seed and the name, so every symbol works and the same seed gives the same one.
 */
import { combineKeys, hashString, uniform } from './random.ts';

/** Rough USD prices and yearly volatility of common assets. */
const KNOWN_ASSETS: Record<string, { usd: number; vol: number }> = {
  BTC: { usd: 65_000, vol: 0.55 },
  ETH: { usd: 3_200, vol: 0.7 },
  BNB: { usd: 580, vol: 0.6 },
  SOL: { usd: 150, vol: 0.9 },
  XRP: { usd: 0.55, vol: 0.8 },
  ADA: { usd: 0.45, vol: 0.85 },
  DOGE: { usd: 0.14, vol: 1.0 },
  AVAX: { usd: 30, vol: 0.95 },
  DOT: { usd: 6.5, vol: 0.85 },
  LINK: { usd: 14, vol: 0.9 },
  LTC: { usd: 75, vol: 0.75 },
  TRX: { usd: 0.12, vol: 0.5 },
  MATIC: { usd: 0.6, vol: 0.9 },
  ATOM: { usd: 7, vol: 0.85 },
  UNI: { usd: 8, vol: 0.95 },
  USDT: { usd: 1, vol: 0.01 },
  USDC: { usd: 1, vol: 0.01 },
  BUSD: { usd: 1, vol: 0.01 },
  DAI: { usd: 1, vol: 0.01 },
  FDUSD: { usd: 1, vol: 0.01 },
  USD: { usd: 1, vol: 0 },
  EUR: { usd: 1.08, vol: 0.07 },
};

const YEAR_MS = 365 * 86_400_000;

export interface SymbolProfile {
  /** Price at the series origin. */
  startPrice: number;
  /** Unconditional standard deviation of one candle's log return. */
  sigma: number;
  /** Loading on the common market factor, 0…1 (correlation with the market). */
  beta: number;
  /** Typical base-asset volume of one candle. */
  volume: number;
  /** Decimal places prices are rounded to. */
  priceDecimals: number;
  /** Key of the symbol's own random draws. */
  key: number;
}

function assetUsd(asset: string, seed: number): { usd: number; vol: number } {
  const known = KNOWN_ASSETS[asset];
  const key = combineKeys(seed, hashString(asset));
  if (known) {
    // Within ±15 % of the familiar price, different for each seed; stablecoins stay pegged.
    const jitter = known.vol < 0.05 ? 0 : 0.3 * (uniform(key, 0, 0) - 0.5);
    return { usd: known.usd * Math.exp(jitter), vol: known.vol };
  }
  // Log-uniform from 0.01 to 1000 USD, yearly volatility 60–120 %.
  return { usd: 10 ** (-2 + 5 * uniform(key, 0, 1)), vol: 0.6 + 0.6 * uniform(key, 0, 2) };
}

export function symbolProfile(seed: number, symbol: string, tfMs: number): SymbolProfile {
  const [base = symbol, quote = 'USD'] = symbol.split('/');
  const b = assetUsd(base, seed);
  const q = assetUsd(quote, seed);
  const startPrice = b.usd / q.usd;
  const yearlyVol = Math.max(0.005, Math.sqrt(b.vol * b.vol + q.vol * q.vol));
  const key = combineKeys(seed, hashString(symbol));
  const stable = b.vol < 0.05 && q.vol < 0.05;
  const beta = stable ? 0 : base === 'BTC' ? 0.9 : 0.55 + 0.3 * uniform(key, 0, 3);
  // About 20 M USD traded per hour for majors, less for unknown coins.
  const usdPerMs = (KNOWN_ASSETS[base] ? 20_000_000 : 500_000) / 3_600_000;
  return {
    startPrice,
    sigma: yearlyVol * Math.sqrt(tfMs / YEAR_MS),
    beta,
    volume: (usdPerMs * tfMs) / b.usd,
    priceDecimals: Math.max(0, Math.min(12, 6 - Math.floor(Math.log10(startPrice)))),
    key,
  };
}
