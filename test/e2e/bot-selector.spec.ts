/**
 * The header's bot selector, with the desktop preload's `window.botdeskDesktop`
 * stood in by a page script (Electron's binary is not available here) and the
 * dashboard itself on a real `botdesk serve --ui`: it shows which bot is
 * controlled, asks main to select another, shows a refusal, and adds a bot.
 * Absent in the plain browser UI.
 */
import { expect, test } from '@playwright/test';
import { startHeadlessServer, TOKEN, type HeadlessServer } from './headless-server.ts';

let server: HeadlessServer;
test.beforeAll(async () => {
  server = await startHeadlessServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** What main would answer, kept in the page; calls are recorded on window.__desktopCalls. */
function stubDesktop(): void {
  type Target = {
    id: string;
    name: string;
    kind: 'local' | 'remote';
    url: string | null;
    fingerprint: string | null;
    selected: boolean;
    state: string;
    message: string | null;
  };
  const bots: Target[] = [
    {
      id: 'local',
      name: 'This computer',
      kind: 'local',
      url: null,
      fingerprint: null,
      selected: false,
      state: 'local',
      message: null,
    },
    {
      id: 'vps',
      name: 'vps',
      kind: 'remote',
      url: 'wss://vps.example:8745/ws',
      fingerprint: 'AB:CD',
      selected: true,
      state: 'connected',
      message: null,
    },
    {
      id: 'old',
      name: 'old box',
      kind: 'remote',
      url: 'wss://old.example:8745/ws',
      fingerprint: null,
      selected: false,
      state: 'disconnected',
      message: null,
    },
  ];
  const calls: Array<[string, unknown]> = [];
  (globalThis as unknown as { __desktopCalls: unknown }).__desktopCalls = calls;
  (globalThis as unknown as { botdeskDesktop: unknown }).botdeskDesktop = {
    remote: {
      list: async () => bots.map((b) => ({ ...b })),
      add: async (input: { name: string; url: string }) => {
        calls.push(['add', input]);
        const bot: Target = {
          id: 'new',
          name: input.name,
          kind: 'remote',
          url: input.url,
          fingerprint: null,
          selected: false,
          state: 'disconnected',
          message: null,
        };
        bots.push(bot);
        return bot;
      },
      remove: async (input: unknown) => {
        calls.push(['remove', input]);
        return bots;
      },
      select: async (input: { id: string }) => {
        calls.push(['select', input]);
        // the bridge rejects with the plain ErrorInfo
        return Promise.reject({
          code: 'UNAUTHORIZED',
          message: 'the TLS certificate of old box changed',
        });
      },
    },
    onRemoteState: () => () => {},
  };
}

test('shows the controlled bot, reports a refused switch, and adds a bot', async ({ page }) => {
  await page.addInitScript(stubDesktop);
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  const select = page.getByTestId('bot-select');
  await expect(select).toHaveValue('vps');
  await expect(page.getByTestId('bot-target-state')).toHaveText('connected');

  await select.selectOption('old');
  await expect(page.getByTestId('bot-select-error')).toContainText(
    'certificate of old box changed',
  );
  expect(
    await page.evaluate(
      () => (globalThis as unknown as { __desktopCalls: unknown[] }).__desktopCalls,
    ),
  ).toEqual([['select', { id: 'old' }]]);

  await select.selectOption('__add__');
  const form = page.getByTestId('bot-add');
  await form.getByPlaceholder('name').fill('lab');
  await form.getByPlaceholder('wss://host:8745/ws').fill('wss://lab.example:8745/ws');
  await form.getByPlaceholder('token').fill('lab-token-0123456789abcdef');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(form).toBeHidden();
  await expect(
    select.locator('option', { hasText: 'lab — wss://lab.example:8745/ws' }),
  ).toHaveCount(1);
});

test('is absent from the plain browser UI', async ({ page }) => {
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await expect(page.getByTestId('bot-selector')).toHaveCount(0);
});
