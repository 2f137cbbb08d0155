/** Open positions as main derives them from fills, refreshed after fills and while prices move. */
import { createStore } from 'zustand/vanilla';
import type { Position } from '../../../core/api/schemas.ts';

export interface PositionRequest {
  kind: 'close' | 'enter';
  /** The last tick seen when it was sent: it is decided at the next one. */
  tick: number;
}

export interface PositionsState {
  positions: Position[];
  /** Symbols with a close or entry request sent (buttons wait until it is decided). */
  requested: Record<string, PositionRequest>;
  error: string | null;
}

export interface PositionsActions {
  applyPositions(positions: Position[]): void;
  requestSent(symbol: string, kind: 'close' | 'enter', tick: number): void;
  requestFailed(symbol: string, error: string): void;
  /** Tick `n` completed: requests decided by then (done, or refused by a risk rule) are over. */
  tickPassed(n: number): void;
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
          Object.entries(s.requested).filter(([symbol, r]) =>
            r.kind === 'close' ? held.has(symbol) : !held.has(symbol),
          ),
        );
        return { positions, requested };
      }),
    requestSent: (symbol, kind, tick) =>
      set((s) => ({ requested: { ...s.requested, [symbol]: { kind, tick } }, error: null })),
    requestFailed: (symbol, error) =>
      set((s) => {
        const requested = { ...s.requested };
        delete requested[symbol];
        return { requested, error };
      }),
    // decided at the tick after the request, filled at the open of the one after that
    tickPassed: (n) =>
      set((s) => {
        const left = Object.entries(s.requested).filter(([, r]) => n <= r.tick + 2);
        return left.length === Object.keys(s.requested).length
          ? s
          : { requested: Object.fromEntries(left) };
      }),
  }));
}

export type PositionsStore = ReturnType<typeof createPositionsStore>;
