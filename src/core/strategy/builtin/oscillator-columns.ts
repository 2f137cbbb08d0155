/**
 * One-pass signal kernels of the RSI reversion and the MACD signal cross, for backtests
 * (see cross-columns.ts): the arithmetic of kernels.ts (Rsi with Wilder's smoothing, Macd's
 * three EMAs) and the rules of the steppers, written out in one loop over the close column.
 * test/unit/strategy/columnar.test.ts holds them to update() candle for candle. Columns
 * with a non-finite or huge close are declined (null) and go to the stepper.
 */
import { ENTER_LONG, EXIT } from '../types.ts';
import type { SignalColumns } from './cross-columns.ts';
import { moderate } from './cross-columns.ts';
import { strengthOf, TIE } from './signal-rules.ts';

/**
 * RSI(period) falling through `oversold` (enter) and rising through `overbought` (exit),
 * with signal-rules.ts' crossings (`order` with its 1e-12 relative tie) written out.
 */
export function rsiSignals(
  period: number,
  oversold: number,
  overbought: number,
  close: Float64Array,
): SignalColumns | null {
  if (!moderate(close)) return null;
  const n = close.length;
  const action = new Uint8Array(n);
  const strength = new Float64Array(n);
  const factor = 1 / period;
  // Wilder's smoothing of gains and losses: seeded with the mean of the first `period`.
  let gainSeed = 0;
  let lossSeed = 0;
  let seen = 0;
  let gain = Number.NaN;
  let loss = Number.NaN;
  // The previous RSI's order against each level (NaN: none yet).
  let belowBefore = Number.NaN;
  let aboveBefore = Number.NaN;
  for (let i = 1; i < n; i++) {
    const x = close[i]!;
    const p = close[i - 1]!;
    const up = x > p ? x - p : 0;
    const down = x > p ? 0 : p - x;
    if (seen < period) {
      gainSeed += up;
      lossSeed += down;
      seen++;
      if (seen < period) continue;
      gain = gainSeed / period;
      loss = lossSeed / period;
    } else {
      gain = (up - gain) * factor + gain;
      loss = (down - loss) * factor + loss;
    }
    const r = loss === 0 ? 100 : 100 - 100 / (gain / loss + 1);
    const absR = Math.abs(r);
    const dl = r - oversold;
    const absL = Math.abs(oversold);
    const below =
      Math.abs(dl) <= TIE * (absR > absL ? absR : absL) ? 0 : dl > 0 ? 1 : dl < 0 ? -1 : NaN;
    const dh = r - overbought;
    const absH = Math.abs(overbought);
    const above =
      Math.abs(dh) <= TIE * (absR > absH ? absR : absH) ? 0 : dh > 0 ? 1 : dh < 0 ? -1 : NaN;
    if (belowBefore >= 0 && below < 0) {
      action[i] = ENTER_LONG;
      strength[i] = strengthOf(oversold - r, 10);
    } else if (aboveBefore <= 0 && above > 0) {
      action[i] = EXIT;
      strength[i] = strengthOf(r - overbought, 10);
    }
    belowBefore = below;
    aboveBefore = above;
  }
  return { action, strength };
}

/** The MACD histogram turning positive (enter) and negative (exit); Macd's arithmetic. */
export function macdSignals(
  fast: number,
  slow: number,
  signal: number,
  close: Float64Array,
): SignalColumns | null {
  if (!moderate(close)) return null;
  const n = close.length;
  const action = new Uint8Array(n);
  const strength = new Float64Array(n);
  const fk = 2 / (fast + 1);
  const sk = 2 / (slow + 1);
  const gk = 2 / (signal + 1);
  let fastEma = 0;
  let slowEma = 0;
  let signalEma = 0;
  let macds = 0;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    const x = close[i]!;
    fastEma = x * fk + (i === 0 ? x : fastEma) * (1 - fk);
    slowEma = x * sk + (i === 0 ? x : slowEma) * (1 - sk);
    if (i + 1 < slow) continue;
    const macd = fastEma - slowEma;
    signalEma = macd * gk + (macds === 0 ? macd : signalEma) * (1 - gk);
    if (macds < signal) macds++;
    if (macds < signal) continue;
    const h = macd - signalEma;
    if (previous <= 0 && h > 0) {
      action[i] = ENTER_LONG;
      strength[i] = strengthOf(h, x * 0.001);
    } else if (previous >= 0 && h < 0) {
      action[i] = EXIT;
      strength[i] = strengthOf(h, x * 0.001);
    }
    previous = h;
  }
  return { action, strength };
}
