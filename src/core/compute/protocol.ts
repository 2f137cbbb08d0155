/**
 * The one message protocol between the ComputePool and its worker processes
 * (child_process.fork with 'advanced' serialization, or Electron utilityProcess —
 * both structured-clone typed arrays). Bump PROTOCOL_VERSION on any change.
 *
 * Throughput matters (a tick may carry hundreds of thousands of candles), so a tick
 * is one message per worker with flat typed arrays instead of candle objects.
 */
import { ERROR_CODES, type ErrorInfo } from '../api/errors.ts';
import type { Candle, SignalAction, StrategyInfo, StrategyRef } from '../api/schemas.ts';
import type { BacktestJob, RunOutcome } from '../backtest/job.ts';

export const PROTOCOL_VERSION = 3;

/** Candle layout in a Float64Array: ts, open, high, low, close, volume. */
export const CANDLE_STRIDE = 6;
/**
 * Output layout per candle: action code, strength, the entry's own stop and target prices
 * (NaN = none), then one value per indicator (NaN = null).
 */
export const OUTPUT_HEADER = 4;

export const ACTION_CODES: readonly SignalAction[] = ['hold', 'enter_long', 'exit'];

/**
 * The user strategy folder as the pool hands it to a worker: the entries it may load (it
 * cannot list the folder itself, see strategy-folder.ts) and those it must not import,
 * with the reason. A `stamp` (mtime-size) limits a verdict to that version of the file.
 */
export interface UserFolder {
  dir: string;
  names: string[];
  skip: Record<string, { reason: string; stamp?: string }>;
}

export type ToWorker =
  | { v: number; type: 'init'; strategies: UserFolder | null }
  | { v: number; type: 'describe'; id: number }
  | { v: number; type: 'reload'; id: number; strategies: UserFolder | null }
  | {
      v: number;
      type: 'add';
      id: number;
      slot: number;
      strategy: StrategyRef;
      history: Float64Array;
      /** Rebuild after a restart: keep going past candles that throw instead of failing the add. */
      tolerant: boolean;
      /** How many of the last history candles to report outputs for (0: none, e.g. on a rebuild). */
      tailOutputs: number;
    }
  | { v: number; type: 'remove'; id: number; slot: number }
  | {
      v: number;
      type: 'tick';
      id: number;
      /** Pair slots in this batch, and how many candles each has in `candles` (in order). */
      slots: Int32Array;
      counts: Int32Array;
      candles: Float64Array;
    }
  | { v: number; type: 'shutdown' }
  /** Backtests (issue 8): one strategy, one or more parameter sets, the candles as columns. */
  | { v: number; type: 'backtest'; id: number; job: BacktestJob };

export type FromWorker =
  | { type: 'ready'; v: number; pid: number }
  /** Sent before importing each user file: if the worker dies or hangs now, that file did it. */
  | { type: 'loading'; file: string; stamp: string }
  | { type: 'fatal'; message: string }
  | { type: 'described'; id: number; strategies: StrategyInfo[] }
  | {
      type: 'added';
      id: number;
      warmup: number;
      indicators: string[];
      /** Outputs of the last `tailOutputs` history candles, laid out as a tick's `out`. */
      out: Float64Array;
    }
  | { type: 'removed'; id: number }
  | {
      type: 'ticked';
      id: number;
      /** Per candle of the batch, in order: OUTPUT_HEADER + the pair's indicator count values. */
      out: Float64Array;
      /** Batch indexes of pairs whose strategy threw, with the first error. */
      errors: Array<{ index: number; message: string }>;
    }
  | { type: 'failed'; id: number; error: ErrorInfo }
  /** Runs of a backtest job finished so far (sent after each). */
  | { type: 'backtest-progress'; id: number; done: number }
  | { type: 'backtested'; id: number; outcomes: RunOutcome[] };

/**
 * Whether a message from a worker has the protocol's shape. Workers run user code, which
 * can post to the pool too (process.send / parentPort): the pool checks before it reads.
 */
export function isFromWorker(m: unknown): m is FromWorker {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  const hasId = typeof r.id === 'number';
  switch (r.type) {
    case 'ready':
      return typeof r.v === 'number';
    case 'fatal':
      return typeof r.message === 'string';
    case 'loading':
      return typeof r.file === 'string' && typeof r.stamp === 'string';
    case 'described':
      return hasId && Array.isArray(r.strategies);
    case 'added':
      return (
        hasId &&
        typeof r.warmup === 'number' &&
        r.out instanceof Float64Array &&
        Array.isArray(r.indicators) &&
        r.indicators.every((n) => typeof n === 'string')
      );
    case 'removed':
      return hasId;
    case 'ticked':
      return hasId && r.out instanceof Float64Array && Array.isArray(r.errors);
    case 'backtest-progress':
      return hasId && typeof r.done === 'number';
    case 'backtested':
      return hasId && Array.isArray(r.outcomes);
    case 'failed': {
      const e = r.error as { code?: unknown; message?: unknown } | null | undefined;
      return (
        hasId &&
        (ERROR_CODES as readonly unknown[]).includes(e?.code) &&
        typeof e?.message === 'string'
      );
    }
    default:
      return false;
  }
}

/** Requests that get a reply carrying the same id. */
export type WorkerRequest = Extract<ToWorker, { id: number }>;

export function packCandles(
  candles: readonly Candle[],
  into: Float64Array,
  offset: number,
): number {
  let o = offset;
  for (const c of candles) {
    into[o] = c.ts;
    into[o + 1] = c.open;
    into[o + 2] = c.high;
    into[o + 3] = c.low;
    into[o + 4] = c.close;
    into[o + 5] = c.volume;
    o += CANDLE_STRIDE;
  }
  return o;
}

/** Fills `candle` in place (the hot path reuses one object). */
export function readCandle(from: Float64Array, offset: number, candle: Candle): Candle {
  candle.ts = from[offset]!;
  candle.open = from[offset + 1]!;
  candle.high = from[offset + 2]!;
  candle.low = from[offset + 3]!;
  candle.close = from[offset + 4]!;
  candle.volume = from[offset + 5]!;
  return candle;
}
