/** Placeholder until the backtest contract lands (branch `backtest`). */
import { createStore } from 'zustand/vanilla';

export interface BacktestState {
  available: boolean;
}

export function createBacktestStore() {
  return createStore<BacktestState>()(() => ({ available: false }));
}
