/**
 * The bot's desired state and config snapshot, persisted off the tick's critical path
 * so the next launch can resume a bot that was running when the app quit or crashed.
 * Writes are asynchronous, serialized and coalesced (the newest state wins), and atomic
 * (temp file + rename) so a crash mid-write never leaves a torn file.
 */
import { readFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BotConfig, TradingMode } from '../api/schemas.ts';
import { writePrivateFile } from '../host/private-files.ts';

export const DesiredState = z.object({
  desired: z.enum(['running', 'stopped']),
  mode: TradingMode,
  config: BotConfig,
  entriesPaused: z.boolean(),
  updatedAt: z.number(),
});
export type DesiredState = z.infer<typeof DesiredState>;

export interface DesiredStateStore {
  /** The last saved state, or null when none (or unreadable: `problem` says why). */
  read(): { state: DesiredState | null; problem: string | null };
  /** Queue a write; returns at once. */
  save(state: DesiredState): void;
  /** Resolves when every queued write is on disk. */
  flush(): Promise<void>;
}

export function desiredStateFile(dataDir: string): string {
  return join(dataDir, 'bot-state.json');
}

export function createDesiredStateFile(
  file: string,
  onError: (message: string) => void,
): DesiredStateStore {
  let next: DesiredState | null = null;
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  const drain = async (): Promise<void> => {
    while (next) {
      const state = next;
      next = null;
      const tmp = `${file}.tmp`;
      try {
        await writePrivateFile(tmp, JSON.stringify(state, null, 2));
        await rename(tmp, file);
      } catch (err) {
        onError(`could not save the bot state to ${file}: ${(err as Error).message}`);
      }
    }
    scheduled = false;
  };

  return {
    read() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return { state: null, problem: null };
      }
      try {
        return { state: DesiredState.parse(JSON.parse(text)), problem: null };
      } catch (err) {
        return {
          state: null,
          problem: `saved bot state ${file} is unreadable (${(err as Error).message}); not resuming`,
        };
      }
    },
    save(state) {
      next = state;
      if (scheduled) return;
      scheduled = true;
      writing = writing.then(drain);
    },
    flush: () => writing,
  };
}
