/**
 * Risk rules, the kill switch and the live-trading section in Chromium against a real
 * headless core: the rules saved and read back after a reload, a tiny max drawdown
 * tripped by a forced entry (fees alone), the banner and the explicit acknowledge-and-start,
 * the risk events in the Logs view; API keys refused by the headless server, in its words.
 */
import { expect, test } from '@playwright/test';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { openApp, saveSettings, shot, view, watchErrors } from './ui-helpers.ts';

let server: HeadlessServer;

test.beforeAll(async () => {
  server = await startHeadlessServer();
});

test.afterAll(async () => {
  await server?.stop();
});

test('risk rules: refused in plain words, saved, read back after a reload', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await view(page, 'Settings');
  const stop = page.getByLabel('Stop-loss (%)');
  await stop.fill('two');
  await page.getByLabel('ROI table (minutes:% return)').fill('0:5, soon:2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-error')).toBeVisible();
  await expect(stop).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('enter a number, or leave it empty for off')).toBeVisible();
  await expect(page.getByText('"soon:2" is not minutes:percent, e.g. 30:2')).toBeVisible();

  await page.getByLabel('Position sizing').selectOption('risk_per_trade');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(
    page.getByText('risk per trade sizing needs the share of equity to risk'),
  ).toBeVisible();
  await shot(page, 'risk-settings-invalid');

  await saveSettings(page, async () => {
    await stop.fill('2');
    await page.getByLabel('Take-profit (%)').fill('5');
    await page.getByLabel('Trailing stop (%)').fill('1.5');
    await page.getByLabel('Trailing stop activation (%)').fill('1');
    await page.getByLabel('ROI table (minutes:% return)').fill('30:2, 0:5');
    await page.getByLabel('Max holding time (minutes)').fill('240');
    await page.getByLabel('Risk per trade (% of equity)').fill('1');
    await page.getByLabel('Max exposure per symbol (% of equity)').fill('20');
    await page.getByLabel('Max total exposure (% of equity)').fill('60');
    await page.getByLabel('Cooldown after a loss (minutes)').fill('15');
    await page.getByLabel('Kill switch: max drawdown (%)').fill('10');
  });

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await view(page, 'Settings');
  await expect(page.getByLabel('Stop-loss (%)')).toHaveValue('2');
  await expect(page.getByLabel('Take-profit (%)')).toHaveValue('5');
  await expect(page.getByLabel('Trailing stop (%)')).toHaveValue('1.5');
  await expect(page.getByLabel('Trailing stop activation (%)')).toHaveValue('1');
  await expect(page.getByLabel('ROI table (minutes:% return)')).toHaveValue('0:5, 30:2');
  await expect(page.getByLabel('Max holding time (minutes)')).toHaveValue('240');
  await expect(page.getByLabel('Position sizing')).toHaveValue('risk_per_trade');
  await expect(page.getByLabel('Risk per trade (% of equity)')).toHaveValue('1');
  await expect(page.getByLabel('Max exposure per symbol (% of equity)')).toHaveValue('20');
  await expect(page.getByLabel('Max total exposure (% of equity)')).toHaveValue('60');
  await expect(page.getByLabel('Cooldown after a loss (minutes)')).toHaveValue('15');
  await expect(page.getByLabel('Kill switch: max drawdown (%)')).toHaveValue('10');
  await page.getByRole('group', { name: 'Protective exits' }).scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 300);
  await shot(page, 'risk-settings');

  // back to no rules for the next journey
  await saveSettings(page, async () => {
    await page.getByLabel('Position sizing').selectOption('equity_fraction');
    for (const label of [
      'Stop-loss (%)',
      'Take-profit (%)',
      'Trailing stop (%)',
      'Trailing stop activation (%)',
      'ROI table (minutes:% return)',
      'Max holding time (minutes)',
      'Max exposure per symbol (% of equity)',
      'Max total exposure (% of equity)',
      'Cooldown after a loss (minutes)',
      'Kill switch: max drawdown (%)',
    ])
      await page.getByLabel(label, { exact: true }).fill('');
  });
  await expect(page.getByLabel('Stop-loss (%)')).toHaveValue('');
  expect(errors).toEqual([]);
});

