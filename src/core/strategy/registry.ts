/**
 * The strategy catalogue for the UI and the CLI (`strategies:list`). Built-ins are
 * described here; user files are described by a short-lived compute worker, because
 * loading them means running their code, which never happens in this process.
 */
import type { StrategyInfo } from '../api/schemas.ts';
import type { WorkerHost } from '../compute/host.ts';
import { createComputePool } from '../compute/pool.ts';
import { BUILTIN_STRATEGIES, getBuiltinStrategy } from './builtin/index.ts';
import { describeStrategy } from './definition.ts';

export { BUILTIN_STRATEGIES, getBuiltinStrategy };
export const DEFAULT_STRATEGY_ID = 'sma-crossover';

export interface ListStrategiesOptions {
  /** How to start the describing worker (Electron passes its utilityProcess host). */
  host?: WorkerHost;
  entry?: string;
  /** Deadline for starting the worker and loading the files. Default 10 s. */
  timeoutMs?: number;
}

export function listBuiltinStrategies(): StrategyInfo[] {
  return BUILTIN_STRATEGIES.map((d) => describeStrategy(d, 'builtin'));
}

/** Built-in strategies, then the files of `strategiesDir` (broken ones carry `error`). */
export async function listStrategies(strategiesDir?: string, opts: ListStrategiesOptions = {}): Promise<StrategyInfo[]> {
  if (strategiesDir === undefined) return listBuiltinStrategies();
  const pool = createComputePool({
    size: 1,
    strategiesDir,
    watch: false,
    host: opts.host,
    entry: opts.entry,
    replayDeadlineMs: opts.timeoutMs ?? 10_000,
  });
  try {
    return await pool.strategies();
  } finally {
    await pool.close();
  }
}
