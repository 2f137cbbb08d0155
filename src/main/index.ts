/**
 * The desktop app's lifecycle: one instance, the core (same as headless) built
 * once, the IPC transport, the window, the tray, and a bounded graceful stop of
 * the bot before quitting. Everything else lives in its own file.
 */
import { app, dialog, nativeTheme, Notification, type BrowserWindow } from 'electron';
import type { BotStatus } from '../core/api/schemas.ts';
import { createCoreHost, type CoreHost } from '../core/host/core-host.ts';
import { EncryptedSecretStore, SecretChain, secretsFile } from '../core/secrets/encrypted-store.ts';
import { EnvSecretStore } from '../core/secrets/env-store.ts';
import { withLocalReplayFiles } from '../core/host/local-replay-files.ts';
import type { SettingsStore } from '../core/settings/store.ts';
import { createCoalescer, type Coalescer } from '../core/transport/coalesce.ts';
import { rendererUrl, userDataDir } from './app-paths.ts';
import { createBotConnections, type BotConnections } from './bot-connections.ts';
import { createBotListStore, LOCAL_BOT_ID } from './bot-list-store.ts';
import { desktopLanguage, DESKTOP_WORDS, type DesktopWords } from './desktop-words.ts';
import { registerIpc } from './ipc.ts';
import { startNotifications } from './notifications.ts';
import { safeStorageCipher } from './secrets-safe-storage.ts';
import { installSecurityGuards } from './security.ts';
import { observeSettings } from './settings-effects.ts';
import { createElectronSettingsStore } from './settings-store.ts';
import { shutdownCore } from './shutdown.ts';
import { createAppTray } from './tray.ts';
import { createSafeStorageTokenBox } from './token-box.ts';
import { createUtilityProcessHost } from './utility-process-host.ts';
import { createMainWindow, revealWindow } from './windows.ts';

const STOP_TIMEOUT_MS = 5000;
const QUIT_GRACE_MS = 3000;

let core: CoreHost | null = null;
/** Which bot the window and the tray control (this machine or a remote one). */
let bots: BotConnections | null = null;
let settings: SettingsStore | null = null;
let win: BrowserWindow | null = null;
/** Stops feeding the tray and removes it. */
let stopTray: (() => void) | null = null;
/** Shows the current status in the tray again (after a language change). */
let refreshTray: (() => void) | null = null;
let trayStatus: Coalescer<BotStatus | null> | null = null;
/** The remote bot's name the tray shows; null for this computer. */
let trayTarget: string | null = null;
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

/** Tray actions run through the same handlers as the window: those of the selected bot. */
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
    // Keys typed into the app are encrypted by the OS; environment variables still work.
    secrets: new SecretChain([
      new EncryptedSecretStore({ file: secretsFile(dataDir), cipher: safeStorageCipher() }),
      new EnvSecretStore(),
    ]),
  });
  core = host;
  settings = store;
  // Created after app ready: safeStorage needs it.
  const connections = createBotConnections({
    // Replay files typed or picked in the window are the local user's choice; a remote bot's
    // own server decides which files its clients may name.
    local: { handlers: withLocalReplayFiles(host.handlers, host.replayFiles), bus: host.bus },
    store: createBotListStore(dataDir, createSafeStorageTokenBox()),
    log,
    onState: (target) => ipc.sendDesktopEvent('remote:state', target),
    onSelected: (target) => {
      // The renderer's stores are projections of one bot: a new bot (or a reconnection that
      // missed events) means starting them afresh, which a reload does with no special path.
      if (win && !win.isDestroyed()) win.webContents.reload();
      trayTarget = target.id === LOCAL_BOT_ID ? null : target.name;
      void connections.handlers['bot:status']({}).then(
        (status) => trayStatus?.push(status),
        () => trayStatus?.push(null),
      );
    },
  });
  bots = connections;
  const ipc = registerIpc({
    handlers: connections.handlers,
    bus: connections.bus,
    desktop: connections.desktopHandlers,
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

  const selected = connections.handlers;
  const appTray = createAppTray(
    {
      start: runFromTray('Start', () => selected['bot:start']({})),
      stop: runFromTray('Stop', () =>
        selected['bot:stop']({ reason: 'tray', timeoutMs: STOP_TIMEOUT_MS }),
      ),
      pause: runFromTray('Pause entries', () => selected['bot:pause']({})),
      resume: runFromTray('Resume entries', () => selected['bot:resume']({})),
      open: showWindow,
      quit: () => app.quit(),
    },
    words,
  );
  // The tray is glanced at, not watched: once a second is plenty.
  trayStatus = createCoalescer<BotStatus | null>((status) => appTray.update(status, trayTarget), {
    intervalMs: 1000,
  });
  const unfollow = connections.bus.on('bot:status', (status) => trayStatus?.push(status));
  // the selected bot's events; the switches are read at each event, so a change applies at once
  const stopNotifications = startNotifications({
    bus: connections.bus,
    settings: () => store.get().ui.notifications,
    words,
    onClick: showWindow,
  });
  stopTray = () => {
    refreshTray = null;
    unfollow();
    stopNotifications();
    trayStatus?.close();
    appTray.destroy();
  };
  refreshTray = () => {
    void selected['bot:status']({}).then(
      (status) => appTray.update(status, trayTarget),
      () => {},
    );
  };
  appTray.update(await host.handlers['bot:status']({}), null);
  await connections.restore();
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
    // Remote bots keep running on their own machines: only the connection closes.
    void bots?.close();
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
