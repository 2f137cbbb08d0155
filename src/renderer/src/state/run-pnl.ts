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

/**
 * The current run's statistics: its PnL from its own first equity (the same measure as an
 * earlier run's, so a second run does not open with the first one's loss), and the account's
 * PnL since it started, against the balance the run was started with (the run record's
 * config, else the running bot's), never against a starting-balance setting changed since.
 */
export function currentPnl(
  status: {
    state: string;
    equity: number | null;
    config: { startingBalance: number } | null;
  },
  run: { equityFrom?: number | null; config: { startingBalance: number } } | undefined,
  firstLoaded: { equity: number } | null,
): { run: number | null; account: number | null; accountStart: number | null } {
  const equity = status.equity;
  const now = equity === null ? null : { equity };
  const inRun =
    equity === null
      ? null
      : runPnl(
          { equityFrom: run?.equityFrom, equityTo: equity },
          { first: firstLoaded, last: now },
        );
  const running =
    status.state === 'starting' || status.state === 'running' || status.state === 'stopping';
  const accountStart =
    run?.config.startingBalance ?? (running ? status.config?.startingBalance : null) ?? null;
  const account = equity !== null && accountStart !== null ? equity - accountStart : null;
  return { run: inRun, account, accountStart };
}
