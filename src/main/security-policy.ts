/**
 * The decisions behind the security guards, as pure functions of URLs and frame
 * identities, so they are unit-tested without Electron. security.ts and ipc.ts
 * apply them to Electron's events.
 */

/**
 * The renderer's Content-Security-Policy: no eval, no inline script, no plugins,
 * no framing. connect-src allows WebSockets because the same UI can drive a
 * remote headless bot (`?ws=ws://host:port`). src/renderer/index.html carries the
 * same policy in a meta tag (a unit test keeps the two equal). Vite's dev server
 * injects inline scripts and styles (HMR), so `devServer` allows inline — never eval.
 */
export function contentSecurityPolicy(opts: { devServer?: boolean } = {}): string {
  const inline = opts.devServer ? " 'unsafe-inline'" : '';
  return [
    "default-src 'self'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Is `url` our own renderer page? `appUrl` is where the main window loads from:
 * the built index.html (file://) or electron-vite's dev server (http://localhost).
 * A file: app matches only that same file (query and hash may differ); an http app
 * matches its origin.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const target = parse(url);
  const app = parse(appUrl);
  if (!target || !app) return false;
  if (app.protocol === 'file:')
    return (
      target.protocol === 'file:' && target.host === app.host && target.pathname === app.pathname
    );
  return target.origin === app.origin;
}

/** In-window navigation (will-navigate, will-redirect, will-frame-navigate): only to our own page. */
export function mayNavigate(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl);
}

/** Links that may leave the app, to the user's browser: https only (no file:, no custom schemes). */
export function mayOpenExternally(url: string): boolean {
  return parse(url)?.protocol === 'https:';
}

/** window.open / target=_blank: never a new Electron window; https links go to the browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: mayOpenExternally(url) };
}

export interface FrameIdentity {
  processId: number;
  routingId: number;
}

export interface IpcSender {
  webContentsId: number;
  /** The sending frame; null when it navigated away or was destroyed meanwhile. */
  frame: (FrameIdentity & { url: string }) | null;
}

export interface TrustedWindow {
  webContentsId: number;
  mainFrame: FrameIdentity;
}

/**
 * An IPC call is ours when it comes from the main frame (not an iframe) of our
 * own window's webContents, showing our own page.
 */
export function isTrustedSender(
  sender: IpcSender,
  window: TrustedWindow | null,
  appUrl: string,
): boolean {
  if (!window || !sender.frame) return false;
  return (
    sender.webContentsId === window.webContentsId &&
    sender.frame.processId === window.mainFrame.processId &&
    sender.frame.routingId === window.mainFrame.routingId &&
    isAppUrl(sender.frame.url, appUrl)
  );
}
