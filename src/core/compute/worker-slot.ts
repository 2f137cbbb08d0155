/**
 * The records the compute pool keeps per worker process and per pair, and how a failure
 * says "the worker is gone" (so the pair is rebuilt rather than failed). Shared by the
 * worker lifecycle (workers.ts), pair rebuilds (pair-rebuild.ts) and the pool itself.
 */
import { BotDeskError } from '../api/errors.ts';
import type { Candle, StrategyRef } from '../api/schemas.ts';
import type { WorkerProcess } from './host.ts';
import type { FromWorker } from './protocol.ts';
import type { PairResult } from './types.ts';

export interface Pending {
  resolve(msg: FromWorker): void;
  reject(err: BotDeskError): void;
  timer: NodeJS.Timeout;
}

export interface WorkerSlot {
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

export interface PairEntry {
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

export type PairFailure = Extract<PairResult, { ok: false }>['error'];

/** Rejections meaning "the worker process is gone" carry this in details. */
export const WORKER_LOST = { workerLost: true } as const;
/** A start that failed because of one user file (blamed; the next start skips it). */
export const BLAMED = { workerLost: true, blamed: true } as const;
export const isBlamed = (err: unknown): boolean =>
  err instanceof BotDeskError && (err.details as { blamed?: boolean } | undefined)?.blamed === true;

export const isWorkerLost = (err: unknown): boolean =>
  err instanceof BotDeskError &&
  (err.details as { workerLost?: boolean } | undefined)?.workerLost === true;

export const failureCode = (err: unknown): 'TIMEOUT' | 'COMPUTE_ERROR' =>
  err instanceof BotDeskError && err.code === 'TIMEOUT' ? 'TIMEOUT' : 'COMPUTE_ERROR';

/** A worker slot before its first process starts. */
export function newWorkerSlot(index: number): WorkerSlot {
  return {
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
}
