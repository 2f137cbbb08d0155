/** One page of closed trades from main (`journal:trades`), with the filters that chose it. */
import { createStore } from 'zustand/vanilla';
import type { TradePage } from '../../../core/api/contract.ts';

export const TRADES_PAGE_SIZE = 25;

export interface TradeFilters {
  /** 'current' follows the run shown elsewhere; 'all' every run; else a run id. */
  run: string;
  symbol: string;
  outcome: '' | 'win' | 'loss';
  page: number;
}

export interface TradesState {
  filters: TradeFilters;
  result: TradePage | null;
  loading: boolean;
  error: string | null;
}

export interface TradesActions {
  setFilters(patch: Partial<TradeFilters>): void;
  loadStarted(): void;
  loaded(result: TradePage): void;
  loadFailed(error: string): void;
}

export function createTradesStore() {
  return createStore<TradesState & TradesActions>()((set) => ({
    filters: { run: 'current', symbol: '', outcome: '', page: 0 },
    result: null,
    loading: false,
    error: null,
    // another filter starts at the first page again
    setFilters: (patch) => set((s) => ({ filters: { ...s.filters, page: 0, ...patch } })),
    loadStarted: () => set({ loading: true }),
    loaded: (result) => set({ result, loading: false, error: null }),
    loadFailed: (error) => set({ loading: false, error }),
  }));
}

export type TradesStore = ReturnType<typeof createTradesStore>;

/** Filters → the `journal:trades` query (`currentRun` is the run shown elsewhere). */
export function tradesQuery(
  f: TradeFilters,
  currentRun: string | null,
  pageSize = TRADES_PAGE_SIZE,
) {
  const runId =
    f.run === 'all' ? undefined : f.run === 'current' ? (currentRun ?? undefined) : f.run;
  return {
    ...(runId ? { runId } : {}),
    ...(f.symbol ? { symbol: f.symbol } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    offset: f.page * pageSize,
    limit: pageSize,
  };
}
