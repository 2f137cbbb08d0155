/**
 * The backtest page's projection: the backtest running (its progress from
 * `backtest:progress`), the result shown with the candles it ran on, the history of past
 * backtests and the ones picked to compare side by side.
 */
import { createStore } from 'zustand/vanilla';
import type {
  BacktestProgress,
  BacktestResult,
  BacktestSummary,
} from '../../../core/api/backtest.ts';
import type { Candle } from '../../../core/api/schemas.ts';

export interface BacktestState {
  running: { runId: string; progress: BacktestProgress | null } | null;
  result: BacktestResult | null;
  /** The candles of the result's first symbol, for the chart (empty when unknown). */
  candles: Candle[];
  history: BacktestSummary[];
  /** Results picked for the side-by-side comparison, in the order picked. */
  compare: BacktestResult[];
  error: string | null;
}

export interface BacktestActions {
  started(runId: string): void;
  applyProgress(p: BacktestProgress): void;
  finished(result: BacktestResult | null, error?: string | null): void;
  show(result: BacktestResult, candles?: Candle[]): void;
  applyCandles(candles: Candle[]): void;
  applyHistory(history: BacktestSummary[]): void;
  toggleCompare(result: BacktestResult): void;
}

export const MAX_COMPARED = 4;

export function createBacktestStore() {
  return createStore<BacktestState & BacktestActions>()((set) => ({
    running: null,
    result: null,
    candles: [],
    history: [],
    compare: [],
    error: null,
    started: (runId) => set({ running: { runId, progress: null }, error: null }),
    applyProgress: (progress) =>
      set((s) =>
        s.running && s.running.runId === progress.runId
          ? { running: { ...s.running, progress } }
          : s,
      ),
    finished: (result, error = null) =>
      set((s) => ({
        running: null,
        error,
        ...(result ? { result, candles: [] } : { result: s.result }),
      })),
    show: (result, candles = []) => set({ result, candles, error: null }),
    applyCandles: (candles) => set({ candles }),
    applyHistory: (history) => set({ history }),
    toggleCompare: (result) =>
      set((s) =>
        s.compare.some((r) => r.id === result.id)
          ? { compare: s.compare.filter((r) => r.id !== result.id) }
          : { compare: [...s.compare, result].slice(-MAX_COMPARED) },
      ),
  }));
}

export type BacktestStore = ReturnType<typeof createBacktestStore>;
