/**
 * ComputePool: strategy state of every pair lives in one worker process (sticky), each
 * tick sends only the new candles — one message per worker — and gathers all workers'
 * signals in parallel. Failures stay small: a strategy that throws fails its pair; a
 * worker that misses its deadline or crashes is replaced and its pairs are rebuilt
 * from the candle tail the pool keeps; a pair that hangs or crashes its worker again
 * during that replay is quarantined.
 */
import { watch, type FSWatcher } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as turn } from 'node:timers/promises';
import { BotDeskError } from '../api/errors.ts';
import type { Candle, Signal, StrategyInfo, StrategyRef } from '../api/schemas.ts';
import { ensurePrivateDir } from '../host/private-files.ts';
import { getBuiltinStrategy } from '../strategy/builtin/index.ts';
import {
  forkWorkerHost,
  workerEnv,
  workerReadPaths,
  type WorkerHost,
  type WorkerProcess,
} from './host.ts';
import {
  ACTION_CODES,
  CANDLE_STRIDE,
  OUTPUT_HEADER,
  PROTOCOL_VERSION,
  isFromWorker,
  packCandles,
  type FromWorker,
  type WorkerRequest,
} from './protocol.ts';
import type { ComputePool, EvaluateOptions, PairResult, PairSpec } from './types.ts';
import { blameUserFile, userFolderFor } from './user-file-verdicts.ts';
import { resolveWorkerEntry } from './worker-location.ts';

export interface ComputePoolOptions {
  /** Worker processes; default: cores − 1, at least 1. */
  size?: number;
  host?: WorkerHost;
  /** Worker entry file; default resolveWorkerEntry(). */
  entry?: string;
  /** User strategy folder (`<dataDir>/strategies`), loaded by the workers and watched for changes. */
  strategiesDir?: string;
  /** Default per-tick deadline (EvaluateOptions.deadlineMs overrides it). Default 2000 ms. */
  deadlineMs?: number;
  /** Deadline for worker start-up and for replaying a pair's history. Default 30 s. */
  replayDeadlineMs?: number;
  /** Candles kept per pair for rebuilds (at least the strategy's warm-up + 1). Default 1000. */
  tailCandles?: number;
  /** Hot-reload user strategies when their folder changes. Default true when strategiesDir is set. */
  watch?: boolean;
  /** Grace between asking workers to exit and killing them on close(). Default 300 ms. */
  closeGraceMs?: number;
  /** Deadline for importing one user strategy file at start-up. Default 5 s (at most replayDeadlineMs). */
  importDeadlineMs?: number;
  /** Cap on each worker's JavaScript heap, in MB. Default 1024. */
  maxHeapMb?: number;
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

interface Pending {
  resolve(msg: FromWorker): void;
  reject(err: BotDeskError): void;
  timer: NodeJS.Timeout;
}

interface WorkerSlot {
  index: number;
  proc: WorkerProcess | null;
  /** Bumped on every (re)spawn, to drop replies and exits of a replaced process. */
  generation: number;
  state: 'starting' | 'ready' | 'recovering' | 'closed';
  pending: Map<number, Pending>;
  pairs: Set<PairEntry>;
  /** addPair calls heading for this worker, counted in its load so concurrent adds spread out. */
  adding: number;
  freeSlots: number[];
  nextSlot: number;
  /** Unexpected exits since the last successful tick; drives the respawn backoff. */
  crashes: number;
  lastError: string | null;
  onReady: ((err?: BotDeskError) => void) | null;
  /** The user file a starting worker is importing (see user-file-verdicts.ts). */
  loading: { file: string; stamp: string } | null;
  onLoading: ((file: string, stamp: string) => void) | null;
  /** Paths the current process may read (a file added to the folder later is not among them). */
  granted: ReadonlySet<string>;
}

interface PairEntry {
  key: string;
  symbol: string;
  strategy: StrategyRef;
  worker: WorkerSlot;
  slot: number;
  indicators: string[];
  tailLimit: number;
  tail: Candle[];
  /** Candles ever appended, and how many of them the worker's state has seen (during rebuilds). */
  seq: number;
  builtSeq: number;
  lastTs: number;
  status: 'ok' | 'rebuilding' | 'quarantined';
  problem: PairFailure | null;
}

type PairFailure = Extract<PairResult, { ok: false }>['error'];

/** Rejections meaning "the worker process is gone" carry this in details. */
const WORKER_LOST = { workerLost: true } as const;
/** A start that failed because of one user file (blamed; the next start skips it). */
const BLAMED = { workerLost: true, blamed: true } as const;
const isBlamed = (err: unknown): boolean =>
  err instanceof BotDeskError && (err.details as { blamed?: boolean } | undefined)?.blamed === true;

const isWorkerLost = (err: unknown): boolean =>
  err instanceof BotDeskError &&
  (err.details as { workerLost?: boolean } | undefined)?.workerLost === true;

const failureCode = (err: unknown): 'TIMEOUT' | 'COMPUTE_ERROR' =>
  err instanceof BotDeskError && err.code === 'TIMEOUT' ? 'TIMEOUT' : 'COMPUTE_ERROR';

/** Signals decoded between two turns of the event loop. */
const DECODE_SLICE = 20_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

function checkCandles(key: string, candles: readonly Candle[], after: number): void {
  let last = after;
  for (const c of candles) {
    if (!(c.ts > last)) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `candles for '${key}' must be in strictly increasing time order after ${new Date(last).toISOString()}; got ts ${c.ts}`,
      );
    }
    last = c.ts;
  }
}

