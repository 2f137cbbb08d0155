import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  isAppUrl,
  isTrustedSender,
  mayNavigate,
  mayOpenExternally,
  windowOpenDecision,
  type IpcSender,
  type TrustedWindow,
} from '../../../src/main/security-policy.ts';

const FILE_APP = 'file:///opt/BotDesk/resources/app.asar/out/renderer/index.html';
const DEV_APP = 'http://localhost:5173/';

describe('which URLs are our own page', () => {
  it('accepts the built index.html with any query or hash', () => {
    expect(isAppUrl(FILE_APP, FILE_APP)).toBe(true);
    expect(isAppUrl(`${FILE_APP}?ws=x#settings`, FILE_APP)).toBe(true);
  });

  it('rejects other files, other schemes and garbage', () => {
    expect(isAppUrl('file:///etc/passwd', FILE_APP)).toBe(false);
    expect(
      isAppUrl('file:///opt/BotDesk/resources/app.asar/out/renderer/other.html', FILE_APP),
    ).toBe(false);
    expect(isAppUrl('https://evil.example/', FILE_APP)).toBe(false);
    expect(isAppUrl('not a url', FILE_APP)).toBe(false);
    expect(isAppUrl(FILE_APP, 'not a url')).toBe(false);
  });

  it('matches the dev server by origin', () => {
    expect(isAppUrl('http://localhost:5173/index.html', DEV_APP)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', DEV_APP)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', DEV_APP)).toBe(false);
  });

  it('lets the window navigate only to our page', () => {
    expect(mayNavigate(`${FILE_APP}#x`, FILE_APP)).toBe(true);
    expect(mayNavigate('https://example.com/', FILE_APP)).toBe(false);
    expect(mayNavigate('javascript:alert(1)', FILE_APP)).toBe(false);
  });
});

describe('links leaving the app', () => {
  it('opens only https links externally, never in a new window', () => {
    expect(windowOpenDecision('https://docs.ccxt.com/')).toEqual({
      action: 'deny',
      openExternally: true,
    });
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'mailto:a@b.c',
      '',
    ]) {
      expect(mayOpenExternally(url)).toBe(false);
      expect(windowOpenDecision(url)).toEqual({ action: 'deny', openExternally: false });
    }
  });
});

describe('IPC sender check', () => {
  const win: TrustedWindow = { webContentsId: 3, mainFrame: { processId: 7, routingId: 1 } };
  const ours: IpcSender = {
    webContentsId: 3,
    frame: { processId: 7, routingId: 1, url: FILE_APP },
  };

  it('trusts our window main frame showing our page', () => {
    expect(isTrustedSender(ours, win, FILE_APP)).toBe(true);
  });

  it('refuses other webContents, subframes, foreign pages, vanished frames and a missing window', () => {
    expect(isTrustedSender({ ...ours, webContentsId: 4 }, win, FILE_APP)).toBe(false);
    expect(
      isTrustedSender({ ...ours, frame: { ...ours.frame!, routingId: 2 } }, win, FILE_APP),
    ).toBe(false);
    expect(
      isTrustedSender({ ...ours, frame: { ...ours.frame!, processId: 8 } }, win, FILE_APP),
    ).toBe(false);
    expect(
      isTrustedSender(
        { ...ours, frame: { ...ours.frame!, url: 'https://evil.example/' } },
        win,
        FILE_APP,
      ),
    ).toBe(false);
    expect(isTrustedSender({ ...ours, frame: null }, win, FILE_APP)).toBe(false);
    expect(isTrustedSender(ours, null, FILE_APP)).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows no eval and no inline script', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('lets only the dev server run inline script and style (HMR), and never eval', () => {
    const dev = contentSecurityPolicy({ devServer: true });
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
    expect(dev).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy()).toBe(CONTENT_SECURITY_POLICY);
  });

  it('is the same policy the page declares in its meta tag', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
  });
});
