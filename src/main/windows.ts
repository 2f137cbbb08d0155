/**
 * The main window: locked-down web preferences, our page, shown when ready.
 * Closing it hides it to the tray when the user asked for that.
 */
import { BrowserWindow } from 'electron';
import { appIconPath, preloadPath, rendererUrl } from './app-paths.ts';

export interface MainWindowOptions {
  /** Read at close time, so a settings change applies at once. */
  closeToTray: () => boolean;
  /** True once the app is quitting: then close really closes. */
  isQuitting: () => boolean;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'BotDesk',
    backgroundColor: '#0f141c',
    icon: appIconPath,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (opts.isQuitting() || !opts.closeToTray()) return;
    event.preventDefault();
    win.hide();
  });
  void win.loadURL(rendererUrl);
  return win;
}

/** Bring a (possibly hidden or minimised) window to the front. */
export function revealWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
