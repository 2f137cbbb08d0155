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
