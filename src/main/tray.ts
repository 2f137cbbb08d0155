/**
 * The tray icon: its menu, image and tooltip follow the bot status (see the pure
 * tray-menu.ts); its actions are handed in, so Start/Stop run the same BotManager
 * as the window does.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { BotStatus } from '../core/api/schemas.ts';
import { trayIconPath } from './app-paths.ts';
import { trayIconState, trayMenu, trayTooltip, type TrayAction } from './tray-menu.ts';

export type TrayActions = Record<TrayAction, () => void>;

export interface AppTray {
  update(status: BotStatus | null): void;
  destroy(): void;
}

export function createAppTray(actions: TrayActions): AppTray {
  const tray = new Tray(nativeImage.createFromPath(trayIconPath('idle')));
  // Linux (AppIndicator) has no click event on the icon; elsewhere a click opens the window
  tray.on('click', () => actions.open());
  let shownIcon = '';

  const update = (status: BotStatus | null) => {
    const icon = trayIconPath(trayIconState(status));
    if (icon !== shownIcon) {
      tray.setImage(nativeImage.createFromPath(icon));
      shownIcon = icon;
    }
    tray.setToolTip(trayTooltip(status));
    const template = trayMenu(status).map((entry): Electron.MenuItemConstructorOptions => {
      switch (entry.kind) {
        case 'separator':
          return { type: 'separator' };
        case 'status':
          return { label: entry.label, enabled: false };
        case 'action':
          return {
            label: entry.label,
            enabled: entry.enabled,
            click: () => actions[entry.action](),
          };
      }
    });
    tray.setContextMenu(Menu.buildFromTemplate(template));
  };
  update(null);
  return { update, destroy: () => tray.destroy() };
}
