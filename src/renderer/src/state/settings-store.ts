/**
 * Projection of main's settings and the strategy catalogue, plus the state of a
 * save: in flight, or its errors (per field when main says which field).
 */
import { createStore } from 'zustand/vanilla';
import type { Settings, StrategyInfo } from '../../../core/api/schemas.ts';
import { plainWords } from './plain-words.ts';

export interface SaveError {
  message: string;
  /** 'bot.symbols.0' → message, from the INVALID_INPUT details when present */
  fields: Record<string, string>;
}

export interface SettingsState {
  settings: Settings | null;
  strategies: StrategyInfo[];
  saving: boolean;
  saveError: SaveError | null;
  savedAt: number | null;
}

export interface SettingsActions {
  applySettings(settings: Settings): void;
  applyStrategies(strategies: StrategyInfo[]): void;
  saveStarted(): void;
  saveSucceeded(settings: Settings, at?: number): void;
  saveFailed(error: SaveError): void;
}

/** BotDeskError details (zod issues: [{ path, message }]) → field → message. */
export function fieldErrors(details: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(details)) return fields;
  for (const issue of details as Array<{ path?: unknown; message?: unknown }>) {
    if (!Array.isArray(issue?.path) || typeof issue.message !== 'string') continue;
    const key = issue.path.map(String).join('.');
    fields[key] ??= plainWords(issue.message);
  }
  return fields;
}

export function createSettingsStore() {
  return createStore<SettingsState & SettingsActions>()((set) => ({
    settings: null,
    strategies: [],
    saving: false,
    saveError: null,
    savedAt: null,
    applySettings: (settings) => set({ settings }),
    applyStrategies: (strategies) => set({ strategies }),
    saveStarted: () => set({ saving: true, saveError: null }),
    saveSucceeded: (settings, at = Date.now()) =>
      set({ settings, saving: false, saveError: null, savedAt: at }),
    saveFailed: (saveError) => set({ saving: false, saveError }),
  }));
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
