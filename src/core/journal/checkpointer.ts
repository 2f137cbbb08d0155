/**
 * WAL checkpoints of the journal, kept out of the tick's commit. With SQLite's automatic
 * checkpoint, the commit that crosses 1000 WAL pages also copies every page back into the
 * database file and fsyncs it — the tail of the commit time. The journal's connection turns
 * that off (`wal_autocheckpoint = 0`) and this worker thread, on its own connection, runs a
 * PASSIVE checkpoint every `intervalMs` when something was committed since the last one.
 * A PASSIVE checkpoint never blocks the writer; the writer keeps fsyncing the WAL on every
 * commit (synchronous FULL), so durability does not depend on checkpoints at all: they only
 * bound the WAL's size. SQLite overwrites WAL frames only after a checkpoint has copied and
 * fsynced them into the database file (this connection's synchronous is FULL too).
 *
 * Control goes through shared memory, so `close()` is synchronous: it asks the thread to
 * stop, waits until its connection is closed, and then the writer's own close (the last
 * connection) checkpoints what is left and removes the WAL as usual. If the thread fails,
 * `failed` turns true and the journal goes back to SQLite's automatic checkpoints.
 */
import { Worker } from 'node:worker_threads';

/** ctl[STATE]: RUN → STOP (asked) → STOPPED, or FAILED. */
const STATE = 0;
/** ctl[COMMITS]: bumped by the writer after every commit. */
const COMMITS = 1;
/** ctl[DONE]: checkpoints that ran (for tests and benchmarks). */
const DONE = 2;
const RUN = 0;
const STOP = 1;
const STOPPED = 2;
const FAILED = 3;

/**
 * The thread's code, evaluated as a script (no file to locate in a bundle or an asar).
 * Synchronous on purpose: Atomics.wait sleeps until the interval ends or close() wakes it.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
let db;
try {
  const { DatabaseSync } = require('node:sqlite');
  db = new DatabaseSync(workerData.file);
  db.exec('PRAGMA busy_timeout = 0; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  // From 0: commits made while the thread was starting are checkpointed at its first wake.
  let seen = 0;
  while (Atomics.load(ctl, ${STATE}) === ${RUN}) {
    Atomics.wait(ctl, ${STATE}, ${RUN}, workerData.intervalMs);
    if (Atomics.load(ctl, ${STATE}) !== ${RUN}) break;
    const commits = Atomics.load(ctl, ${COMMITS});
    if (commits === seen) continue;
    seen = commits;
    checkpoint.get();
    Atomics.add(ctl, ${DONE}, 1);
  }
  db.close();
  Atomics.store(ctl, ${STATE}, ${STOPPED});
} catch (err) {
  try { if (db && db.isOpen) db.close(); } catch {}
  Atomics.store(ctl, ${STATE}, ${FAILED});
  throw err;
} finally {
  Atomics.notify(ctl, ${STATE});
}
`;

export interface CheckpointerOptions {
  /** Longest wait between checkpoints while commits come in. */
  intervalMs: number;
  /** How long `close()` waits for a checkpoint in progress. */
  closeTimeoutMs?: number;
}

export class WalCheckpointer {
  readonly #ctl: Int32Array;
  readonly #worker: Worker;
  readonly #closeTimeoutMs: number;
  #error: unknown = null;

  constructor(file: string, opts: CheckpointerOptions) {
    this.#ctl = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, ctl: this.#ctl.buffer, intervalMs: opts.intervalMs },
    });
    // A journal left open must not keep the process alive.
    this.#worker.unref();
    this.#worker.on('error', (err) => {
      this.#error = err;
      Atomics.store(this.#ctl, STATE, FAILED);
    });
  }

  /** Called after every commit: the next interval checkpoints it. */
  committed(): void {
    Atomics.add(this.#ctl, COMMITS, 1);
  }

  /** The thread failed (the journal must checkpoint by itself again). */
  get failed(): boolean {
    return Atomics.load(this.#ctl, STATE) === FAILED;
  }

  get error(): unknown {
    return this.#error;
  }

  /** Checkpoints run so far. */
  get checkpoints(): number {
    return Atomics.load(this.#ctl, DONE);
  }

  /** Stops the thread and waits (synchronously) until its connection is closed. */
  close(): void {
    if (Atomics.compareExchange(this.#ctl, STATE, RUN, STOP) === RUN) {
      Atomics.notify(this.#ctl, STATE);
    }
    const deadline = Date.now() + this.#closeTimeoutMs;
    for (;;) {
      const state = Atomics.load(this.#ctl, STATE);
      if (state === STOPPED || state === FAILED) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.#ctl, STATE, state, left);
    }
    void this.#worker.terminate();
  }
}
