/**
 * The desktop app's lifecycle: one instance, the core (same as headless) built
 * once, the IPC transport, the window, the tray, and a bounded graceful stop of
 * the bot before quitting. Everything else lives in its own file.
 */
import { app, dialog, nativeTheme, Notification, type BrowserWindow } from 'electron';
import type { BotStatus } from '../core/api/schemas.ts';
import { createCoreHost, type CoreHost } from '../core/host/core-host.ts';
import type { SettingsStore } from '../core/settings/store.ts';
import { createCoalescer } from '../core/transport/coalesce.ts';
import { rendererUrl, userDataDir } from './app-paths.ts';
import { desktopLanguage, DESKTOP_WORDS, type DesktopWords } from './desktop-words.ts';
import { registerIpc } from './ipc.ts';
import { startNotifications } from './notifications.ts';
import { installSecurityGuards } from './security.ts';
import { observeSettings } from './settings-effects.ts';
import { createElectronSettingsStore } from './settings-store.ts';
import { shutdownCore } from './shutdown.ts';
import { createAppTray } from './tray.ts';
import { createUtilityProcessHost } from './utility-process-host.ts';
import { createMainWindow, revealWindow } from './windows.ts';

const STOP_TIMEOUT_MS = 5000;
const QUIT_GRACE_MS = 3000;

let core: CoreHost | null = null;
let settings: SettingsStore | null = null;
let win: BrowserWindow | null = null;
/** Stops feeding the tray and removes it. */
let stopTray: (() => void) | null = null;
/** Shows the current status in the tray again (after a language change). */
let refreshTray: (() => void) | null = null;
let quitting = false;
let shutdown: 'none' | 'running' | 'done' = 'none';

function log(level: 'info' | 'warn' | 'error', message: string): void {
  if (core) core.bus.emit('log', { ts: Date.now(), level, scope: 'main', message });
  else console.error(`[main] ${message}`);
}

function openWindow(store: SettingsStore): BrowserWindow {
  // read at close time, so a changed setting applies at once
  return createMainWindow({
    closeToTray: () => store.get().ui.closeToTray,
    isQuitting: () => quitting,
  });
}

function showWindow(): void {
  if (win && !win.isDestroyed()) revealWindow(win);
  else if (settings) win = openWindow(settings);
}

/** Tray actions run through the same handlers (and so the same BotManager) as the window. */
function runFromTray(what: string, action: () => Promise<BotStatus>): () => void {
  return () => {
    action().catch((err: unknown) => {
      const message = `${what} failed: ${err instanceof Error ? err.message : String(err)}`;
      log('error', message);
      // The window may be hidden: tell the user where they clicked.
      if (Notification.isSupported()) new Notification({ title: 'BotDesk', body: message }).show();
    });
  };
}

async function start(): Promise<void> {
  installSecurityGuards(rendererUrl, (message) => log('warn', message));
  const dataDir = app.getPath('userData');
  // the native theme (menus, dialogs, the window's frame) and the tray follow saved changes
  const store = observeSettings(createElectronSettingsStore(dataDir), (saved) => {
    nativeTheme.themeSource = saved.ui.theme;
    refreshTray?.();
  });
  nativeTheme.themeSource = store.get().ui.theme;
  const words = (): DesktopWords =>
    DESKTOP_WORDS[desktopLanguage(store.get().ui.language, app.getLocale())];
  const host = await createCoreHost({
    dataDir,
    settings: store,
    workerHost: createUtilityProcessHost({ log }),
  });
  core = host;
  settings = store;
  registerIpc({
    handlers: host.handlers,
    bus: host.bus,
    getWindow: () => win,
    appUrl: rendererUrl,
  });
  win = openWindow(store);
  if (store.notice) {
    // A corrupt settings file was moved aside: say so once, where the user looks.
    log('warn', store.notice);
    void dialog.showMessageBox(win, {
      type: 'warning',
      title: 'BotDesk',
      message: 'Your settings could not be read; defaults are in use.',
      detail: store.notice,
    });
  }

  const appTray = createAppTray(
    {
      start: runFromTray('Start', () => host.handlers['bot:start']({})),
      stop: runFromTray('Stop', () =>
        host.handlers['bot:stop']({ reason: 'tray', timeoutMs: STOP_TIMEOUT_MS }),
      ),
      pause: runFromTray('Pause entries', () => host.handlers['bot:pause']({})),
      resume: runFromTray('Resume entries', () => host.handlers['bot:resume']({})),
      open: showWindow,
      quit: () => app.quit(),
    },
    words,
  );
  // The tray is glanced at, not watched: once a second is plenty.
  const trayStatus = createCoalescer<BotStatus>((status) => appTray.update(status), {
    intervalMs: 1000,
  });
  const unfollow = host.bus.on('bot:status', (status) => trayStatus.push(status));
  // read at each event, so a switch changed in Settings applies at once
  const stopNotifications = startNotifications({
    bus: host.bus,
    settings: () => store.get().ui.notifications,
    words,
    onClick: showWindow,
  });
  stopTray = () => {
    refreshTray = null;
    unfollow();
    stopNotifications();
    trayStatus.close();
    appTray.destroy();
  };
  refreshTray = () => {
    void host.handlers['bot:status']({}).then((status) => appTray.update(status));
  };
  appTray.update(await host.handlers['bot:status']({}));
}

// Tests (and portable set-ups) give each run its own data folder; it also scopes the single-instance lock.
app.setPath('userData', userDataDir(process.env, app.getPath('appData')));
// Windows shows notifications only for an app with an identity (the installer's appId).
if (process.platform === 'win32') app.setAppUserModelId('app.botdesk.desktop');

if (!app.requestSingleInstanceLock()) {
  // Another BotDesk owns the data folder; it focuses its window (second-instance).
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  // Reached only when close-to-tray is off (otherwise closing merely hides the window).
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    quitting = true;
    if (!core || shutdown === 'done') return;
    event.preventDefault();
    if (shutdown === 'running') return;
    shutdown = 'running';
    void shutdownCore(core, {
      stopTimeoutMs: STOP_TIMEOUT_MS,
      graceMs: QUIT_GRACE_MS,
      log: (message) => console.error(`[main] ${message}`),
    }).finally(() => {
      shutdown = 'done';
      stopTray?.();
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      dialog.showErrorBox('BotDesk could not start', message);
      app.exit(1);
    });
}
