/**
 * The desktop SettingsStore on electron-store (the same `settings.json` in the
 * user-data folder). Reading, migrating, moving a corrupt file aside and
 * validating patches are core/settings' code; this file only persists.
 */
import { join } from 'node:path';
import ElectronStore from 'electron-store';
import { BotDeskError } from '../core/api/errors.ts';
import type { Settings } from '../core/api/schemas.ts';
import { applySettingsPatch } from '../core/settings/schema.ts';
import { openSettingsDocument, type SettingsStore } from '../core/settings/store.ts';

export function createElectronSettingsStore(dataDir: string): SettingsStore {
  const opened = openSettingsDocument(join(dataDir, 'settings.json'));
  const store = new ElectronStore<Settings>({
    cwd: dataDir,
    name: 'settings',
    clearInvalidConfig: false,
  });
  if (opened.rewrite) store.store = opened.settings;
  let current = opened.settings;
  return {
    path: store.path,
    notice: opened.notice,
    get: () => current,
    set(patch) {
      const next = applySettingsPatch(current, patch);
      try {
        store.store = next;
      } catch (err) {
        throw new BotDeskError(
          'SETTINGS_ERROR',
          `could not save settings to ${store.path}: ${(err as Error).message}`,
        );
      }
      current = next;
      return current;
    },
  };
}
