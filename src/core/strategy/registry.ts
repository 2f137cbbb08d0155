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
export async function listStrategies(
  strategiesDir?: string,
  opts: ListStrategiesOptions = {},
): Promise<StrategyInfo[]> {
  if (strategiesDir === undefined) return listBuiltinStrategies();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let fail: (err: Error) => void = () => {};
  const timeout = new Promise<never>((_, reject) => (fail = reject));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        fail(
          new Error(
            `loading did not finish within ${timeoutMs} ms (a file that hangs when imported?)`,
          ),
        ),
      timeoutMs,
    );
  };
  const pool = createComputePool({
    size: 1,
    strategiesDir,
    watch: false,
    host: opts.host,
    entry: opts.entry,
    replayDeadlineMs: timeoutMs,
    importDeadlineMs: Math.max(100, Math.floor(timeoutMs / 4)),
    // A file blamed and skipped is progress: the deadline counts from there again.
    onLog: (_level, message) => {
      if (message.startsWith('user strategy ')) arm();
    },
  });
  arm();
  const listing = pool.strategies();
  // If the timeout wins, close() below rejects the listing: expected, not unhandled.
  listing.catch(() => {});
  try {
    return await Promise.race([listing, timeout]);
  } catch (err) {
    // Still list what does work, with the reason the folder could not be read.
    const reason = err instanceof Error ? err.message : String(err);
    return [
      ...listBuiltinStrategies(),
      {
        id: 'user-strategies',
        name: 'User strategies',
        description: '',
        origin: 'user',
        paramsSchema: {},
        warmup: 0,
        error: `${strategiesDir}: ${reason}`,
      },
    ];
  } finally {
    clearTimeout(timer);
    await pool.close();
  }
}
