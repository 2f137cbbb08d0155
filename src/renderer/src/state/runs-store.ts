/**
 * Runs (every start of the bot) from the journal, and which one the tables, charts and
 * statistics show: the current run unless the user picked an earlier one.
 */
import { createStore } from 'zustand/vanilla';
import type { RunInfo } from '../../../core/api/schemas.ts';

export interface RunsState {
  runs: RunInfo[];
  /** The run picked by the user; null follows the current (newest) run. */
  picked: string | null;
}

export interface RunsActions {
  applyRuns(runs: RunInfo[]): void;
  pick(runId: string | null): void;
}

export function createRunsStore() {
  return createStore<RunsState & RunsActions>()((set) => ({
    runs: [],
    picked: null,
    applyRuns: (runs) => set({ runs }),
    pick: (picked) => set({ picked }),
  }));
}

export type RunsStore = ReturnType<typeof createRunsStore>;

/** The run shown: the picked one, else the bot's current one, else none (every row). */
export function shownRun(picked: string | null, currentRunId: string | null | undefined) {
  return picked ?? currentRunId ?? null;
}
