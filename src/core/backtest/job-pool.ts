/**
 * Compute workers for backtests: the same worker processes and entry as the strategy pool
 * (user code never runs in this process), started for one backtest or grid and closed
 * after it. Each worker runs one job at a time; cancelling kills them all at once, so a
 * cancelled grid leaves no process behind.
 */
import { availableParallelism } from 'node:os';
import { BotDeskError } from '../api/errors.ts';
import type { StrategyInfo } from '../api/schemas.ts';
import {
  forkWorkerHost,
  workerEnv,
  workerReadPaths,
  type WorkerHost,
  type WorkerProcess,
} from '../compute/host.ts';
import { isFromWorker, PROTOCOL_VERSION, type FromWorker } from '../compute/protocol.ts';
import { userFolderFor } from '../compute/user-file-verdicts.ts';
import { resolveWorkerEntry } from '../compute/worker-location.ts';
import type { BacktestJob, RunOutcome } from './job.ts';

export interface JobPoolOptions {
  /** Worker processes (default: the machine's cores). */
  size?: number;
  host?: WorkerHost;
  entry?: string;
  /** User strategy folder the workers load. */
  strategiesDir?: string | null;
  /** Deadline for a worker to start and load user strategies. Default 30 s. */
  startTimeoutMs?: number;
}

interface Slot {
  proc: WorkerProcess;
  busy: boolean;
  exitReason: string | null;
  waiting: ((msg: FromWorker) => void) | null;
  lost: ((err: BotDeskError) => void) | null;
}

export function defaultJobPoolSize(): number {
  return Math.max(1, availableParallelism());
}

export class JobPool {
  readonly #slots: Slot[];
  #closed = false;
  #seq = 0;
  readonly #idle: Array<() => void> = [];

  private constructor(slots: Slot[]) {
    this.#slots = slots;
  }

  static async start(opts: JobPoolOptions = {}): Promise<JobPool> {
    const size = opts.size ?? defaultJobPoolSize();
    if (!Number.isInteger(size) || size < 1 || size > 256)
      throw new BotDeskError('INVALID_INPUT', `backtest workers must be 1 to 256, got ${size}`);
    const host = opts.host ?? forkWorkerHost;
    const entry = opts.entry ?? resolveWorkerEntry();
    const user = opts.strategiesDir ? userFolderFor(opts.strategiesDir) : null;
    const slots: Slot[] = [];
    for (let i = 0; i < size; i++) {
      const proc = host.spawn(entry, {
        name: `botdesk-backtest-${i}`,
        env: workerEnv(),
        readPaths: workerReadPaths(entry, user?.readPaths ?? []),
      });
      const slot: Slot = { proc, busy: false, exitReason: null, waiting: null, lost: null };
      proc.onMessage((m) => {
        if (!isFromWorker(m)) {
          slot.exitReason =
            'it sent a message outside the protocol (a strategy writing to its process channel?)';
          proc.kill();
          return;
        }
        slot.waiting?.(m);
      });
      void proc.exited.then((exit) => {
        slot.exitReason ??= `exited (code ${String(exit.code)}${exit.signal ? `, signal ${exit.signal}` : ''})`;
        slot.lost?.(new BotDeskError('COMPUTE_ERROR', `backtest worker ${i} ${slot.exitReason}`));
      });
      slots.push(slot);
    }
    const pool = new JobPool(slots);
    try {
      await Promise.all(
        slots.map((slot) =>
          pool.#exchange(
            slot,
            { v: PROTOCOL_VERSION, type: 'init', strategies: user?.folder ?? null },
            'ready',
            opts.startTimeoutMs ?? 30_000,
          ),
        ),
      );
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** True once closed (cancelled or done with): its workers are gone. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True while every worker is alive (none exited or was killed). */
  get healthy(): boolean {
    return !this.#closed && this.#slots.every((s) => s.exitReason === null);
  }

  pids(): number[] {
    return this.#slots.flatMap((s) => (s.proc.pid === undefined ? [] : [s.proc.pid]));
  }

  /** Sends one message and waits for the reply of type `expect` (progress goes to `onProgress`). */
  #exchange(
    slot: Slot,
    msg: Parameters<WorkerProcess['send']>[0],
    expect: 'ready' | 'backtested' | 'described',
    timeoutMs: number | null,
    onProgress?: (done: number) => void,
  ): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        slot.waiting = null;
        slot.lost = null;
      };
      slot.lost = (err) => {
        finish();
        reject(err);
      };
      slot.waiting = (reply) => {
        if (reply.type === 'backtest-progress') {
          onProgress?.(reply.done);
          return;
        }
        // Start-up notes (the user file being imported) and fatal lines (followed by an exit).
        if (reply.type === 'fatal' || reply.type === 'loading') return;
        finish();
        if (reply.type === 'failed')
          reject(new BotDeskError(reply.error.code, reply.error.message, reply.error.details));
        else if (reply.type === expect) resolve(reply);
        else reject(new BotDeskError('COMPUTE_ERROR', `backtest worker answered '${reply.type}'`));
      };
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          slot.proc.kill();
          slot.lost?.(
            new BotDeskError('TIMEOUT', `a backtest worker did not start within ${timeoutMs} ms`),
          );
        }, timeoutMs);
      }
      if (slot.exitReason !== null) {
        finish();
        reject(new BotDeskError('COMPUTE_ERROR', `backtest worker ${slot.exitReason}`));
        return;
      }
      // false also means "queued behind a large message": a lost worker shows up as its exit.
      slot.proc.send(msg);
    });
  }

  /** Takes a free worker (marked busy before anyone else can look). */
  async #freeSlot(): Promise<Slot> {
    for (;;) {
      if (this.#closed) throw new BotDeskError('CANCELLED', 'the backtest was cancelled');
      const free = this.#slots.find((s) => !s.busy);
      if (free !== undefined) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
  }

  /** The strategies the workers can run (built-ins and the user folder's files). */
  async describe(): Promise<StrategyInfo[]> {
    const slot = await this.#freeSlot();
    try {
      const reply = await this.#exchange(
        slot,
        { v: PROTOCOL_VERSION, type: 'describe', id: ++this.#seq },
        'described',
        30_000,
      );
      return (reply as Extract<FromWorker, { type: 'described' }>).strategies;
    } finally {
      slot.busy = false;
      this.#idle.shift()?.();
    }
  }

  /** Runs a job on the next free worker; `onProgress` gets the runs done so far. */
  async run(job: BacktestJob, onProgress?: (done: number) => void): Promise<RunOutcome[]> {
    const slot = await this.#freeSlot();
    try {
      const reply = await this.#exchange(
        slot,
        { v: PROTOCOL_VERSION, type: 'backtest', id: ++this.#seq, job },
        'backtested',
        null,
        onProgress,
      );
      return (reply as Extract<FromWorker, { type: 'backtested' }>).outcomes;
    } catch (err) {
      if (this.#closed) throw new BotDeskError('CANCELLED', 'the backtest was cancelled');
      throw err;
    } finally {
      slot.busy = false;
      this.#idle.shift()?.();
    }
  }

  /** Kills every worker (running jobs reject with CANCELLED) and waits until all have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#idle.splice(0)) wake();
    for (const s of this.#slots) s.proc.kill();
    await Promise.all(this.#slots.map((s) => s.proc.exited));
  }
}