function packed(candles: readonly Candle[]): Float64Array {
  const buf = new Float64Array(candles.length * CANDLE_STRIDE);
  packCandles(candles, buf, 0);
  return buf;
}

/**
 * Signals from a worker's outputs for `candles` (one OUTPUT_HEADER + indicators row each,
 * from `offset`), or null when a row is not one the worker writes (outside the protocol).
 * Ticks and the warm-up tail of addPair both read outputs through here.
 */
function decodeSignals(
  out: Float64Array,
  offset: number,
  symbol: string,
  names: readonly string[],
  candles: readonly Candle[],
): Signal[] | null {
  const width = OUTPUT_HEADER + names.length;
  const signals: Signal[] = new Array(candles.length);
  for (let j = 0, o = offset; j < candles.length; j++, o += width) {
    const action = ACTION_CODES[out[o]!];
    const strength = out[o + 1]!;
    // The worker checks every output; anything else was not written by it.
    if (action === undefined || !(strength >= 0 && strength <= 1)) return null;
    const indicators: Record<string, number | null> = {};
    for (let k = 0; k < names.length; k++) {
      const v = out[o + OUTPUT_HEADER + k]!;
      indicators[names[k]!] = Number.isNaN(v) ? null : v;
    }
    const stop = out[o + 2]!;
    const target = out[o + 3]!;
    signals[j] = {
      symbol,
      ts: candles[j]!.ts,
      action,
      strength,
      indicators,
      ...(stop > 0 ? { stop } : {}),
      ...(target > 0 ? { target } : {}),
    };
  }
  return signals;
}

class Pool implements ComputePool {
  readonly #host: WorkerHost;
  readonly #entry: string;
  readonly #strategiesDir: string | null;
  readonly #deadlineMs: number;
  readonly #replayDeadlineMs: number;
  readonly #tailCandles: number;
  readonly #closeGraceMs: number;
  readonly #importDeadlineMs: number;
  readonly #maxHeapMb: number;
  readonly #folderWarnings = new Set<string>();
  readonly #log: NonNullable<ComputePoolOptions['onLog']>;
  readonly #workers: WorkerSlot[] = [];
  readonly #pairs = new Map<string, PairEntry>();
  readonly #adding = new Set<string>();
  #readyWaiters: Array<() => void> = [];
  /**
   * Set when workers keep failing to start while loading user files (one hangs or exits at
   * import): workers then start without them so built-in strategies keep running. The next
   * change in the folder tries again.
   */
  #userStrategiesOff = false;
  /** Exits of processes retired but maybe not gone yet; close() waits for them too. */
  readonly #dying = new Set<Promise<unknown>>();
  #requestSeq = 0;
  #closed = false;
  #closing: Promise<void> | null = null;
  #watcher: FSWatcher | null = null;
  #reloadTimer: NodeJS.Timeout | null = null;

