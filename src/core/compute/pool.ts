/**
 * ComputePool: strategy state of every pair lives in one worker process (sticky), each
 * tick sends only the new candles — one message per worker — and gathers all workers'
 * signals in parallel. Failures stay small: a strategy that throws fails its pair; a
 * worker that misses its deadline or crashes is replaced and its pairs are rebuilt
 * from the candle tail the pool keeps; a pair that hangs or crashes its worker again
 * during that replay is quarantined.
 *
 * This file keeps the pool's API, its pairs and the per-tick batching; the rest lives
 * beside it: workers.ts (worker processes, deadlines, respawn with backoff), pair-rebuild.ts
 * (replay and quarantine), strategy-reload.ts (hot reload of user strategies),
 * tick-batch.ts (one worker's share of a tick), pool-codec.ts (candles and signals on the
 * wire), worker-slot.ts (the shared records).
 */
import { availableParallelism } from 'node:os';
import { BotDeskError } from '../api/errors.ts';
import type { Candle, Signal, StrategyInfo } from '../api/schemas.ts';
import { forkWorkerHost, type WorkerHost } from './host.ts';
import { PairRebuilder } from './pair-rebuild.ts';
import { checkCandles, decodeSignals, packed } from './pool-codec.ts';
import { OUTPUT_HEADER, PROTOCOL_VERSION, type FromWorker } from './protocol.ts';
import { StrategyReloader } from './strategy-reload.ts';
import type { ComputePool, EvaluateOptions, PairResult, PairSpec } from './types.ts';
import { resolveWorkerEntry } from './worker-location.ts';
import { WORKER_LOST, isWorkerLost, type PairEntry, type WorkerSlot } from './worker-slot.ts';
import { runBatch } from './tick-batch.ts';
import { Workers } from './workers.ts';

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

function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

class Pool implements ComputePool {
  readonly #workers: Workers;
  readonly #rebuilder: PairRebuilder;
  readonly #reloader: StrategyReloader | null;
  readonly #deadlineMs: number;
  readonly #tailCandles: number;
  readonly #pairs = new Map<string, PairEntry>();
  readonly #adding = new Set<string>();
  #closing: Promise<void> | null = null;

  constructor(opts: ComputePoolOptions) {
    const size = opts.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1 || size > 256) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `compute pool size must be an integer from 1 to 256, got ${String(size)}`,
      );
    }
    const replayDeadlineMs = opts.replayDeadlineMs ?? 30_000;
    const strategiesDir = opts.strategiesDir ?? null;
    this.#workers = new Workers({
      size,
      host: opts.host ?? forkWorkerHost,
      entry: opts.entry ?? resolveWorkerEntry(),
      strategiesDir,
      replayDeadlineMs,
      closeGraceMs: opts.closeGraceMs ?? 300,
      importDeadlineMs: Math.min(opts.importDeadlineMs ?? 5000, replayDeadlineMs),
      maxHeapMb: opts.maxHeapMb ?? 1024,
      log: opts.onLog ?? (() => {}),
      rebuild: (w, pairs, blame) => this.#rebuilder.rebuild(w, pairs, blame),
    });
    this.#rebuilder = new PairRebuilder(this.#workers, (p) => this.#pairs.get(p.key) === p);
    this.#deadlineMs = opts.deadlineMs ?? 2000;
    this.#tailCandles = opts.tailCandles ?? 1000;
    // The watcher first: it creates the folder the workers are then granted.
    this.#reloader =
      strategiesDir !== null && (opts.watch ?? true)
        ? new StrategyReloader(strategiesDir, this.#workers, (w, pairs, blame) =>
            this.#rebuilder.rebuild(w, pairs, blame),
          )
        : null;
    this.#workers.start();
  }

  async addPair(spec: PairSpec): Promise<Signal[]> {
    this.#workers.assertOpen();
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
      const w = await this.#workers.readyWorker();
      const slot = w.freeSlots.pop() ?? w.nextSlot++;
      let added: Extract<FromWorker, { type: 'added' }>;
      w.adding++;
      try {
        added = await this.#workers.request(
          w,
          {
            v: PROTOCOL_VERSION,
            type: 'add',
            id: this.#workers.nextId(),
            slot,
            strategy: spec.strategy,
            history: packed(spec.history),
            tolerant: false,
            tailOutputs: reportTail,
          },
          this.#workers.replayDeadlineMs,
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
        this.#workers.log('error', problem);
        w.freeSlots.push(slot);
        this.#workers.retire(w, new BotDeskError('COMPUTE_ERROR', problem, WORKER_LOST));
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
    if (this.#workers.closed) return;
    const pair = this.#pairs.get(key);
    if (pair === undefined)
      throw new BotDeskError('NOT_FOUND', `pair '${key}' is not in the compute pool`);
    this.#pairs.delete(key);
    const w = pair.worker;
    w.pairs.delete(pair);
    if (w.state === 'ready' && w.proc !== null) {
      try {
        await this.#workers.request(
          w,
          { v: PROTOCOL_VERSION, type: 'remove', id: this.#workers.nextId(), slot: pair.slot },
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
    this.#workers.assertOpen();
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
        runBatch(this.#workers, w, batch, updates, entries, results, deadlineMs),
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

  /** Built-in and user strategies as the workers see them (user code never runs in this process). */
  async strategies(): Promise<StrategyInfo[]> {
    const w = await this.#workers.readyWorker();
    const reply = await this.#workers.request(
      w,
      { v: PROTOCOL_VERSION, type: 'describe', id: this.#workers.nextId() },
      this.#workers.replayDeadlineMs,
      'described',
    );
    return reply.strategies;
  }

  pids(): number[] {
    return this.#workers.pids();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#reloader?.close();
    await this.#workers.shutdown();
  }
}

/** A ComputePool that can also describe the strategies its workers load. */
export type StrategyComputePool = ComputePool & { strategies(): Promise<StrategyInfo[]> };

export function createComputePool(opts: ComputePoolOptions = {}): StrategyComputePool {
  return new Pool(opts);
}
