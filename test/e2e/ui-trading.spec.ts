/**
 * A trader's journey in Chromium against a real headless core: start, a fill, the open
 * position, closing it, the closed trade with its PnL, the CSV export read back, the
 * risk-blocked state, the logs, a stop, and runs kept apart. Fill timing is the core's
 * (next candle's open): every step waits for what it expects instead of a fixed time.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { number, openApp, saveSettings, shot, view, watchErrors } from './ui-helpers.ts';

let server: HeadlessServer;

test.beforeAll(async () => {
  server = await startHeadlessServer();
});

test.afterAll(async () => {
  await server?.stop();
});

test('start, force an entry, see the fill and the position, close it, find the trade with its PnL, export it, stop', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = watchErrors(page);
  await openApp(page, server);

  // A strategy that stays quiet (RSI never below 1 nor above 99): every trade here is ours.
  await saveSettings(page, async () => {
    await page.getByLabel('Simulation speed (×)').fill('600');
    await page.getByLabel('Strategy', { exact: true }).selectOption('rsi-reversion');
    await page.getByLabel('oversold', { exact: true }).fill('1');
    await page.getByLabel('overbought', { exact: true }).fill('99');
    await page.getByLabel('Max open positions').fill('1');
  });

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');

  await view(page, 'Positions');
  await expect(page).toHaveURL(/#\/positions$/);
  await page.getByLabel('Force an entry').selectOption('BTC/USDT');
  await page.getByRole('button', { name: 'Enter now' }).click();
  const btc = page.getByTestId('positions-table').getByRole('row', { name: /BTC\/USDT/ });
  await expect(btc).toBeVisible({ timeout: 30_000 });
  // entry, current price and unrealised PnL are shown; the open time carries its date
  await expect(btc).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
  await expect(btc.getByRole('cell').nth(4)).not.toHaveText('—');

  // the second entry is refused by max open positions: a visible state, with the reason
  await page.getByLabel('Force an entry').selectOption('ETH/USDT');
  await page.getByRole('button', { name: 'Enter now' }).click();
  await expect(page.getByTestId('risk-block')).toContainText('Max open positions', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('risk-block')).toContainText('max open positions (1) reached');
  await expect(page.getByTestId('entries-blocked')).toHaveText('ENTRIES BLOCKED');
  await expect(page.getByTestId('positions-table').getByRole('row')).toHaveCount(2); // head + BTC
  await shot(page, 'positions');

  // the fill is on the dashboard: one orders table, with fill price and fee, counted like the stats
  await view(page, 'Dashboard');
  const orders = page.getByTestId('orders-table');
  await expect(orders).toContainText('entry forced by the user');
  await expect(orders.getByRole('row', { name: /filled/ }).first()).toBeVisible();
  expect(await number(page, 'fills')).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('timeframe')).toHaveText('1m');
  await expect(page.getByTestId('chart-legend')).toContainText('O ');
  await shot(page, 'dashboard');

  await view(page, 'Positions');
  await page.getByRole('button', { name: 'Close BTC/USDT' }).click();
  await expect(btc).toBeHidden({ timeout: 30_000 });
  // the position closed: the max-positions block has no cause left
  await expect(page.getByTestId('risk-block')).toBeHidden({ timeout: 30_000 });

  await view(page, 'Trades');
  const trades = page.getByTestId('trades-table');
  const trade = trades.getByRole('row', { name: /BTC\/USDT/ });
  await expect(trade).toBeVisible({ timeout: 30_000 });
  await expect(trade).toContainText('closed by the user');
  await expect(trade.getByRole('cell').nth(7)).toHaveText(/^[+-]?\d+\.\d\d$/); // PnL
  await expect(page.getByTestId('trades-summary')).toContainText('1 trades');
  await expect(page.getByTestId('trades-page')).toHaveText('Page 1 of 1');
  await page.getByLabel('Outcome').selectOption('win');
  await page.getByLabel('Outcome').selectOption('');
  await expect(trade).toBeVisible();
  await shot(page, 'trades');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^botdesk-trades-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(csv[0]).toBe(
    'symbol,opened_at,closed_at,duration_s,amount,entry_price,exit_price,fees,pnl,pnl_pct,entry_reason,exit_reason,run_id',
  );
  expect(csv).toHaveLength(2);
  const cells = csv[1]!.split(',');
  expect(cells[0]).toBe('BTC/USDT');
  expect(cells[11]).toBe('closed by the user');
  expect(Number.isFinite(Number(cells[8]))).toBe(true);

  // the logs say what happened, filtered by level and pair, and copy as text
  await view(page, 'Logs');
  await page.getByLabel('Level').selectOption('warn');
  await expect(page.getByTestId('log-panel')).toContainText('new entries blocked');
  await page.getByLabel('Pair').selectOption('BTC/USDT');
  await page.getByLabel('Level').selectOption('debug');
  await expect(page.getByTestId('log-panel')).toContainText('entry forced by the user');
  await page.getByRole('button', { name: /^Copy \d+ lines$/ }).click();
  await expect(page.getByText(/^Copied \d+ lines$/)).toBeVisible();
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(copied).toMatch(/^\d{4}-\d\d-\d\dT.* \[/m);
  expect(copied).toContain('BTC/USDT');
  await shot(page, 'logs');

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');
  await view(page, 'Dashboard');
  // a stopped bot has no healthy pairs nor a connected feed
  await expect(page.getByTestId('pair-health')).toContainText('No pairs running');
  await expect(page.getByTestId('feed')).toHaveText('—');

  // a second run starts with empty tables; the first stays selectable
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('orders-table')).toContainText('No orders in this run');
  const runs = page.getByTestId('run-selector');
  await expect(runs.locator('option')).toHaveCount(2);
  await runs.selectOption({ index: 1 });
  await expect(page.getByTestId('past-run-stats')).toBeVisible();
  await expect(page.getByTestId('orders-table')).toContainText('closed by the user');
  await expect(runs.locator('option').nth(1)).toHaveText(/\d{4}-\d\d-\d\d .* UTC/);
  await shot(page, 'earlier-run');
  await runs.selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');

  // resetting the paper account asks first
  await view(page, 'Positions');
  await page.getByRole('button', { name: 'Reset paper account…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Start the paper wallet afresh');
  await shot(page, 'reset-confirm');
  await page.getByRole('button', { name: 'Reset the paper account' }).click();
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await expect(page.getByTestId('command-error')).toBeHidden();

  expect(errors).toEqual([]);
});
