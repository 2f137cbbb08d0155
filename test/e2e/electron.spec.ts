/**
 * The real desktop app through Playwright's Electron driver. Skipped, with the
 * reason, where the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD):
 * requiring 'electron' there would try to download it, so its path is worked out here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { ROOT } from './headless-server.ts';

/** Where require('electron') would point, worked out without requiring it (that may download). */
function electronBinary(): { path: string } | { reason: string } {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile))
    return { reason: `Electron binary not installed: ${pathFile} is missing` };
  const executable = readFileSync(pathFile, 'utf8');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, executable) : join(pkgDir, 'dist', executable);
  if (!existsSync(binary))
    return { reason: `Electron binary not installed: ${binary} does not exist` };
  if (!existsSync(join(ROOT, 'out/main/index.js'))) {
    return { reason: 'out/main/index.js is missing: run `npm run build` first' };
  }
  return { path: binary };
}

const binary = electronBinary();
if ('reason' in binary) console.log(`electron.spec.ts: skipped: ${binary.reason}`);

/** What a page script sees (this file is typed for Node, without DOM types). */
interface PageGlobals {
  botdesk?: { bot: { start: unknown }; on: unknown };
  require?: unknown;
  process?: unknown;
  open(url: string): unknown;
}

test.describe('desktop app', () => {
  test.skip('reason' in binary, 'reason' in binary ? binary.reason : '');

  let userData: string;
  test.beforeEach(() => {
    userData = mkdtempSync(join(tmpdir(), 'botdesk-electron-'));
  });
  test.afterEach(() => rmSync(userData, { recursive: true, force: true }));

  test('runs the bot from a sandboxed window and blocks what it must', async () => {
    const app = await electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, BOTDESK_USER_DATA_DIR: userData },
    });
    try {
      const page = await app.firstWindow();
      await expect(page).toHaveTitle('BotDesk');
      await expect(page.getByTestId('connection')).toHaveText('connected');

      // The page sees the contract API and nothing of Node or Electron.
      const exposed = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        return {
          api: typeof w.botdesk?.bot.start,
          on: typeof w.botdesk?.on,
          require: typeof w.require,
          process: typeof w.process,
          ipc: Object.keys(w.botdesk ?? {}).includes('ipcRenderer'),
        };
      });
      expect(exposed).toEqual({
        api: 'function',
        on: 'function',
        require: 'undefined',
        process: 'undefined',
        ipc: false,
      });

      // window.open never opens a window; https goes to the browser, anything else nowhere.
      await app.evaluate(({ shell }) => {
        const opened: string[] = [];
        (globalThis as unknown as { opened: string[] }).opened = opened;
        shell.openExternal = async (url: string) => {
          opened.push(url);
        };
      });
      await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        w.open('https://example.com/docs');
        w.open('file:///etc/passwd');
      });
      await expect
        .poll(() => app.evaluate(() => (globalThis as unknown as { opened: string[] }).opened))
        .toEqual(['https://example.com/docs']);
      expect(app.windows()).toHaveLength(1);

      await expect(page.getByTestId('data-label')).toHaveText('SIMULATED DATA');
      await expect(page.getByTestId('mode-label')).toHaveText('PAPER TRADING');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');

      // Closing the window keeps BotDesk in the tray (ui.closeToTray defaults to true).
      const afterClose = await app.evaluate(({ BrowserWindow }) => {
        const [win] = BrowserWindow.getAllWindows();
        win?.close();
        return BrowserWindow.getAllWindows().map((w) => ({
          visible: w.isVisible(),
          destroyed: w.isDestroyed(),
        }));
      });
      expect(afterClose).toEqual([{ visible: false, destroyed: false }]);

      const settings = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as {
        schemaVersion: number;
      };
      expect(settings.schemaVersion).toBe(1);
    } finally {
      await app.close();
    }
  });
});
