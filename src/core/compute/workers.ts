/**
 * The compute pool's worker processes: start-up (with a deadline per user file, so a file
 * that hangs or exits at import is named and skipped), one request/reply at a time with a
 * deadline, replacement after a crash or a missed deadline with exponential backoff, and
 * shutdown. Apart from the pool so the pool reads as pairs and ticks, and this file as
 * processes; the pairs a replacement must rebuild are rebuilt through the `rebuild` hook.
 */
import { BotDeskError } from '../api/errors.ts';
import { workerEnv, workerReadPaths, type WorkerHost } from './host.ts';
import { PROTOCOL_VERSION, isFromWorker, type FromWorker, type WorkerRequest } from './protocol.ts';
import { blameUserFile, userFolderFor } from './user-file-verdicts.ts';
import {
  BLAMED,
  WORKER_LOST,
  isBlamed,
  newWorkerSlot,
  type PairEntry,
  type WorkerSlot,
} from './worker-slot.ts';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface WorkersOptions {
  size: number;
  host: WorkerHost;
  entry: string;
  strategiesDir: string | null;
  replayDeadlineMs: number;
  closeGraceMs: number;
  importDeadlineMs: number;
  maxHeapMb: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /**
   * Rebuilds `pairs` in a (re)started worker; false when the worker was lost meanwhile
   * (with `blame`, the pair that lost it is quarantined), so the start is tried again.
   */
  rebuild: (w: WorkerSlot, pairs: PairEntry[], blame: boolean) => Promise<boolean>;
}

export class Workers {
  readonly slots: WorkerSlot[] = [];
  readonly strategiesDir: string | null;
  readonly replayDeadlineMs: number;
  readonly log: WorkersOptions['log'];
  readonly #host: WorkerHost;
  readonly #entry: string;
  readonly #closeGraceMs: number;
  readonly #importDeadlineMs: number;
  readonly #maxHeapMb: number;
  readonly #rebuild: WorkersOptions['rebuild'];
  readonly #folderWarnings = new Set<string>();
  #readyWaiters: Array<() => void> = [];
  /**
   * Set when workers keep failing to start while loading user files (one hangs or exits at
   * import): workers then start without them so built-in strategies keep running. The next
   * change in the folder tries again.
   */
  #userStrategiesOff = false;
  /** Exits of processes retired but maybe not gone yet; shutdown() waits for them too. */
  readonly #dying = new Set<Promise<unknown>>();
  #requestSeq = 0;
  #closed = false;

  constructor(opts: WorkersOptions) {
    this.strategiesDir = opts.strategiesDir;
    this.replayDeadlineMs = opts.replayDeadlineMs;
    this.log = opts.log;
    this.#host = opts.host;
    this.#entry = opts.entry;
    this.#closeGraceMs = opts.closeGraceMs;
    this.#importDeadlineMs = opts.importDeadlineMs;
    this.#maxHeapMb = opts.maxHeapMb;
    this.#rebuild = opts.rebuild;
    for (let index = 0; index < opts.size; index++) this.slots.push(newWorkerSlot(index));
  }

  /** Starts every worker (not in the constructor: the pool first prepares the user folder). */
  start(): void {
    for (const w of this.slots) void this.#recover(w);
  }

  get closed(): boolean {
    return this.#closed;
  }

