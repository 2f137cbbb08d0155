/**
 * The bot selector and plain ws:// (main's side is test/unit/main/bot-connections
 * and ipc tests): a ws:// bot of another machine is marked insecure, a link that
 * stopped on an unusable certificate reads "error, not retrying", and adding a
 * ws:// address of another machine asks for the acknowledgement (sent as
 * `insecure: true`) while wss:// and loopback do not. `window.botdeskDesktop` is a
 * page script; the dashboard is a real `botdesk serve --ui`.
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

function stubDesktop(): void {
  const target = (id: string, url: string | null, more: object) => ({
    id,
    name: id,
    kind: url ? 'remote' : 'local',
    url,
    fingerprint: null,
    selected: false,
    state: url ? 'disconnected' : 'local',
    message: null,
    insecure: false,
    ...more,
  });
  const bots = [
    target('local', null, {}),
    target('lan', 'ws://192.0.2.10:8745/ws', {
      selected: true,
      state: 'error',
      insecure: true,
      message: 'the TLS certificate of lan has expired',
    }),
  ];
  const added: unknown[] = [];
  Object.assign(globalThis, {
    __added: added,
    botdeskDesktop: {
      remote: {
        list: async () => bots,
        add: async (input: { name: string; url: string }) => {
          added.push(input);
          return target(input.name, input.url, {});
        },
        remove: async () => bots,
        select: async () => bots[1],
      },
      onRemoteState: () => () => {},
    },
  });
}

test('marks an insecure bot, shows the error state, and asks before adding ws:// of another machine', async ({
  page,
}) => {
  await page.addInitScript(stubDesktop);
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  await expect(page.getByTestId('bot-select')).toHaveValue('lan');
  await expect(page.getByTestId('bot-target-state')).toHaveText('error, not retrying');
  await expect(page.getByTestId('bot-insecure')).toHaveText('insecure (ws://)');
  await expect(page.getByTestId('bot-insecure')).toHaveAttribute('title', /unencrypted/);
  await expect(
    page.locator('option', { hasText: 'lan — ws://192.0.2.10:8745/ws (insecure' }),
  ).toHaveCount(1);

  await page.getByTestId('bot-select').selectOption('__add__');
  const form = page.getByTestId('bot-add');
  const url = form.getByPlaceholder('wss://host:8745/ws');
  await form.getByPlaceholder('name').fill('pi');
  await form.getByPlaceholder('token').fill('pi-token-0123456789abcdef');
  await url.fill('ws://127.0.0.1:8745/ws');
  await expect(page.getByTestId('bot-insecure-ack')).toHaveCount(0);
  await url.fill('ws://192.0.2.20:8745/ws');
  const ack = page.getByTestId('bot-insecure-ack');
  await expect(ack).toContainText('the token and all traffic travel unencrypted');
  await form.getByRole('button', { name: 'Add' }).click(); // the checkbox is required
  await expect(form).toBeVisible();
  expect(
    await page.evaluate(() => (globalThis as unknown as { __added: unknown[] }).__added),
  ).toEqual([]);
  await ack.getByRole('checkbox').check();
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(form).toBeHidden();
  expect(
    await page.evaluate(() => (globalThis as unknown as { __added: unknown[] }).__added),
  ).toEqual([
    {
      name: 'pi',
      url: 'ws://192.0.2.20:8745/ws',
      token: 'pi-token-0123456789abcdef',
      insecure: true,
    },
  ]);
});