  constructor(opts: ComputePoolOptions) {
    const size = opts.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1 || size > 256) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `compute pool size must be an integer from 1 to 256, got ${String(size)}`,
      );
    }
    this.#host = opts.host ?? forkWorkerHost;
    this.#entry = opts.entry ?? resolveWorkerEntry();
    this.#strategiesDir = opts.strategiesDir ?? null;
    this.#deadlineMs = opts.deadlineMs ?? 2000;
    this.#replayDeadlineMs = opts.replayDeadlineMs ?? 30_000;
    this.#tailCandles = opts.tailCandles ?? 1000;
    this.#closeGraceMs = opts.closeGraceMs ?? 300;
    this.#importDeadlineMs = Math.min(opts.importDeadlineMs ?? 5000, this.#replayDeadlineMs);
    this.#maxHeapMb = opts.maxHeapMb ?? 1024;
    this.#log = opts.onLog ?? (() => {});
    if (this.#strategiesDir !== null && (opts.watch ?? true)) this.#watch(this.#strategiesDir);
    for (let index = 0; index < size; index++) {
      const w: WorkerSlot = {
        index,
        proc: null,
        generation: 0,
        state: 'starting',
        pending: new Map(),
        pairs: new Set(),
        adding: 0,
        freeSlots: [],
        nextSlot: 0,
        crashes: 0,
        lastError: null,
        onReady: null,
        loading: null,
        onLoading: null,
        granted: new Set(),
      };
      this.#workers.push(w);
      void this.#recover(w);
    }
  }

  // ---- worker processes -------------------------------------------------------------

  #spawn(w: WorkerSlot): Promise<void> {
    w.generation++;
    const generation = w.generation;
    const user = this.#userFolder();
    w.granted = new Set(user?.readPaths ?? []);
    const proc = this.#host.spawn(this.#entry, {
      name: `botdesk-compute-${w.index}`,
      env: workerEnv(),
      readPaths: workerReadPaths(this.#entry, user?.readPaths ?? []),
      maxHeapMb: this.#maxHeapMb,
    });
    w.loading = null;
    w.proc = proc;
    proc.onMessage((msg) => {
      if (w.generation === generation) this.#onMessage(w, msg);
    });
    void proc.exited.then((exit) => {
      // Exits of processes the pool retired itself are expected; the current one's is a crash unless the pool is closing.
      if (w.generation !== generation || w.proc !== proc) return;
      // V8 aborts the process when the heap reaches its cap.
      const oom = exit.signal === 'SIGABRT' || exit.code === 134;
      this.#onExit(
        w,
        `code ${String(exit.code)}${exit.signal ? `, signal ${exit.signal}` : ''}${oom ? `; out of memory? the worker heap is capped at ${this.#maxHeapMb} MB` : ''}`,
      );
    });
    return new Promise<void>((resolve, reject) => {
      const timedOut = () => {
        const blamed = this.#blameLoading(
          w,
          `importing it did not finish within ${this.#importDeadlineMs} ms (does it loop or wait forever at the top level?)`,
        );
        this.#retire(
          w,
          blamed ??
            new BotDeskError(
              'TIMEOUT',
              `compute worker ${w.index} did not start within ${this.#replayDeadlineMs} ms`,
              WORKER_LOST,
            ),
        );
      };
      let timer = setTimeout(timedOut, this.#replayDeadlineMs);
      // Each user file gets its own, shorter deadline: a file that hangs is named, not the start.
      w.onLoading = (file, stamp) => {
        w.loading = { file, stamp };
        clearTimeout(timer);
        timer = setTimeout(timedOut, this.#importDeadlineMs);
      };
      w.onReady = (err) => {
        clearTimeout(timer);
        w.onReady = null;
        w.onLoading = null;
        w.loading = null;
        if (err) reject(err);
        else resolve();
      };
      proc.send({ v: PROTOCOL_VERSION, type: 'init', strategies: user?.folder ?? null });
    });
  }

  /** The user folder for a worker (null without one, or while user strategies are off). */
  #userFolder(): ReturnType<typeof userFolderFor> | null {
    if (this.#strategiesDir === null || this.#userStrategiesOff) return null;
    const user = userFolderFor(this.#strategiesDir);
    for (const warning of user.warnings) {
      if (this.#folderWarnings.has(warning)) continue;
      this.#folderWarnings.add(warning);
      this.#log('warn', warning);
    }
    return user;
  }

  /**
   * Blames the user file a starting worker was importing when it died or hung: the start
   * fails with an error saying so, and the next one skips that file.
   */
  #blameLoading(w: WorkerSlot, reason: string): BotDeskError | null {
    const loading = w.loading;
    if (loading === null || w.onReady === null || this.#strategiesDir === null) return null;
    w.loading = null;
    blameUserFile(this.#strategiesDir, loading.file, loading.stamp, reason);
    const message = `user strategy ${loading.file}: ${reason}; it is not loaded (saving the file tries again), the other strategies are`;
    this.#log('error', message);
    return new BotDeskError('STRATEGY_ERROR', message, BLAMED);
  }

  /**
   * Kills the worker's process and forgets it at once (its pairs go degraded now, not
   * when the exit arrives), then starts the replacement unless a recovery already runs.
   */
  #retire(w: WorkerSlot, err: BotDeskError): void {
    const proc = w.proc;
    if (proc === null) return;
    w.proc = null;
    proc.kill();
    this.#dying.add(proc.exited);
    void proc.exited.then(() => this.#dying.delete(proc.exited));
    w.onReady?.(err);
    this.#rejectAll(w, err);
    if (!this.#closed && w.state === 'ready') void this.#recover(w);
  }

  #onMessage(w: WorkerSlot, msg: unknown): void {
    if (!isFromWorker(msg)) {
      // User code posting to the worker's channel: never let it reach (or crash) this process.
      const problem = `compute worker ${w.index} sent a message outside the protocol (a strategy writing to its process channel?); it was killed and is being replaced`;
      this.#log('error', problem);
      this.#retire(w, new BotDeskError('COMPUTE_ERROR', problem, WORKER_LOST));
      return;
    }
    if (msg.type === 'ready') {
      if (msg.v !== PROTOCOL_VERSION) {
        this.#retire(
          w,
          new BotDeskError(
            'COMPUTE_ERROR',
            `compute worker speaks protocol ${msg.v}, the pool ${PROTOCOL_VERSION}`,
            WORKER_LOST,
          ),
        );
      } else w.onReady?.();
      return;
    }
    if (msg.type === 'loading') {
      w.onLoading?.(msg.file, msg.stamp);
      return;
    }
    if (msg.type === 'fatal') {
      this.#log('error', `compute worker ${w.index}: ${msg.message}`);
      return;
    }
    const pending = w.pending.get(msg.id);
    if (pending === undefined) return;
    w.pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.type === 'failed')
      pending.reject(new BotDeskError(msg.error.code, msg.error.message, msg.error.details));
    else pending.resolve(msg);
  }

  #onExit(w: WorkerSlot, how: string): void {
    w.proc = null;
    const blamed = this.#blameLoading(
      w,
      `importing it ended the compute worker (${how}; does it call process.exit?)`,
    );
    if (blamed !== null) {
      w.onReady?.(blamed);
      this.#rejectAll(w, blamed);
      return;
    }
    const lost = new BotDeskError(
      'COMPUTE_ERROR',
      `compute worker ${w.index} exited (${how})`,
      WORKER_LOST,
    );
    w.onReady?.(lost);
    this.#rejectAll(w, lost);
    if (this.#closed) return;
    w.crashes++;
    this.#log(
      'warn',
      `compute worker ${w.index} exited unexpectedly (${how}); restarting it and rebuilding its ${w.pairs.size} pair(s)`,
    );
    if (w.state === 'ready') void this.#recover(w);
  }

  #rejectAll(w: WorkerSlot, err: BotDeskError): void {
    for (const p of w.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    w.pending.clear();
  }

  /** One request/reply with a deadline; missing it kills the worker (its pairs get rebuilt). */
  #request<T extends FromWorker['type']>(
    w: WorkerSlot,
    msg: WorkerRequest,
    deadlineMs: number,
    expect: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    const proc = w.proc;
    if (proc === null)
      return Promise.reject(
        new BotDeskError('COMPUTE_ERROR', `compute worker ${w.index} is not running`, WORKER_LOST),
      );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#log(
          'warn',
          `compute worker ${w.index} missed its ${deadlineMs} ms deadline on '${msg.type}'; killing it`,
        );
        this.#retire(
          w,
          new BotDeskError(
            'TIMEOUT',
            `compute worker ${w.index} missed its ${deadlineMs} ms deadline (${msg.type}); it was killed and is being replaced`,
            WORKER_LOST,
          ),
        );
      }, deadlineMs);
      w.pending.set(msg.id, {
        resolve: (reply) => {
          if (reply.type === expect) resolve(reply as Extract<FromWorker, { type: T }>);
          else
            reject(
              new BotDeskError(
                'COMPUTE_ERROR',
                `compute worker ${w.index} answered '${reply.type}' to '${msg.type}'`,
              ),
            );
        },
        reject,
        timer,
      });
      proc.send(msg);
    });
  }

  #nextId(): number {
    return ++this.#requestSeq;
  }

  /**
   * (Re)starts a worker and rebuilds its pairs. Runs for the initial start, after a
   * crash or a deadline kill; retries with backoff until it succeeds or the pool closes.
   */
  async #recover(w: WorkerSlot): Promise<void> {
    if (w.state !== 'starting') w.state = 'recovering';
    for (const pair of w.pairs) if (pair.status === 'ok') pair.status = 'rebuilding';
    let failedStarts = 0;
    while (!this.#closed) {
      if (w.crashes > 0) await delay(Math.min(5000, 100 * 2 ** (w.crashes - 1)));
      if (this.#closed) break;
      try {
        await this.#spawn(w);
      } catch (err) {
        // One file was to blame and is skipped from now on: start again at once.
        if (isBlamed(err)) continue;
        w.lastError = (err as Error).message;
        if (!this.#closed)
          this.#log('error', `compute worker ${w.index} failed to start: ${w.lastError}`);
        w.crashes = Math.max(w.crashes, 1);
        if (
          ++failedStarts >= 2 &&
          this.#strategiesDir !== null &&
          !this.#userStrategiesOff &&
          !this.#closed
        ) {
          this.#userStrategiesOff = true;
          this.#log(
            'error',
            `user strategies disabled: compute workers failed to start twice while loading ${this.#strategiesDir} (a file that hangs or exits when imported?); saving a file there tries again`,
          );
        }
        continue;
      }
      if (
        await this.#rebuild(
          w,
          [...w.pairs].filter((p) => p.status === 'rebuilding'),
          true,
        )
      ) {
        w.state = 'ready';
        const waiters = this.#readyWaiters;
        this.#readyWaiters = [];
        for (const wake of waiters) wake();
        return;
      }
    }
  }

  /**
   * Replays each pair's tail into the worker, then catches up with candles that arrived
   * meanwhile. With `blame`, a pair whose replay loses the worker is quarantined (it made
   * the worker hang or crash) and false is returned so the caller starts over.
   */
  async #rebuild(w: WorkerSlot, pairs: PairEntry[], blame: boolean): Promise<boolean> {
    const live = (p: PairEntry) =>
      this.#pairs.get(p.key) === p && p.worker === w && p.status === 'rebuilding';
    const step = async (pair: PairEntry, run: () => Promise<unknown>): Promise<boolean> => {
      try {
        await run();
        return true;
      } catch (err) {
        const lost = isWorkerLost(err);
        if ((lost && !blame) || this.#closed) return false;
        const code = lost ? failureCode(err) : 'STRATEGY_ERROR';
        pair.status = 'quarantined';
        const what = lost
          ? 'replaying its candles stopped its worker'
          : 'its strategy could not be rebuilt';
        pair.problem = {
          code,
          message: `${pair.key} quarantined (${what}): ${(err as Error).message}`,
        };
        this.#log('error', pair.problem.message);
        return !lost;
      }
    };
    for (const pair of pairs) {
      if (!live(pair)) continue;
      if (!(await step(pair, () => this.#install(w, pair)))) return false;
    }
    for (;;) {
      const lagging = pairs.filter((p) => live(p) && p.seq > p.builtSeq);
      if (lagging.length === 0) break;
      for (const pair of lagging) {
        if (!live(pair)) continue;
        if (!(await step(pair, () => this.#catchUp(w, pair)))) return false;
      }
    }
    for (const pair of pairs) {
      if (live(pair)) {
        pair.status = 'ok';
        pair.problem = null;
      }
    }
    return true;
  }

  async #install(w: WorkerSlot, pair: PairEntry): Promise<void> {
    pair.builtSeq = pair.seq;
    await this.#request(
      w,
      {
        v: PROTOCOL_VERSION,
        type: 'add',
        id: this.#nextId(),
        slot: pair.slot,
        strategy: pair.strategy,
        history: packed(pair.tail),
        tolerant: true,
        tailOutputs: 0,
      },
      this.#replayDeadlineMs,
      'added',
    );
  }

  async #catchUp(w: WorkerSlot, pair: PairEntry): Promise<void> {
    const missing = pair.seq - pair.builtSeq;
    if (missing > pair.tail.length) return this.#install(w, pair);
    pair.builtSeq = pair.seq;
    const candles = pair.tail.slice(pair.tail.length - missing);
    await this.#request(
      w,
      {
        v: PROTOCOL_VERSION,
        type: 'tick',
        id: this.#nextId(),
        slots: Int32Array.of(pair.slot),
        counts: Int32Array.of(missing),
        candles: packed(candles),
      },
      this.#replayDeadlineMs,
      'ticked',
    );
  }

  // ---- user strategy hot reload -------------------------------------------------------

  #watch(dir: string): void {
    ensurePrivateDir(dir);
    this.#watcher = watch(dir, () => {
      if (this.#reloadTimer !== null) clearTimeout(this.#reloadTimer);
      // Editors write files in several steps; reload once they are done.
      this.#reloadTimer = setTimeout(() => {
        this.#reloadTimer = null;
        void this.#reload();
      }, 150);
    });
    this.#watcher.on('error', (err) => this.#log('warn', `watching ${dir} failed: ${err.message}`));
  }

  async #reload(): Promise<void> {
    this.#userStrategiesOff = false;
    await Promise.all(
      this.#workers.map(async (w) => {
        if (this.#closed || w.state !== 'ready') return;
        const user = this.#userFolder();
        if (user?.readPaths.some((p) => !w.granted.has(p))) {
          // A new file: this process may not read it. A new process may (its pairs are rebuilt).
          this.#log('info', `compute worker ${w.index} restarts to load new user strategy files`);
          this.#retire(
            w,
            new BotDeskError(
              'COMPUTE_ERROR',
              `compute worker ${w.index} restarted to load new user strategy files`,
              WORKER_LOST,
            ),
          );
          return;
        }
        try {
          const { strategies } = await this.#request(
            w,
            {
              v: PROTOCOL_VERSION,
              type: 'reload',
              id: this.#nextId(),
              strategies: user?.folder ?? null,
            },
            this.#replayDeadlineMs,
            'described',
          );
          if (w.index === 0) {
            for (const s of strategies)
              if (s.error !== undefined) this.#log('warn', `user strategy ${s.error}`);
            this.#log(
              'info',
              `user strategies reloaded: ${
                strategies
                  .filter((s) => s.origin === 'user' && s.error === undefined)
                  .map((s) => s.id)
                  .join(', ') || 'none'
              }`,
            );
          }
        } catch (err) {
          if (!this.#closed)
            this.#log(
              'warn',
              `compute worker ${w.index} could not reload user strategies: ${(err as Error).message}`,
            );
          return;
        }
        const affected = [...w.pairs].filter(
          (p) => getBuiltinStrategy(p.strategy.id) === undefined,
        );
        for (const pair of affected) pair.status = 'rebuilding';
        await this.#rebuild(w, affected, false);
      }),
    );
  }

  // ---- ComputePool ----------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new BotDeskError('INVALID_STATE', 'the compute pool is closed');
  }

  /**
   * The least-loaded worker that is ready or still starting (so pairs spread over every
   * worker at start-up), waiting — bounded — for it; while all workers are being
   * replaced, the first one that is ready again.
   */
  async #readyWorker(): Promise<WorkerSlot> {
    // Room for two failed starts and a third without user strategies (see #userStrategiesOff).
    const patienceMs = 3 * this.#replayDeadlineMs + 2000;
    const giveUpAt = Date.now() + patienceMs;
    for (;;) {
      this.#assertOpen();
      let best: WorkerSlot | null = null;
      for (const w of this.#workers) {
        if (w.state !== 'ready' && w.state !== 'starting') continue;
        if (best === null || w.pairs.size + w.adding < best.pairs.size + best.adding) best = w;
      }
      if (best?.state === 'ready') return best;
      const wait = giveUpAt - Date.now();
      if (wait <= 0) {
        const why = this.#workers.map((w) => w.lastError).find((e) => e !== null);
        throw new BotDeskError(
          'COMPUTE_ERROR',
          `no compute worker became ready within ${patienceMs} ms${why ? `: ${why}` : ''}`,
        );
      }
      if (best !== null) best.adding++;
      try {
        await Promise.race([
          new Promise<void>((resolve) => this.#readyWaiters.push(resolve)),
          delay(wait),
        ]);
      } finally {
        if (best !== null) best.adding--;
      }
    }
  }

  async addPair(spec: PairSpec): Promise<Signal[]> {
    this.#assertOpen();
    if (typeof spec.key !== 'string' || spec.key.length === 0)
      throw new BotDeskError('INVALID_INPUT', 'pair key must be a non-empty string');
    const reportTail = spec.reportTail ?? 0;
    if (!Number.isInteger(reportTail) || reportTail < 0)
      throw new BotDeskError(
        'INVALID_INPUT',
        `reportTail of '${spec.key}' must be a non-negative integer, got ${String(reportTail)}`,
      );
    if (this.#pairs.has(spec.key) || this.#adding.has(spec.key))
      throw new BotDeskError('INVALID_INPUT', `pair '${spec.key}' is already in the compute pool`);
    checkCandles(spec.key, spec.history, -Infinity);
    this.#adding.add(spec.key);
    try {
      const w = await this.#readyWorker();
      const slot = w.freeSlots.pop() ?? w.nextSlot++;
      let added: Extract<FromWorker, { type: 'added' }>;
      w.adding++;
      try {
        added = await this.#request(
          w,
          {
            v: PROTOCOL_VERSION,
            type: 'add',
            id: this.#nextId(),
            slot,
            strategy: spec.strategy,
            history: packed(spec.history),
            tolerant: false,
            tailOutputs: reportTail,
          },
          this.#replayDeadlineMs,
          'added',
        );
      } catch (err) {
        w.freeSlots.push(slot);
        throw err instanceof BotDeskError && isWorkerLost(err)
          ? new BotDeskError(
              err.code,
              `adding '${spec.key}' (strategy '${spec.strategy.id}') lost its worker: ${err.message}`,
            )
          : err;
      } finally {
        w.adding--;
      }
      const reported = spec.history.slice(
        spec.history.length - Math.min(reportTail, spec.history.length),
      );
      const signals =
        added.out.length === reported.length * (OUTPUT_HEADER + added.indicators.length)
          ? decodeSignals(added.out, 0, spec.symbol, added.indicators, reported)
          : null;
      if (signals === null) {
        const problem = `compute worker ${w.index} answered adding '${spec.key}' with outputs outside the protocol; it was killed and is being replaced`;
        this.#log('error', problem);
        w.freeSlots.push(slot);
        this.#retire(w, new BotDeskError('COMPUTE_ERROR', problem, WORKER_LOST));
        throw new BotDeskError('COMPUTE_ERROR', problem);
      }
      const tailLimit = Math.max(this.#tailCandles, added.warmup + 1);
      const tail = spec.history.slice(-tailLimit);
      const entry: PairEntry = {
        key: spec.key,
        symbol: spec.symbol,
        strategy: spec.strategy,
        worker: w,
        slot,
        indicators: added.indicators,
        tailLimit,
        tail,
        seq: tail.length,
        builtSeq: tail.length,
        lastTs: spec.history.at(-1)?.ts ?? -Infinity,
        status: 'ok',
        problem: null,
      };
      this.#pairs.set(spec.key, entry);
      w.pairs.add(entry);
      return signals;
    } finally {
      this.#adding.delete(spec.key);
    }
  }

  async removePair(key: string): Promise<void> {
    if (this.#closed) return;
    const pair = this.#pairs.get(key);
    if (pair === undefined)
      throw new BotDeskError('NOT_FOUND', `pair '${key}' is not in the compute pool`);
    this.#pairs.delete(key);
    const w = pair.worker;
    w.pairs.delete(pair);
    if (w.state === 'ready' && w.proc !== null) {
      try {
        await this.#request(
          w,
          { v: PROTOCOL_VERSION, type: 'remove', id: this.#nextId(), slot: pair.slot },
          this.#deadlineMs,
          'removed',
        );
      } catch {
        // The worker went away: its replacement never gets this pair, so there is nothing to undo.
      }
    }
    w.freeSlots.push(pair.slot);
  }

  async evaluate(
    updates: ReadonlyArray<{ key: string; candles: Candle[] }>,
    opts: EvaluateOptions = {},
  ): Promise<PairResult[]> {
    this.#assertOpen();
    const signal = opts.signal;
    if (signal?.aborted) throw new BotDeskError('CANCELLED', 'evaluation cancelled');
    // Validate everything before changing anything.
    const entries: PairEntry[] = [];
    const seen = new Set<string>();
    for (const u of updates) {
      const pair = this.#pairs.get(u.key);
      if (pair === undefined)
        throw new BotDeskError('NOT_FOUND', `pair '${u.key}' is not in the compute pool`);
      if (seen.has(u.key))
        throw new BotDeskError('INVALID_INPUT', `pair '${u.key}' appears twice in one evaluation`);
      seen.add(u.key);
      checkCandles(u.key, u.candles, pair.lastTs);
      entries.push(pair);
    }

    const results: PairResult[] = new Array(updates.length);
    const batches = new Map<WorkerSlot, number[]>();
    for (let i = 0; i < updates.length; i++) {
      const pair = entries[i]!;
      const candles = updates[i]!.candles;
      this.#append(pair, candles);
      if (pair.status !== 'ok') {
        results[i] = {
          key: pair.key,
          ok: false,
          // Rebuilding pairs recover by themselves; a quarantined one has failed for good.
          degraded: pair.status === 'rebuilding',
          error: pair.problem ?? {
            code: 'COMPUTE_ERROR',
            message: `${pair.key}: strategy state is being rebuilt after a worker restart`,
          },
        };
      } else if (candles.length === 0) {
        results[i] = { key: pair.key, ok: true, signals: [] };
      } else {
        let batch = batches.get(pair.worker);
        if (batch === undefined) batches.set(pair.worker, (batch = []));
        batch.push(i);
      }
    }

    const deadlineMs = opts.deadlineMs ?? this.#deadlineMs;
    const work = Promise.all(
      [...batches].map(([w, batch]) =>
        this.#runBatch(w, batch, updates, entries, results, deadlineMs),
      ),
    );
    // After an abort nobody awaits `work` any more; its later rejection (pool closed) is expected.
    work.catch(() => {});
    if (signal === undefined) await work;
    else {
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new BotDeskError('CANCELLED', 'evaluation cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([work, aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    return results;
  }

  #append(pair: PairEntry, candles: readonly Candle[]): void {
    if (candles.length === 0) return;
    for (const c of candles) pair.tail.push(c);
    // Trim in bulk so appending stays amortised O(1).
    if (pair.tail.length > 2 * pair.tailLimit)
      pair.tail.splice(0, pair.tail.length - pair.tailLimit);
    pair.seq += candles.length;
    pair.lastTs = candles[candles.length - 1]!.ts;
  }

  async #runBatch(
    w: WorkerSlot,
    batch: number[],
    updates: ReadonlyArray<{ key: string; candles: Candle[] }>,
    entries: PairEntry[],
    results: PairResult[],
    deadlineMs: number,
  ): Promise<void> {
    const slots = new Int32Array(batch.length);
    const counts = new Int32Array(batch.length);
    let total = 0;
    for (let b = 0; b < batch.length; b++) {
      const i = batch[b]!;
      slots[b] = entries[i]!.slot;
      counts[b] = updates[i]!.candles.length;
      total += counts[b]!;
    }
    const candles = new Float64Array(total * CANDLE_STRIDE);
    let offset = 0;
    for (const i of batch) offset = packCandles(updates[i]!.candles, candles, offset);

    let reply: Extract<FromWorker, { type: 'ticked' }>;
    try {
      reply = await this.#request(
        w,
        { v: PROTOCOL_VERSION, type: 'tick', id: this.#nextId(), slots, counts, candles },
        deadlineMs,
        'ticked',
      );
    } catch (err) {
      if (this.#closed) throw err;
      const error: PairFailure = { code: failureCode(err), message: (err as Error).message };
      for (const i of batch)
        results[i] = { key: entries[i]!.key, ok: false, degraded: true, error };
      return;
    }
    const out = reply.out;
    let expected = 0;
    for (const i of batch)
      expected += updates[i]!.candles.length * (OUTPUT_HEADER + entries[i]!.indicators.length);
    if (out.length !== expected) {
      const problem = `compute worker ${w.index} answered a tick with ${out.length} values instead of ${expected} (outside the protocol); it was killed and is being replaced`;
      this.#log('error', problem);
      this.#retire(w, new BotDeskError('COMPUTE_ERROR', problem, WORKER_LOST));
      for (const i of batch)
        results[i] = {
          key: entries[i]!.key,
          ok: false,
          degraded: true,
          error: { code: 'COMPUTE_ERROR', message: problem },
        };
      return;
    }
    w.crashes = 0;
    const failed = new Map(reply.errors.map((e) => [e.index, e.message]));
    let o = 0;
    let sinceYield = 0;
    for (let b = 0; b < batch.length; b++) {
      // A big batch (catch-up, many pairs) decodes in slices so this thread stays responsive.
      if (sinceYield >= DECODE_SLICE) {
        sinceYield = 0;
        await turn();
      }
      sinceYield += updates[batch[b]!]!.candles.length;
      const i = batch[b]!;
      const pair = entries[i]!;
      const names = pair.indicators;
      const width = OUTPUT_HEADER + names.length;
      const list = updates[i]!.candles;
      const message = failed.get(b);
      if (message !== undefined) {
        results[i] = {
          key: pair.key,
          ok: false,
          degraded: false,
          error: {
            code: 'STRATEGY_ERROR',
            message: `${pair.key} (strategy '${pair.strategy.id}'): ${message}`,
          },
        };
        o += list.length * width;
        continue;
      }
      const signals = decodeSignals(out, o, pair.symbol, names, list);
      o += list.length * width;
      results[i] =
        signals !== null
          ? { key: pair.key, ok: true, signals }
          : {
              key: pair.key,
              ok: false,
              degraded: false,
              error: {
                code: 'COMPUTE_ERROR',
                message: `${pair.key}: the worker's answer was outside the protocol`,
              },
            };
    }
  }

  /** Built-in and user strategies as the workers see them (user code never runs in this process). */
  async strategies(): Promise<StrategyInfo[]> {
    const w = await this.#readyWorker();
    const reply = await this.#request(
      w,
      { v: PROTOCOL_VERSION, type: 'describe', id: this.#nextId() },
      this.#replayDeadlineMs,
      'described',
    );
    return reply.strategies;
  }

  pids(): number[] {
    return this.#workers.flatMap((w) => (w.proc?.pid === undefined ? [] : [w.proc.pid]));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#watcher?.close();
    if (this.#reloadTimer !== null) clearTimeout(this.#reloadTimer);
    for (const wake of this.#readyWaiters) wake();
    this.#readyWaiters = [];
    const cancelled = new BotDeskError('CANCELLED', 'the compute pool was closed');
    const exits: Promise<unknown>[] = [];
    for (const w of this.#workers) {
      w.state = 'closed';
      w.onReady?.(cancelled);
      this.#rejectAll(w, cancelled);
      const proc = w.proc;
      if (proc === null) continue;
      proc.send({ v: PROTOCOL_VERSION, type: 'shutdown' });
      exits.push(proc.exited);
    }
    const all = Promise.all([...exits, ...this.#dying]);
    await Promise.race([all, delay(this.#closeGraceMs)]);
    for (const w of this.#workers) w.proc?.kill();
    // SIGKILL is prompt; the cap only guards against a host that never reports the exit.
    await Promise.race([all, delay(5000)]);
  }
}

/** A ComputePool that can also describe the strategies its workers load. */
export type StrategyComputePool = ComputePool & { strategies(): Promise<StrategyInfo[]> };

export function createComputePool(opts: ComputePoolOptions = {}): StrategyComputePool {
  return new Pool(opts);
}
