/**
 * Every guard of the app's web contents in one place: CSP header, navigation,
 * redirects, new windows, <webview> and permission requests. Install once,
 * before the first window is created.
 */
import { app, session, shell } from 'electron';
import { contentSecurityPolicy, mayNavigate, windowOpenDecision } from './security-policy.ts';

/** Call once the app is ready (sessions do not exist before) and before the first window. */
export function installSecurityGuards(appUrl: string, log: (message: string) => void): void {
  const csp = contentSecurityPolicy({ devServer: !appUrl.startsWith('file:') });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // The renderer needs no camera, notifications, clipboard reads, geolocation…
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`denied permission request '${permission}'`);
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    const blockNavigation = (event: Electron.Event, url: string) => {
      if (mayNavigate(url, appUrl)) return;
      event.preventDefault();
      log(`blocked navigation to ${url}`);
    };
    // will-frame-navigate covers the main frame and every subframe
    contents.on('will-frame-navigate', (event) => blockNavigation(event, event.url));
    contents.on('will-redirect', (event) => blockNavigation(event, event.url));
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(url);
      else log(`blocked window.open(${url})`);
      return { action: decision.action };
    });
  });
}
