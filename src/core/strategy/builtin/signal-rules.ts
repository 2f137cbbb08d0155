/** Small rules the built-in strategies share: line crossings and signal strength. */
import type { StrategyOutput } from '../types.ts';

/**
 * Two indicator values closer than this (relative) are a tie. Averages computed by
 * different summation orders differ in their last bits, and on tick-grid prices with flat
 * stretches exact ties are common: without the tolerance a line "crosses" on rounding
 * noise. Real distances are far larger (one tick over a window is ~1e-9 of the price).
 */
export const TIE = 1e-12;

/** -1, 0 or 1 as `a` is below, level with or above `b`; NaN when either is NaN. */
function order(a: number, b: number): number {
  const d = a - b;
  if (Math.abs(d) <= TIE * Math.max(Math.abs(a), Math.abs(b))) return 0;
  return d > 0 ? 1 : d < 0 ? -1 : Number.NaN;
}

/** `a` was at or below `b` on the previous candle and is above it now. */
export function crossedAbove(prevA: number, prevB: number, a: number, b: number): boolean {
  return order(prevA, prevB) <= 0 && order(a, b) > 0;
}

/** `a` was at or above `b` on the previous candle and is below it now. */
export function crossedBelow(prevA: number, prevB: number, a: number, b: number): boolean {
  return order(prevA, prevB) >= 0 && order(a, b) < 0;
}

/** How decisive a signal is: `distance` in units of `unit`, capped at 1 (0 when unit is not positive). */
export function strengthOf(distance: number, unit: number): number {
  if (!(unit > 0)) return 0;
  const s = Math.abs(distance) / unit;
  return s >= 1 ? 1 : s;
}

/** The output object an instance reuses for every candle, with all indicators null. */
export function reusableOutput(
  indicators: readonly string[],
): StrategyOutput & { indicators: Record<string, number | null> } {
  return {
    action: 'hold',
    strength: 0,
    indicators: Object.fromEntries(indicators.map((n) => [n, null])),
  };
}
