/** What the bot engine needs from strategy compute (a pool of worker processes). */
import type { Candle, Signal, StrategyRef } from '../api/schemas.ts';

export interface PairSpec {
  /** Unique key of the pair in the pool, e.g. 'BTC/USDT@1m'. */
  key: string;
  symbol: string;
  strategy: StrategyRef;
  /** Closed candles used to warm the strategy state up (oldest first). */
  history: Candle[];
  /** How many of the last history candles addPair reports signals for (default 0). */
  reportTail?: number;
}

export type PairResult =
  | { key: string; ok: true; signals: Signal[]; degraded?: false }
  | {
      key: string;
      ok: false;
      error: { code: 'STRATEGY_ERROR' | 'TIMEOUT' | 'COMPUTE_ERROR'; message: string };
      /** true while the pool rebuilds the pair's state (it recovers by itself); false for a real failure. */
      degraded: boolean;
    };

export interface EvaluateOptions {
  signal?: AbortSignal;
  /** Per-tick deadline; a worker that exceeds it is killed and respawned. */
  deadlineMs?: number;
}

export interface ComputePool {
  /**
   * Create the pair's strategy state in one (sticky) worker, replaying `history`. Resolves
   * with the signals of the last `reportTail` history candles (oldest first, one per candle).
   */
  addPair(spec: PairSpec): Promise<Signal[]>;
  removePair(key: string): Promise<void>;
  /** Send only the new candles per pair, batched per worker; gather every result in parallel. */
  evaluate(
    updates: ReadonlyArray<{ key: string; candles: Candle[] }>,
    opts?: EvaluateOptions,
  ): Promise<PairResult[]>;
  /** pids of live worker processes (for leak checks). */
  pids(): number[];
  /** Kill every worker and reject pending requests; resolves when all have exited. */
  close(): Promise<void>;
}