test('the kill switch trips, is shown with its reason, and a start needs the acknowledgement', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  // A quiet strategy; a drawdown limit so small that the entry's fee trips it.
  await saveSettings(page, async () => {
    await page.getByLabel('Simulation speed (×)').fill('600');
    await page.getByLabel('Strategy', { exact: true }).selectOption('rsi-reversion');
    await page.getByLabel('oversold', { exact: true }).fill('1');
    await page.getByLabel('overbought', { exact: true }).fill('99');
    await page.getByLabel('Kill switch: max drawdown (%)').fill('0.001');
  });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await view(page, 'Positions');
  await page.getByLabel('Force an entry').selectOption('BTC/USDT');
  await page.getByRole('button', { name: 'Enter now' }).click();

  const banner = page.getByTestId('kill-switch');
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('bot-state')).not.toHaveAttribute('data-state', 'running');
  await expect(banner).toContainText('Kill switch tripped');
  await expect(banner).toContainText('limit 0.001%');
  await expect(banner).not.toContainText('kill_switch');
  await expect(page.getByTestId('kill-switch-label')).toHaveText('KILL SWITCH');
  await view(page, 'Dashboard');
  await expect(banner).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await shot(page, 'kill-switch');

  await view(page, 'Logs');
  await expect(page.getByTestId('risk-events')).toContainText('Kill switch tripped');
  await shot(page, 'risk-events');

  // the open position's drawdown would trip it again at once: the user raises the limit first
  await saveSettings(page, async () => {
    await page.getByLabel('Kill switch: max drawdown (%)').fill('50');
  });
  await expect(page.getByTestId('kill-switch')).toBeVisible();
  await banner.getByRole('button', { name: 'Acknowledge and start' }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await expect(banner).toBeHidden();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');
  expect(errors).toEqual([]);
});

test('a protective exit closes a forced entry and shows as a notice and a risk event', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  // stop and target 0.01% away: the first candles after the entry cross one of them
  await saveSettings(page, async () => {
    await page.getByLabel('Simulation speed (×)').fill('600');
    await page.getByLabel('Kill switch: max drawdown (%)').fill('');
    await page.getByLabel('Stop-loss (%)').fill('0.01');
    await page.getByLabel('Take-profit (%)').fill('0.01');
  });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await view(page, 'Positions');
  await page.getByLabel('Force an entry').selectOption('ETH/USDT');
  await page.getByRole('button', { name: 'Enter now' }).click();
  // (a position left open by the kill-switch journey may exit too: this one is ETH's)
  const notice = page.getByTestId('risk-notice').filter({ hasText: 'ETH/USDT' });
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice).toContainText(/Protective exit — (Stop-loss|Take-profit) \(ETH\/USDT\)/);
  await view(page, 'Logs');
  await expect(page.getByTestId('risk-events')).toContainText('Protective exit');
  await shot(page, 'risk-exit');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');
  await saveSettings(page, async () => {
    await page.getByLabel('Stop-loss (%)').fill('');
    await page.getByLabel('Take-profit (%)').fill('');
  });
  expect(errors).toEqual([]);
});

test('API keys: the headless server refuses to store them, and says where keys come from', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await view(page, 'Settings');
  const section = page.getByRole('region', { name: 'Live trading' });
  await expect(section.getByTestId('keys-masked')).toHaveText('not set');
  await expect(section.getByTestId('keys-readonly')).toContainText('BOTDESK_BINANCE_API_KEY');

  const key = section.getByLabel('API key', { exact: true });
  await key.fill('e2e-fake-key-123456');
  await section.getByLabel('API secret').fill('e2e-fake-secret-abcdef');
  await expect(key).toHaveAttribute('type', 'password');
  await section.getByRole('button', { name: 'Save keys' }).click();
  await expect(section.getByTestId('keys-save-error')).toContainText(
    'headless BotDesk does not store keys',
  );
  await expect(key).toHaveValue(''); // never kept after sending
  await expect(section.getByLabel('API secret')).toHaveValue('');

  // arming: only with the exchange's name typed, refused without keys
  const arm = section.getByRole('button', { name: 'Arm live trading (testnet)' });
  await expect(arm).toBeDisabled();
  await section.getByLabel('Type “binance” to confirm').fill('binance');
  await arm.click();
  await expect(section.getByTestId('arming-error')).toContainText('API keys for binance');
  await expect(section.getByTestId('arming-state')).toContainText('not armed');
  await expect(page.getByTestId('live-armed')).toBeHidden();
  await section.scrollIntoViewIfNeeded();
  await shot(page, 'live-keys');
  expect(errors).toEqual([]);
});
