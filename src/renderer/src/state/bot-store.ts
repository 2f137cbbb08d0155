/**
 * Projection of the bot status pushed by main, plus the UI-only state around it:
 * the connection and which command is in flight. No business rules: the status
 * is main's; this store only drops snapshots older than the one it holds.
 */
import { createStore } from 'zustand/vanilla';
import type { BotStatus } from '../../../core/api/schemas.ts';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';
export type BotCommand = 'start' | 'stop' | 'pause' | 'resume' | 'reset';

export interface BotState {
  status: BotStatus | null;
  connection: ConnectionState;
  /** Why the connection failed or dropped, in words. */
  connectionError: string | null;
  /** The command waiting for main's answer (buttons are disabled meanwhile). */
  pending: BotCommand | null;
  /** The last command's failure, as a readable message. */
  commandError: string | null;
}

export interface BotActions {
  applyStatus(status: BotStatus): void;
  setConnection(state: ConnectionState, error?: string | null): void;
  commandStarted(command: BotCommand): void;
  commandFinished(error?: string | null): void;
  dismissCommandError(): void;
}

/**
 * An older snapshot of the same server process. A restarted server (another `instance`)
 * counts its revisions from 0 again: its first status is news, not stale.
 */
export function isStale(held: BotStatus | null, next: BotStatus): boolean {
  if (!held) return false;
  if ((held.instance ?? null) !== (next.instance ?? null)) return false;
  return next.rev < held.rev;
}

export type BotStore = ReturnType<typeof createBotStore>;

export function createBotStore() {
  return createStore<BotState & BotActions>()((set) => ({
    status: null,
    connection: 'connecting',
    connectionError: null,
    pending: null,
    commandError: null,
    applyStatus: (status) => set((s) => (isStale(s.status, status) ? s : { status })),
    setConnection: (connection, error = null) => set({ connection, connectionError: error }),
    commandStarted: (command) => set({ pending: command, commandError: null }),
    commandFinished: (error = null) => set({ pending: null, commandError: error }),
    dismissCommandError: () => set({ commandError: null }),
  }));
}

/** Which commands make sense in a state (the UI disables the others). */
export function availableCommands(state: BotState): Record<BotCommand, boolean> {
  const s = state.status;
  const idle = s !== null && (s.state === 'idle' || s.state === 'stopped' || s.state === 'error');
  const live = s !== null && (s.state === 'starting' || s.state === 'running');
  const ready = state.connection === 'connected' && state.pending === null;
  return {
    start: ready && idle,
    stop: ready && live,
    pause: ready && s?.state === 'running' && !s.entriesPaused,
    resume: ready && s?.state === 'running' && s.entriesPaused,
    reset: ready && idle && s.mode === 'paper',
  };
}
