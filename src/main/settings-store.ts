/**
 * The desktop SettingsStore: core/settings' store (reading, migrating, moving a
 * corrupt file aside, validating patches) over an electron-store backend writing
 * the same `settings.json` in the user-data folder.
 */
import { join } from 'node:path';
import ElectronStore from 'electron-store';
import type { Settings } from '../core/api/schemas.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../core/host/private-files.ts';
import { createSettingsStore, type SettingsStore } from '../core/settings/store.ts';

export function createElectronSettingsStore(dataDir: string): SettingsStore {
  ensurePrivateDir(dataDir);
  return createSettingsStore(join(dataDir, 'settings.json'), () => {
    const store = new ElectronStore<Settings>({
      cwd: dataDir,
      name: 'settings',
      configFileMode: PRIVATE_FILE_MODE,
      clearInvalidConfig: false,
    });
    return {
      path: store.path,
      write: (settings) => {
        store.store = settings;
      },
    };
  });
}
