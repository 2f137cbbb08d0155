/**
 * The tray icon: its menu, image and tooltip follow the bot status (see the pure
 * tray-menu.ts); its actions are handed in, so Start/Stop run the same BotManager
 * as the window does.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { BotStatus } from '../core/api/schemas.ts';
import { trayIconPath } from './app-paths.ts';
import { DESKTOP_WORDS, type DesktopWords } from './desktop-words.ts';
import {
  trayIconState,
  trayMenu,
  trayTooltip,
  type TrayAction,
  type TrayMenuEntry,
} from './tray-menu.ts';

export type TrayActions = Record<TrayAction, () => void>;

export interface AppTray {
  /** `target`: the remote bot's name when the tray controls one (null: this computer). */
  update(status: BotStatus | null, target?: string | null): void;
  destroy(): void;
}

/** `words`: read at each update, so a language change shows at the next status. */
export function createAppTray(
  actions: TrayActions,
  words: () => DesktopWords = () => DESKTOP_WORDS.en,
): AppTray {
  const toMenuItem = (entry: TrayMenuEntry): Electron.MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'status':
        return { label: entry.label, enabled: false };
      case 'action':
        return { label: entry.label, enabled: entry.enabled, click: () => actions[entry.action]() };
    }
  };
  const tray = new Tray(nativeImage.createFromPath(trayIconPath('idle')));
  // Linux (AppIndicator) has no click event on the icon; elsewhere a click opens the window
  tray.on('click', () => actions.open());
  // Menus are rebuilt only when something in them changed (Linux panels re-read the whole menu).
  const shown = { icon: '', tooltip: '', menu: '' };

  const update = (status: BotStatus | null, target: string | null = null) => {
    const w = words();
    const icon = trayIconPath(trayIconState(status));
    if (icon !== shown.icon) tray.setImage(nativeImage.createFromPath(icon));
    const tooltip = trayTooltip(status, target, w);
    if (tooltip !== shown.tooltip) tray.setToolTip(tooltip);
    const entries = trayMenu(status, target, w);
    const menu = JSON.stringify(entries);
    if (menu !== shown.menu) tray.setContextMenu(Menu.buildFromTemplate(entries.map(toMenuItem)));
    Object.assign(shown, { icon, tooltip, menu });
  };
  update(null);
  return { update, destroy: () => tray.destroy() };
}
