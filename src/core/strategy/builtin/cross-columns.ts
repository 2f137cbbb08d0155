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
import { order, strengthOf } from './signal-rules.ts';

export interface SignalColumns {
  action: Uint8Array;
  strength: Float64Array;
}

/**
 * Writes the crossing of `f` over `s` at candle `i` (given the previous order) and returns
 * this candle's order, the next candle's previous one.
 */
function cross(
  out: SignalColumns,
  i: number,
  previous: number,
  f: number,
  s: number,
  close: number,
): number {
  const o = order(f, s);
  if (previous <= 0 && o > 0) {
    out.action[i] = ENTER_LONG;
    out.strength[i] = strengthOf(f - s, close * 0.01);
  } else if (previous >= 0 && o < 0) {
    out.action[i] = EXIT;
    out.strength[i] = strengthOf(f - s, close * 0.01);
  }
  return o;
}

/**
 * RollingMean's running sum of the window ending at `i` after adding close[i]: the sum
 * moved by one input, or re-added oldest first when the window turns over (every `period`
 * inputs, as the ring buffer wraps).
 */
function rollingSum(close: Float64Array, i: number, period: number, sum: number, turn: boolean) {
  if (turn) {
    let s = 0;
    for (let k = i - period + 1; k <= i; k++) s += close[k]!;
    return s;
  }
  // Before the window is full the ring holds zeros: x − 0 is x exactly, as in RollingMean.
  return sum + (close[i]! - (i >= period ? close[i - period]! : 0));
}

/** SMA(fast) against SMA(slow) crossings over a whole close column. */
export function smaCrossSignals(fast: number, slow: number, close: Float64Array): SignalColumns {
  const n = close.length;
  const out: SignalColumns = { action: new Uint8Array(n), strength: new Float64Array(n) };
  const ready = Math.max(fast, slow) - 1;
  let fastSum = 0;
  let slowSum = 0;
  let fastPhase = 0;
  let slowPhase = 0;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    fastPhase++;
    slowPhase++;
    const fastTurn = fastPhase === fast;
    const slowTurn = slowPhase === slow;
    if (fastTurn) fastPhase = 0;
    if (slowTurn) slowPhase = 0;
    fastSum = rollingSum(close, i, fast, fastSum, fastTurn);
    slowSum = rollingSum(close, i, slow, slowSum, slowTurn);
    if (i < ready) continue;
    const f = fastSum / fast;
    const s = slowSum / slow;
    // A NaN average leaves the previous values alone, as the stepper's early return does.
    if (Number.isNaN(f) || Number.isNaN(s)) continue;
    previous = cross(out, i, previous, f, s, close[i]!);
  }
  return out;
}

/** EMA(fast) against EMA(slow) crossings over a whole close column (Ema's arithmetic). */
export function emaCrossSignals(fast: number, slow: number, close: Float64Array): SignalColumns {
  const n = close.length;
  const out: SignalColumns = { action: new Uint8Array(n), strength: new Float64Array(n) };
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
    if (i < ready || Number.isNaN(f) || Number.isNaN(s)) continue;
    previous = cross(out, i, previous, f, s, x);
  }
  return out;
}
