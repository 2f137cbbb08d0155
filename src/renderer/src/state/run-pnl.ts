/**
 * An earlier run's PnL: its own first-to-last equity from the run record. The equity points a
 * chart loads are only the newest ones, so their span understates a long run; they are the
 * fallback for a record from a core that does not say.
 */
export function runPnl(
  run: { equityFrom?: number | null; equityTo?: number | null },
  loaded: { first: { equity: number } | null; last: { equity: number } | null },
): number | null {
  if (typeof run.equityFrom === 'number' && typeof run.equityTo === 'number')
    return run.equityTo - run.equityFrom;
  return loaded.first && loaded.last ? loaded.last.equity - loaded.first.equity : null;
}
