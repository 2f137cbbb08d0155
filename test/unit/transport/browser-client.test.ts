/**
 * The WebSocket client in real Chromium against the real server: the contract
 * files are type-stripped as they are (they are dependency-free) and served by the
 * server's own static UI handler, so the page runs under the served CSP and the
 * same-origin check, with the token from the URL fragment.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWsServer, type WsServer } from '../../../src/core/transport/ws-server.ts';
import { createFakeHost, type FakeHost } from './fake-host.ts';

const TOKEN = 'browser-test-token-0123456789';
const API_DIR = path.resolve(import.meta.dirname, '../../../src/core/api');
const BROWSER_FILES = ['ws-client.ts', 'ws-protocol.ts', 'client.ts', 'channels.ts', 'errors.ts'];

const PAGE = `
import { connectWs, wsTargetFromLocation } from './api/ws-client.js';
const out = (window.__botdesk = { logs: [], violations: [] });
document.addEventListener('securitypolicyviolation', (e) => out.violations.push(e.violatedDirective));
const target = wsTargetFromLocation(location.href);
try {
  const conn = await connectWs(target);
  conn.api.on('log', (line) => out.logs.push(line.message));
  out.status = await conn.api.bot.status();
  try {
    await conn.api.settings.set({ ui: { theme: 'purple' } });
  } catch (err) {
    out.invalid = { name: err.name, code: err.code };
  }
  out.ready = true;
} catch (err) {
  out.failed = { name: err.name, code: err.code, message: err.message };
}
`;

let dir: string;
let server: WsServer;
let host: FakeHost;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'botdesk-browser-'));
  mkdirSync(path.join(dir, 'api'));
  for (const file of BROWSER_FILES) {
    const js = stripTypeScriptTypes(readFileSync(path.join(API_DIR, file), 'utf8')).replace(
      /from '\.\/([\w-]+)\.ts'/g,
      "from './$1.js'",
    );
    writeFileSync(path.join(dir, 'api', file.replace(/\.ts$/, '.js')), js);
  }
  writeFileSync(path.join(dir, 'app.js'), PAGE);
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><script type="module" src="./app.js"></script>',
  );
  host = createFakeHost();
  server = await startWsServer({
    dispatch: host.dispatch,
    bus: host.bus,
    token: TOKEN,
    staticRoot: dir,
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

type PageState = {
  ready?: boolean;
  failed?: { code: string };
  status?: { state: string };
  invalid?: { name: string; code: string };
  logs: string[];
  violations: string[];
};

describe('the WebSocket client in Chromium', () => {
  it('connects from the served page with the token in the fragment, calls and receives events', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.httpUrl}#token=${TOKEN}`);
    await page.waitForFunction(
      () => (globalThis as { __botdesk?: PageState }).__botdesk?.ready === true,
    );
    const state = () =>
      page.evaluate(() => (globalThis as unknown as { __botdesk: PageState }).__botdesk);
    expect((await state()).status?.state).toBe('idle');
    expect((await state()).invalid).toEqual({ name: 'BotDeskError', code: 'INVALID_INPUT' });
    host.bus.emit('log', { ts: 1, level: 'info', scope: 'test', message: 'hello browser' });
    await expect.poll(async () => (await state()).logs).toEqual(['hello browser']);
    expect((await state()).violations).toEqual([]);
    await page.close();
    await expect.poll(() => server.clientCount()).toBe(0);
  });

  it('is refused with a wrong token', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.httpUrl}#token=wrong-token-0123456789`);
    await page.waitForFunction(
      () => (globalThis as { __botdesk?: PageState }).__botdesk?.failed !== undefined,
    );
    const failed = await page.evaluate(
      () => (globalThis as unknown as { __botdesk: PageState }).__botdesk.failed,
    );
    expect(failed?.code).toBe('TRANSPORT_ERROR');
    expect(server.clientCount()).toBe(0);
    await page.close();
  });
});
