/**
 * The backtest page in Chromium against a real headless core: a candle file in the data
 * folder's imports/, a small backtest with its progress, then its metrics, trades, the
 * chart with entries and exits, equity with drawdown; a grid; two results side by side.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { openApp, shot, view, watchErrors } from './ui-helpers.ts';

let server: HeadlessServer;

/** 3000 hourly candles of a wavy random-ish walk: enough crossovers for trades. */
function candleCsv(): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  let price = 100;
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 3000; i++) {
    const open = price;
    price = 100 + 20 * Math.sin(i / 60) + 6 * Math.sin(i / 7.3) + 3 * Math.cos(i * 1.7);
    const close = price;
    const high = Math.max(open, close) + 0.5;
    const low = Math.min(open, close) - 0.5;
    lines.push(`${t0 + i * 3_600_000},${open},${high},${low},${close},${10 + (i % 13)}`);
  }
  return `${lines.join('\n')}\n`;
}

test.beforeAll(async () => {
  server = await startHeadlessServer();
  mkdirSync(join(server.dataDir, 'imports'), { recursive: true });
  writeFileSync(join(server.dataDir, 'imports', 'waves.csv'), candleCsv());
});

test.afterAll(async () => {
  await server?.stop();
});

test('a small backtest shows its progress, metrics, trades, the chart with entries and exits, and equity with drawdown', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await view(page, 'Backtest');
  await expect(page).toHaveURL(/#\/backtest$/);

  // a missing file name is refused in the form, before anything runs
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByText('enter a candle file in the data folder’s imports/')).toBeVisible();

  await page.getByLabel('Candle file').fill('waves.csv');
  await page.getByLabel('Symbols').fill('BTC/USDT');
  await page.getByLabel('Timeframe').selectOption('1h');
  await page.getByLabel('fast', { exact: true }).fill('10');
  await page.getByLabel('slow', { exact: true }).fill('40');
  await page.getByLabel('Parameter grid').fill('fast=5..15:5');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  // progress is shown while it runs (a grid of 3 over the compute workers)
  await expect(page.getByRole('progressbar', { name: 'Backtest progress' })).toBeVisible();
  await expect(page.getByTestId('backtest-metrics')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('backtest-error')).toBeHidden();

  await expect(page.getByTestId('metric-trades')).not.toHaveText('0');
  await expect(page.getByTestId('metric-totalReturnPct')).toHaveText(/^[+-]?\d+\.\d\d%$/);
  await expect(page.getByTestId('metric-maxDrawdownPct')).toHaveText(/^\d+\.\d\d%$/);
  const trades = page.getByTestId('backtest-trades');
  await expect(trades.getByRole('row').nth(1)).toContainText(/\d{4}-\d\d-\d\d/);
  await expect(page.getByTestId('backtest-price-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('backtest-price-chart')).not.toContainText('not available');
  await expect(page.getByTestId('backtest-equity-chart').locator('canvas').first()).toBeVisible();
  // the grid says which parameters won and how the others did (3 combinations of fast)
  await expect(page.getByTestId('backtest-metrics').getByRole('heading').first()).toContainText(
    /sma-crossover \(fast=\d+, slow=40\)/,
  );
  await expect(page.getByTestId('backtest-grid').getByRole('row')).toHaveCount(4);
  const history = page.getByTestId('backtest-history');
  await expect(history.getByRole('row')).toHaveCount(2);
  await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
  const picture = await shot(page, 'backtest');
  // the README's picture of the backtest page, refreshed on demand like the dashboard's
  if (process.env.BOTDESK_UPDATE_SCREENSHOT)
    copyFileSync(picture, join(ROOT, 'docs', 'screenshot-backtest.png'));

  // a second backtest, then both side by side
  await page.getByLabel('Parameter grid').fill('');
  await page.getByLabel('fast', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 60_000 });
  // a past result is fetched before it joins the comparison
  for (const box of await history.getByRole('checkbox').all()) {
    await box.click();
    await expect(box).toBeChecked();
  }
  const compare = page.getByTestId('backtest-compare');
  await expect(compare.getByRole('columnheader')).toHaveCount(3);
  // two results of one strategy are told apart by their parameters
  await expect(compare.getByRole('row').first()).toContainText('sma-crossover (fast=20, slow=40)');
  await expect(compare.getByRole('row', { name: /Total return/ })).toBeVisible();
  await compare.scrollIntoViewIfNeeded();
  await shot(page, 'backtest-compare');
  expect(errors).toEqual([]);
});
