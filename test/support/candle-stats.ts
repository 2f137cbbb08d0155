/**
 * Statistics of candle series for the simulated market's stylized-facts tests: moments,
 * autocorrelations, shares of zero returns and flat candles.
 */
import type { Candle } from '../../src/core/api/schemas.ts';

export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

export function excessKurtosis(xs: readonly number[]): number {
  const m = mean(xs);
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = (x - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= xs.length;
  m4 /= xs.length;
  return m4 / (m2 * m2) - 3;
}

export function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

/** Autocorrelation of `xs` at `lag`. */
export function autocorrelation(xs: readonly number[], lag: number): number {
  return correlation(xs.slice(lag), xs.slice(0, xs.length - lag));
}

/** Close-to-close log returns. */
export function logReturns(candles: readonly Candle[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < candles.length; i++)
    out.push(Math.log(candles[i]!.close / candles[i - 1]!.close));
  return out;
}

export interface StylizedFacts {
  excessKurtosis: number;
  /** Autocorrelation of |r| at lags 1, 5, 10, 30, 60. */
  absAcf: Record<1 | 5 | 10 | 30 | 60, number>;
  returnAcf1: number;
  zeroReturnShare: number;
  flatCandleShare: number;
  /** Share of candles whose open differs from the previous close. */
  openOffCloseShare: number;
  volumeAbsReturnCorr: number;
  /** Autocorrelation of volume at lags 1 and 10. */
  volumeAcf: Record<1 | 10, number>;
}

export function stylizedFacts(candles: readonly Candle[]): StylizedFacts {
  const r = logReturns(candles);
  const abs = r.map(Math.abs);
  const volume = candles.map((c) => c.volume);
  let flat = 0;
  let off = 0;
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    if (c.high === c.low) flat++;
    if (i > 0 && c.open !== candles[i - 1]!.close) off++;
  }
  return {
    excessKurtosis: excessKurtosis(r),
    absAcf: {
      1: autocorrelation(abs, 1),
      5: autocorrelation(abs, 5),
      10: autocorrelation(abs, 10),
      30: autocorrelation(abs, 30),
      60: autocorrelation(abs, 60),
    },
    returnAcf1: autocorrelation(r, 1),
    zeroReturnShare: r.filter((x) => x === 0).length / r.length,
    flatCandleShare: flat / candles.length,
    openOffCloseShare: off / (candles.length - 1),
    volumeAbsReturnCorr: correlation(
      candles.slice(1).map((c) => c.volume),
      abs,
    ),
    volumeAcf: { 1: autocorrelation(volume, 1), 10: autocorrelation(volume, 10) },
  };
}
