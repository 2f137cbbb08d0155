/**
 * Where the built app's pieces are, relative to out/main/index.js (the same in a
 * checkout and inside the packaged app.asar, which holds out/** and resources/**).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TrayIconState } from './tray-menu.ts';

const mainDir = import.meta.dirname;

export const preloadPath = join(mainDir, '../preload/index.cjs');

/** electron-vite's dev server while `npm run dev`, else the built page. */
export const rendererUrl =
  process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(mainDir, '../renderer/index.html')).href;

export const resourcesDir = join(mainDir, '../../resources');

export const appIconPath = join(resourcesDir, 'icon.png');

/** The folder name under the OS's app-data folder (Linux `~/.config/BotDesk`), as the README says. */
export const APP_DATA_NAME = 'BotDesk';

/**
 * The desktop data folder: $BOTDESK_USER_DATA_DIR (tests, portable set-ups), else
 * `<appData>/BotDesk`. Set explicitly because Electron would otherwise name it after
 * package.json's `name` ("botdesk"), unlike the packaged app's product name.
 */
export function userDataDir(env: NodeJS.ProcessEnv, appData: string): string {
  return env.BOTDESK_USER_DATA_DIR || join(appData, APP_DATA_NAME);
}

/**
 * Tray icon file for a state. nativeImage picks the @2x twin on HiDPI screens;
 * Linux panels draw tray icons at 22–32 px, so they get the 32 px drawing.
 */
export function trayIconPath(
  state: TrayIconState,
  platform: NodeJS.Platform = process.platform,
): string {
  return join(resourcesDir, platform === 'linux' ? `tray-${state}-32.png` : `tray-${state}.png`);
}
