/** Ranking a grid's runs by one metric, shared by the runner and the jobs (which keep their best run's detail). */
import type { Metrics, RankMetric } from '../api/backtest.ts';

/** Metrics where lower is better; the rest rank highest first. */
const LOWER_IS_BETTER: ReadonlySet<RankMetric> = new Set(['maxDrawdownPct']);

/** Negative when `a` ranks before `b` by `by`; runs without a value (no trades, no variance) go last. */
export function compareBy(
  a: Pick<Metrics, RankMetric>,
  b: Pick<Metrics, RankMetric>,
  by: RankMetric,
): number {
  const x = a[by];
  const y = b[by];
  if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
  return (LOWER_IS_BETTER.has(by) ? 1 : -1) * (x - y);
}

/** Best first; equal ones keep their order (the sort is stable). */
export function rankRows<T extends { metrics: Pick<Metrics, RankMetric> }>(
  rows: readonly T[],
  by: RankMetric,
): T[] {
  return [...rows].sort((a, b) => compareBy(a.metrics, b.metrics, by));
}
