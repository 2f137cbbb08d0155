/** Small rules the built-in strategies share: line crossings and signal strength. */

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
