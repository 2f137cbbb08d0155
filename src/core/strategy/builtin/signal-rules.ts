/** Small rules the built-in strategies share: line crossings and signal strength. */
import type { StrategyOutput } from '../types.ts';

/** `a` was at or below `b` on the previous candle and is above it now. */
export function crossedAbove(prevA: number, prevB: number, a: number, b: number): boolean {
  return prevA <= prevB && a > b;
}

/** `a` was at or above `b` on the previous candle and is below it now. */
export function crossedBelow(prevA: number, prevB: number, a: number, b: number): boolean {
  return prevA >= prevB && a < b;
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