  assertOpen(): void {
    if (this.#closed) throw new BotDeskError('INVALID_STATE', 'the compute pool is closed');
  }

  /** A change in the user folder: try user strategies again even if they were turned off. */
  retryUserStrategies(): void {
    this.#userStrategiesOff = false;
  }

  #spawn(w: WorkerSlot): Promise<void> {
    w.generation++;
    const generation = w.generation;
    const user = this.userFolder();
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
        this.retire(
          w,
          blamed ??
            new BotDeskError(
              'TIMEOUT',
              `compute worker ${w.index} did not start within ${this.replayDeadlineMs} ms`,
              WORKER_LOST,
            ),
        );
      };
      let timer = setTimeout(timedOut, this.replayDeadlineMs);
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
  userFolder(): ReturnType<typeof userFolderFor> | null {
    if (this.strategiesDir === null || this.#userStrategiesOff) return null;
    const user = userFolderFor(this.strategiesDir);
    for (const warning of user.warnings) {
      if (this.#folderWarnings.has(warning)) continue;
      this.#folderWarnings.add(warning);
      this.log('warn', warning);
    }
    return user;
  }

  /**
   * Blames the user file a starting worker was importing when it died or hung: the start
   * fails with an error saying so, and the next one skips that file.
   */
  #blameLoading(w: WorkerSlot, reason: string): BotDeskError | null {
    const loading = w.loading;
    if (loading === null || w.onReady === null || this.strategiesDir === null) return null;
    w.loading = null;
    blameUserFile(this.strategiesDir, loading.file, loading.stamp, reason);
    const message = `user strategy ${loading.file}: ${reason}; it is not loaded (saving the file tries again), the other strategies are`;
    this.log('error', message);
    return new BotDeskError('STRATEGY_ERROR', message, BLAMED);
  }

  /**
   * Kills the worker's process and forgets it at once (its pairs go degraded now, not
   * when the exit arrives), then starts the replacement unless a recovery already runs.
   */
  retire(w: WorkerSlot, err: BotDeskError): void {
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
      this.log('error', problem);
      this.retire(w, new BotDeskError('COMPUTE_ERROR', problem, WORKER_LOST));
      return;
    }
    if (msg.type === 'ready') {
      if (msg.v !== PROTOCOL_VERSION) {
        this.retire(
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
      this.log('error', `compute worker ${w.index}: ${msg.message}`);
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
    this.log(
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
  request<T extends FromWorker['type']>(
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
        this.log(
          'warn',
          `compute worker ${w.index} missed its ${deadlineMs} ms deadline on '${msg.type}'; killing it`,
        );
        this.retire(
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

  nextId(): number {
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
          this.log('error', `compute worker ${w.index} failed to start: ${w.lastError}`);
        w.crashes = Math.max(w.crashes, 1);
        if (
          ++failedStarts >= 2 &&
          this.strategiesDir !== null &&
          !this.#userStrategiesOff &&
          !this.#closed
        ) {
          this.#userStrategiesOff = true;
          this.log(
            'error',
            `user strategies disabled: compute workers failed to start twice while loading ${this.strategiesDir} (a file that hangs or exits when imported?); saving a file there tries again`,
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
   * The least-loaded worker that is ready or still starting (so pairs spread over every
   * worker at start-up), waiting — bounded — for it; while all workers are being
   * replaced, the first one that is ready again.
   */
  async readyWorker(): Promise<WorkerSlot> {
    // Room for two failed starts and a third without user strategies (see #userStrategiesOff).
    const patienceMs = 3 * this.replayDeadlineMs + 2000;
    const giveUpAt = Date.now() + patienceMs;
    for (;;) {
      this.assertOpen();
      let best: WorkerSlot | null = null;
      for (const w of this.slots) {
        if (w.state !== 'ready' && w.state !== 'starting') continue;
        if (best === null || w.pairs.size + w.adding < best.pairs.size + best.adding) best = w;
      }
      if (best?.state === 'ready') return best;
      const wait = giveUpAt - Date.now();
      if (wait <= 0) {
        const why = this.slots.map((w) => w.lastError).find((e) => e !== null);
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

  pids(): number[] {
    return this.slots.flatMap((w) => (w.proc?.pid === undefined ? [] : [w.proc.pid]));
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#readyWaiters) wake();
    this.#readyWaiters = [];
    const cancelled = new BotDeskError('CANCELLED', 'the compute pool was closed');
    const exits: Promise<unknown>[] = [];
    for (const w of this.slots) {
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
    for (const w of this.slots) w.proc?.kill();
    // SIGKILL is prompt; the cap only guards against a host that never reports the exit.
    await Promise.race([all, delay(5000)]);
  }
}
