/**
 * Arming live trading in Chromium against a real headless core whose keys come from its
 * environment (as on a server): the key shown masked, never in full; arming refused
 * until the exchange's name is typed; the header saying LIVE ARMED on the testnet; disarm.
 * No order is sent: the bot stays paper, nothing reaches an exchange.
 */
import { expect, test } from '@playwright/test';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { openApp, shot, view, watchErrors } from './ui-helpers.ts';

const KEY = 'E2eEnvApiKey-5c1d9e7a3b';
const SECRET = 'E2eEnvSecret-8f2a6c0e4d';
let server: HeadlessServer;

test.beforeAll(async () => {
  // the child takes a copy of the environment at spawn: later spec files must not see the keys
  process.env.BOTDESK_BINANCE_API_KEY = KEY;
  process.env.BOTDESK_BINANCE_API_SECRET = SECRET;
  try {
    server = await startHeadlessServer();
  } finally {
    delete process.env.BOTDESK_BINANCE_API_KEY;
    delete process.env.BOTDESK_BINANCE_API_SECRET;
  }
});

test.afterAll(async () => {
  await server?.stop();
});

test('keys from the environment shown masked; live armed on the testnet after typing the name; disarmed', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await view(page, 'Settings');
  const section = page.getByRole('region', { name: 'Live trading' });
  await expect(section.getByTestId('keys-status')).toContainText('read from the environment');
  await expect(section.getByTestId('keys-masked')).toHaveText('••••7a3b');
  await expect(section.getByTestId('keys-masked')).not.toContainText('E2eEnv');
  expect(await page.content()).not.toContain(KEY);
  expect(await page.content()).not.toContain(SECRET);

  const confirm = section.getByLabel('Type “binance” to confirm');
  const arm = section.getByRole('button', { name: 'Arm live trading (testnet)' });
  await confirm.fill('binanc');
  await expect(arm).toBeDisabled();
  await confirm.fill('binance');
  await arm.click();
  await expect(section.getByTestId('arming-state')).toContainText('LIVE ARMED');
  await expect(section.getByTestId('arming-state')).toContainText('testnet');
  await expect(page.getByTestId('live-armed')).toHaveText('LIVE ARMED · binance TESTNET');
  await expect(confirm).toHaveValue('');
  await shot(page, 'live-armed');

  // a reload reads the armed state back from the server
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await expect(page.getByTestId('live-armed')).toBeVisible();

  await view(page, 'Settings');
  await section.getByRole('button', { name: 'Disarm' }).click();
  await expect(section.getByTestId('arming-state')).toContainText('not armed');
  await expect(page.getByTestId('live-armed')).toBeHidden();
  expect(errors).toEqual([]);
});
