/**
 * A SettingsStore that tells main about every saved change, so what lives outside the
 * window (the native theme of menus and dialogs, the tray's language) follows the
 * settings the renderer saves, without polling.
 */
import type { Settings } from '../core/api/schemas.ts';
import type { SettingsStore } from '../core/settings/store.ts';

export function observeSettings(
  store: SettingsStore,
  onChange: (settings: Settings) => void,
): SettingsStore {
  return {
    get path() {
      return store.path;
    },
    get notice() {
      return store.notice;
    },
    get: () => store.get(),
    set: (patch) => {
      const next = store.set(patch);
      onChange(next);
      return next;
    },
  };
}
