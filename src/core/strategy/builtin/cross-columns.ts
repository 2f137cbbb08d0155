/**
 * One-pass signal kernels of the moving-average crossovers, for backtests (a columnar form
 * asked for signals without indicator columns): they read the close column directly, keep
 * the averages in locals and write only the action and strength columns — no per-candle
 * call, object or state machine.
 *
 * They repeat the arithmetic of kernels.ts (RollingMean, Ema) operation for operation and
 * the crossing rule of signal-rules.ts (`order`, with its 1e-12 relative tie), so their
 * signals are identical to update()'s; test/unit/strategy/columnar.test.ts checks it.
 */
import { ENTER_LONG, EXIT } from '../types.ts';
import { strengthOf, TIE } from './signal-rules.ts';

export interface SignalColumns {
  action: Uint8Array;
  strength: Float64Array;
}

/**
 * Whether every close is a number of moderate size: then no average is NaN or infinite (no
 * sum of up to 1000 of them overflows) and the loops need no check for it. Other columns
 * take the stepper (null from a kernel), whose checks cover them.
 */
export function moderate(close: Float64Array): boolean {
  for (let i = 0; i < close.length; i++) if (!(Math.abs(close[i]!) < 1e300)) return false;
  return true;
}

/*
 * The crossing rule of signal-rules.ts, per candle: `order` (-1 below, 0 level within the
 * 1e-12 relative tie, 1 above, NaN unordered), then crossedAbove / crossedBelow against the
 * previous candle's order. It is written out in each loop rather than called: V8 then keeps
 * the loop branch-light, about three times faster on a million candles. The columnar tests
 * hold both kernels to update() candle for candle.
 */

/**
 * SMA(fast) against SMA(slow) crossings over a whole close column.
 *
 * RollingMean moves its sum by one input per candle and, each time its ring buffer wraps
 * (every `period` inputs), re-adds the window oldest first from zero. That window is exactly
 * the inputs since the previous wrap, so a second running sum started from zero at each
 * wrap holds the very same value, added in the same order, without a loop over the window.
 */
export function smaCrossSignals(
  fast: number,
  slow: number,
  close: Float64Array,
): SignalColumns | null {
  if (!moderate(close)) return null;
  const n = close.length;
  const action = new Uint8Array(n);
  const strength = new Float64Array(n);
  const ready = Math.max(fast, slow) - 1;
  let fastSum = 0;
  let slowSum = 0;
  // The inputs since the last wrap, summed from zero (the wrap's re-added window).
  let fastBlock = 0;
  let slowBlock = 0;
  let fastPhase = 0;
  let slowPhase = 0;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    const x = close[i]!;
    fastBlock += x;
    slowBlock += x;
    if (++fastPhase === fast) {
      fastPhase = 0;
      fastSum = fastBlock;
      fastBlock = 0;
      // Before the window is full the ring holds zeros: x − 0 is x exactly, as in RollingMean.
    } else fastSum += x - (i >= fast ? close[i - fast]! : 0);
    if (++slowPhase === slow) {
      slowPhase = 0;
      slowSum = slowBlock;
      slowBlock = 0;
    } else slowSum += x - (i >= slow ? close[i - slow]! : 0);
    const f = fastSum / fast;
    const s = slowSum / slow;
    const d = f - s;
    const absF = Math.abs(f);
    const absS = Math.abs(s);
    // Unordered (NaN) until both averages are ready: no crossing from or into the warm-up.
    const o =
      i < ready
        ? NaN
        : Math.abs(d) <= TIE * (absF > absS ? absF : absS)
          ? 0
          : d > 0
            ? 1
            : d < 0
              ? -1
              : NaN;
    if (previous <= 0 && o > 0) {
      action[i] = ENTER_LONG;
      strength[i] = strengthOf(d, x * 0.01);
    } else if (previous >= 0 && o < 0) {
      action[i] = EXIT;
      strength[i] = strengthOf(d, x * 0.01);
    }
    previous = o;
  }
  return { action, strength };
}

/** EMA(fast) against EMA(slow) crossings over a whole close column (Ema's arithmetic). */
export function emaCrossSignals(
  fast: number,
  slow: number,
  close: Float64Array,
): SignalColumns | null {
  if (!moderate(close)) return null;
  const n = close.length;
  const action = new Uint8Array(n);
  const strength = new Float64Array(n);
  const fk = 2 / (fast + 1);
  const sk = 2 / (slow + 1);
  const ready = Math.max(fast, slow) - 1;
  let f = Number.NaN;
  let s = Number.NaN;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    const x = close[i]!;
    f = x * fk + (i === 0 ? x : f) * (1 - fk);
    s = x * sk + (i === 0 ? x : s) * (1 - sk);
    const d = f - s;
    const absF = Math.abs(f);
    const absS = Math.abs(s);
    // Unordered (NaN) until both averages are ready: no crossing from or into the warm-up.
    const o =
      i < ready
        ? NaN
        : Math.abs(d) <= TIE * (absF > absS ? absF : absS)
          ? 0
          : d > 0
            ? 1
            : d < 0
              ? -1
              : NaN;
    if (previous <= 0 && o > 0) {
      action[i] = ENTER_LONG;
      strength[i] = strengthOf(d, x * 0.01);
    } else if (previous >= 0 && o < 0) {
      action[i] = EXIT;
      strength[i] = strengthOf(d, x * 0.01);
    }
    previous = o;
  }
  return { action, strength };
}
