/**
 * The dashboard in Chromium against a real headless core (`botdesk serve --ui`)
 * over WebSocket: start the bot on the simulated market, watch it run, stop it.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ROOT, startHeadlessServer, TOKEN, type HeadlessServer } from './headless-server.ts';

let server: HeadlessServer;

test.beforeAll(async () => {
  server = await startHeadlessServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** Console errors and uncaught exceptions (CSP violations land here too). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  await expect(page.getByTestId('connection')).toHaveText('connected');
}

async function number(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).innerText()).replace(/[^0-9.-]/g, ''));
}

test('starts the bot on simulated data in paper mode, shows it running, and stops it', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openDashboard(page);
  await expect(page.getByTestId('data-label')).toHaveText('SIMULATED DATA');
  await expect(page.getByTestId('mode-label')).toHaveText('PAPER TRADING');
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', /idle|stopped/);

  // A fast simulated clock, set through the settings view: a 1m candle every 100 ms.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Simulation speed (×)').fill('600');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard' }).click();

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('data-label')).toHaveText('SIMULATED DATA');
  await expect(page.getByTestId('mode-label')).toHaveText('PAPER TRADING');
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();

  await expect.poll(() => number(page, 'ticks'), { timeout: 30_000 }).toBeGreaterThan(3);
  const ticks = await number(page, 'ticks');
  await expect.poll(() => number(page, 'ticks'), { timeout: 30_000 }).toBeGreaterThan(ticks);
  await expect.poll(() => number(page, 'candle-count'), { timeout: 30_000 }).toBeGreaterThan(10);
  await expect(page.getByTestId('candle-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('equity')).not.toHaveText('—');
  // the feed's last update is market time, days ahead at high speed: it shows its date
  await expect(page.getByTestId('feed')).toHaveText(/updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  // Let a few more candles (and perhaps trades) come in for the picture.
  const candles = await number(page, 'candle-count');
  await expect
    .poll(() => number(page, 'candle-count'), { timeout: 30_000 })
    .toBeGreaterThan(candles + 20);

  // Switching symbol loads that symbol's history and keeps following it live.
  const second = page.getByRole('tab', { name: 'ETH/USDT' });
  await second.click();
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => number(page, 'candle-count'), { timeout: 30_000 }).toBeGreaterThan(10);

  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const shot = join(ROOT, 'test-results', 'ui-running.png');
  await page.screenshot({ path: shot });
  // The README's picture is refreshed on demand, so a test run leaves the tree clean.
  if (process.env.BOTDESK_UPDATE_SCREENSHOT)
    copyFileSync(shot, join(ROOT, 'docs', 'screenshot.png'));

  // Pausing entries keeps the bot running and says so; resuming clears it.
  await page.getByRole('button', { name: 'Pause entries' }).click();
  await expect(page.getByTestId('entries-paused')).toHaveText('ENTRIES PAUSED');
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await page.getByRole('button', { name: 'Resume entries' }).click();
  await expect(page.getByTestId('entries-paused')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Pause entries' })).toBeEnabled();

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');
  await expect(page.getByTestId('last-stop')).toContainText(/graceful|forced/);
  // a stopped bot is not "running since" anything
  await expect(page.getByText('Last started')).toBeVisible();
  await expect(page.getByText('Running since')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  const stoppedAt = await number(page, 'ticks');
  await page.waitForTimeout(500);
  expect(await number(page, 'ticks')).toBe(stoppedAt);
  await page.screenshot({ path: join(ROOT, 'test-results', 'ui-stopped.png') });

  expect(errors).toEqual([]);
});

test('refuses invalid settings with a readable message and keeps the saved ones', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openDashboard(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  const symbols = page.getByLabel('Symbols');
  const saved = await symbols.inputValue();
  await symbols.fill('BTC-USDT');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-error')).toContainText('Settings were not saved');
  await expect(page.getByText('symbol must look like BASE/QUOTE, e.g. BTC/USDT')).toBeVisible();
  await page.screenshot({ path: join(ROOT, 'test-results', 'ui-settings-error.png') });

  await expect(symbols).toHaveAttribute('aria-invalid', 'true');

  // a symbol listed twice, text in a number field, a strategy's cross-field rule: refused in words
  await symbols.fill('BTC/USDT, ETH/USDT, btc/usdt');
  await page.getByLabel('Stake per position (% of equity)').fill('ten');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('listed twice: BTC/USDT')).toBeVisible();
  await expect(page.getByText('enter a percentage, e.g. 10')).toBeVisible();
  await symbols.fill(saved);
  await page.getByLabel('Stake per position (% of equity)').fill('10');
  await page.getByLabel('fast', { exact: true }).fill('60');
  await page.getByLabel('slow', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('fast must be shorter than slow')).toBeVisible();
  await expect(page.getByLabel('fast', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: join(ROOT, 'test-results', 'ui-settings.png'), fullPage: true });

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await expect(page).toHaveURL(/#\/settings$/);
  await expect(page.getByLabel('Symbols')).toHaveValue(saved);
  await expect(page.getByLabel('fast', { exact: true })).not.toHaveValue('60');
  // a failed save is reported in the page, not as a console error
  expect(errors).toEqual([]);
});

test('an unknown exchange is refused at save; a start that fails says why once, with an empty chart', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openDashboard(page);
  await expect.poll(() => number(page, 'candle-count')).toBeGreaterThan(0);
  await expect(page.getByTestId('candle-chart')).not.toHaveAttribute('data-drawn-candles', '0');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Market data').selectOption('ccxt');
  await expect(page.getByLabel('Simulation speed (×)')).toBeHidden();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText("enter a ccxt exchange id, e.g. 'binance'")).toBeVisible();
  await page.getByLabel('Exchange (ccxt id)').fill('nosuchexchange');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText("'nosuchexchange' is not an exchange ccxt knows")).toBeVisible();
  await expect(page.getByLabel('Exchange (ccxt id)')).toHaveAttribute('aria-invalid', 'true');

  // a replay of a file that does not exist: saved, but the start fails with the reason
  await page.getByLabel('Market data').selectOption('replay');
  await page.getByLabel('Candle file').fill('/nonexistent/candles.csv');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard' }).click();
  // the idle chart reads the replay file too (its failure is a notice in words, not a code)
  await expect(page.getByTestId('notice').first()).toContainText('Market data problem');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('command-error')).toContainText('Start failed:');
  await expect(page.getByTestId('command-error')).toContainText('/nonexistent/candles.csv');
  // said once; the status's own error shows when the command's is dismissed
  await expect(page.getByTestId('status-error')).toBeHidden();
  await page.getByTestId('command-error').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('status-error')).toContainText('The bot stopped with an error:');
  await expect(page.getByTestId('data-label')).toHaveText('REPLAY DATA');
  await expect(page.getByTestId('mode-label')).toHaveText('PAPER TRADING');
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  // the simulated candles are not left on screen under a replay's name
  await expect(page.getByTestId('candle-count')).toHaveText('0');
  await expect(page.getByText('No candles yet')).toBeVisible();
  await expect(page.getByTestId('candle-chart')).toHaveAttribute('data-drawn-candles', '0');
  await page.screenshot({ path: join(ROOT, 'test-results', 'ui-start-error.png') });

  // back to the simulated market for the other tests
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Market data').selectOption('sim');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('data-label')).toHaveText('SIMULATED DATA');
  expect(errors).toEqual([]);
});

test('explains how to connect when the page has no token, takes a typed one, and keeps it out of the address bar', async ({
  page,
}) => {
  await page.goto(server.httpUrl);
  await expect(page.getByText(/ending in #token=/)).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('disconnected');
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  expect(page.url()).not.toContain(TOKEN);

  // a token in the address is taken, then removed from it; a reload stays connected
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  await expect.poll(() => page.url()).not.toContain(TOKEN);
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
});

test('marks the status as last known and disables the commands when the server goes away', async ({
  page,
}) => {
  const own = await startHeadlessServer();
  try {
    await page.goto(`${own.httpUrl}#token=${TOKEN}`);
    await expect(page.getByTestId('connection')).toHaveText('connected');
    await expect(page.getByTestId('status-stale')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  } finally {
    await own.stop();
  }
  await expect(page.getByTestId('connection')).not.toHaveText('connected');
  await expect(page.getByTestId('status-stale')).toHaveText('(last known)');
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await expect(page.getByText(/is the server running/)).toBeVisible();
});
