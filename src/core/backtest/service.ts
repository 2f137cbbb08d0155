/**
 * The `backtest:*` channels: runs backtests (several may run at once, each with its own
 * workers), cancels them, and keeps finished results in the backtest history. A run that
 * fails or is cancelled stores nothing.
 */
import { randomUUID } from 'node:crypto';
import type {
  BacktestProgress,
  BacktestRequestInput,
  BacktestResult,
  BacktestSummary,
} from '../api/backtest.ts';
import { BotDeskError } from '../api/errors.ts';
import { JobPool } from './job-pool.ts';
import type { LoadedData } from './data.ts';
import { runBacktest, type DataCache, type RunnerOptions, type WorkerLender } from './runner.ts';
import { BacktestStore } from './store.ts';

export type BacktestServiceOptions = Omit<
  RunnerOptions,
  'runId' | 'onProgress' | 'signal' | 'workers' | 'dataCache'
> & {
  onProgress?: (p: BacktestProgress) => void;
  /** How long started workers wait for the next run before they are closed. Default 60 s. */
  workersIdleMs?: number;
};

export class BacktestService {
  readonly #opts: BacktestServiceOptions;
  readonly #running = new Map<string, AbortController>();
  #store: BacktestStore | null = null;
  /** Workers of a finished run, kept warm for the next one (built-in strategies only). */
  #spare: JobPool | null = null;
  #spareTimer: NodeJS.Timeout | undefined;
  /** The last file's candles, for the next run on the same file (dropped with the workers). */
  #data: { key: string; data: LoadedData } | null = null;
  #closed = false;

  constructor(opts: BacktestServiceOptions) {
    this.#opts = opts;
  }

  readonly #workers: WorkerLender = {
    acquire: async (size) => {
      const spare = this.#takeSpare();
      if (spare !== null && spare.size >= size && spare.healthy) return spare;
      await spare?.close();
      return JobPool.start({
        size,
        ...(this.#opts.workerHost ? { host: this.#opts.workerHost } : {}),
        ...(this.#opts.entry ? { entry: this.#opts.entry } : {}),
        strategiesDir: null,
      });
    },
    release: (pool) => {
      if (this.#closed || this.#spare !== null) {
        void pool.close();
        return;
      }
      this.#spare = pool;
      this.#spareTimer = setTimeout(() => {
        this.#data = null;
        void this.#takeSpare()?.close();
      }, this.#opts.workersIdleMs ?? 60_000);
      this.#spareTimer.unref();
    },
  };

  readonly #dataCache: DataCache = {
    get: (key) => (this.#data?.key === key ? this.#data.data : undefined),
    set: (key, data) => {
      this.#data = { key, data };
    },
  };

  #takeSpare(): JobPool | null {
    clearTimeout(this.#spareTimer);
    const spare = this.#spare;
    this.#spare = null;
    return spare;
  }

  /** Opened on first use: a host that never backtests never creates the file. */
  #history(): BacktestStore {
    this.#store ??= BacktestStore.inDataDir(this.#opts.dataDir);
    return this.#store;
  }

  async run(input: BacktestRequestInput & { runId?: string }): Promise<BacktestResult> {
    const { runId: asked, ...request } = input;
    const runId = asked ?? randomUUID();
    if (this.#running.has(runId))
      throw new BotDeskError(
        'INVALID_STATE',
        `a backtest with runId '${runId}' is already running`,
      );
    if (asked !== undefined && request.save !== false && this.#hasStored(runId))
      throw new BotDeskError('INVALID_INPUT', `a stored backtest already has id '${runId}'`);
    const controller = new AbortController();
    this.#running.set(runId, controller);
    try {
      const { onProgress, workersIdleMs: _idle, ...runner } = this.#opts;
      const result = await runBacktest(request, {
        ...runner,
        workers: this.#workers,
        dataCache: this.#dataCache,
        runId,
        signal: controller.signal,
        ...(onProgress ? { onProgress } : {}),
      });
      if (request.save !== false) this.#history().save(result);
      return result;
    } finally {
      this.#running.delete(runId);
    }
  }

  #hasStored(id: string): boolean {
    try {
      this.#history().get(id);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Cancels one run, or every running one; returns how many were cancelled. Warm workers
   * waiting for a next run are closed too: after a cancel no worker is left.
   */
  cancel(runId?: string): number {
    void this.#takeSpare()?.close();
    this.#data = null;
    if (runId !== undefined) {
      const c = this.#running.get(runId);
      if (c === undefined) return 0;
      c.abort();
      return 1;
    }
    for (const c of this.#running.values()) c.abort();
    return this.#running.size;
  }

  running(): string[] {
    return [...this.#running.keys()];
  }

  list(limit?: number): BacktestSummary[] {
    return this.#history().list(limit);
  }

  get(id: string): BacktestResult {
    return this.#history().get(id);
  }

  /** Cancels running backtests and closes the history. */
  close(): void {
    this.#closed = true;
    this.#data = null;
    this.cancel();
    this.#store?.close();
    this.#store = null;
  }
}
