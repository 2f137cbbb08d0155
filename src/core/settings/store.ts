/**
 * The SettingsStore interface, one implementation over any backend, and its `conf`
 * backend (headless CLI; the desktop app passes an electron-store backend to
 * `createSettingsStore`). A file that cannot be read is moved aside, never
 * silently overwritten, and the store starts from defaults with a clear notice.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { BotDeskError } from '../api/errors.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../host/private-files.ts';
import type { Settings } from '../api/schemas.ts';
import type { SettingsPatch } from '../api/contract.ts';
import { applySettingsPatch, migrateSettings } from './schema.ts';

export interface SettingsStore {
  get(): Settings;
  /** Validates and persists; throws INVALID_INPUT and changes nothing on bad input. */
  set(patch: SettingsPatch): Settings;
  readonly path: string;
  /** Set when the stored file was unreadable and moved aside (shown to the user once per launch). */
  readonly notice?: string | null;
}

export interface OpenedSettings {
  settings: Settings;
  /** Whether the document on disk must be rewritten (migrated, or replaced after a corrupt file). */
  rewrite: boolean;
  notice: string | null;
}

/**
 * Read and migrate the settings file at `file`. A corrupt or unreadable file is renamed to
 * `<name>.corrupt-<timestamp>.json` so the user can recover it, and defaults are used.
 */
export function openSettingsDocument(file: string, now: () => number = Date.now): OpenedSettings {
  if (!existsSync(file))
    return { settings: migrateSettings(undefined).settings, rewrite: true, notice: null };
  let problem: string;
  try {
    const { settings, steps } = migrateSettings(JSON.parse(readFileSync(file, 'utf8')));
    return { settings, rewrite: steps.length > 0, notice: null };
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  const aside = file.replace(/\.json$/, '') + `.corrupt-${now()}.json`;
  renameSync(file, aside);
  return {
    settings: migrateSettings(undefined).settings,
    rewrite: true,
    notice: `Settings file could not be read (${problem}); it was moved to ${aside} and defaults are in use.`,
  };
}

/** Where a SettingsStore keeps the document: conf (headless) or electron-store (desktop). */
export interface SettingsBackend {
  readonly path: string;
  write(settings: Settings): void;
}

/**
 * A SettingsStore over any backend. `file` is read (and moved aside if corrupt) before
 * `openBackend` runs, so the backend never sees a file it cannot parse.
 */
export function createSettingsStore(
  file: string,
  openBackend: () => SettingsBackend,
): SettingsStore {
  const opened = openSettingsDocument(file);
  const backend = openBackend();
  if (opened.rewrite) backend.write(opened.settings);
  let current = opened.settings;
  return {
    path: backend.path,
    notice: opened.notice,
    get: () => current,
    set(patch) {
      const next = applySettingsPatch(current, patch);
      try {
        backend.write(next);
      } catch (err) {
        throw new BotDeskError(
          'SETTINGS_ERROR',
          `could not save settings to ${backend.path}: ${(err as Error).message}`,
        );
      }
      current = next;
      return current;
    },
  };
}

export function createConfSettingsStore(dataDir: string): SettingsStore {
  ensurePrivateDir(dataDir);
  return createSettingsStore(join(dataDir, 'settings.json'), () => {
    const conf = new Conf<Settings>({
      cwd: dataDir,
      configName: 'settings',
      configFileMode: PRIVATE_FILE_MODE,
      clearInvalidConfig: false,
    });
    return {
      path: conf.path,
      write: (settings) => {
        conf.store = settings;
      },
    };
  });
}
