/**
 * Candle timeframes as plain values with no dependency, so the renderer can use
 * them without bundling zod (schemas.ts builds its Timeframe schema from these).
 */
export const TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '12h',
  '1d',
] as const;
export type TimeframeName = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_MS: Record<TimeframeName, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};
