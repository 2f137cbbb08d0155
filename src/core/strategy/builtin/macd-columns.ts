/**
 * One-pass signal kernel of the MACD signal cross, for backtests (see cross-columns.ts):
 * the arithmetic of kernels.ts' Macd (three EMAs) and the stepper's rule, written out in
 * one loop over the close column. (The RSI reversion keeps its stepper: a kernel that
 * calls the shared crossing rules measured no faster.)
 * test/unit/strategy/columnar.test.ts holds it to update() candle for candle. Columns
 * with a non-finite or huge close are declined (null) and go to the stepper.
 */
import { ENTER_LONG, EXIT } from '../types.ts';
import type { SignalColumns } from './cross-columns.ts';
import { moderate } from './cross-columns.ts';
import { strengthOf } from './signal-rules.ts';

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
