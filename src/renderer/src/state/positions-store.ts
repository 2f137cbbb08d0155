/** Open positions as main derives them from fills, refreshed after fills and while prices move. */
import { createStore } from 'zustand/vanilla';
import type { Position } from '../../../core/api/schemas.ts';

export interface PositionsState {
  positions: Position[];
  /** Symbols with a close or entry request sent (buttons wait for the next tick). */
  requested: Record<string, 'close' | 'enter'>;
  error: string | null;
}

export interface PositionsActions {
  applyPositions(positions: Position[]): void;
  requestSent(symbol: string, kind: 'close' | 'enter'): void;
  requestFailed(symbol: string, error: string): void;
}

export function createPositionsStore() {
  return createStore<PositionsState & PositionsActions>()((set) => ({
    positions: [],
    requested: {},
    error: null,
    applyPositions: (positions) =>
      set((s) => {
        // A request is done once the position it asked for appeared or went away.
        const held = new Set(positions.map((p) => p.symbol));
        const requested = Object.fromEntries(
          Object.entries(s.requested).filter(([symbol, kind]) =>
            kind === 'close' ? held.has(symbol) : !held.has(symbol),
          ),
        );
        return { positions, requested };
      }),
    requestSent: (symbol, kind) =>
      set((s) => ({ requested: { ...s.requested, [symbol]: kind }, error: null })),
    requestFailed: (symbol, error) =>
      set((s) => {
        const requested = { ...s.requested };
        delete requested[symbol];
        return { requested, error };
      }),
  }));
}

export type PositionsStore = ReturnType<typeof createPositionsStore>;
