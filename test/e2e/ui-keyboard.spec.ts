/** The main views with the keyboard only: Tab reaches every view, Enter opens it, arrows pick symbols. */
import { expect, test, type Page } from '@playwright/test';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { openApp, shot, watchErrors } from './ui-helpers.ts';

let server: HeadlessServer;

test.beforeAll(async () => {
  server = await startHeadlessServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** Press Tab until the focused element's text or label is `name` (at most 60 presses). */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(
      "(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || '').trim() : '' })()",
    );
    if (typeof name === 'string' ? label === name : name.test(String(label))) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

test('every main view, the symbol tabs, a settings change, start and stop, with the keyboard only', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await page.locator('body').focus();

  for (const [name, route] of [
    ['Positions', 'positions'],
    ['Trades', 'trades'],
    ['Logs', 'logs'],
    ['Settings', 'settings'],
  ] as const) {
    await tabTo(page, name);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/${route}$`));
    await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
  }

  // in Settings: type a speed, save with Enter
  await tabTo(page, 'Simulation speed (×)');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('600');
  await tabTo(page, 'Save settings');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await shot(page, 'settings');

  await page.locator('body').focus();
  await tabTo(page, 'Dashboard');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/dashboard$/);

  // one tab stop for the symbols; the arrow keys move between them
  await tabTo(page, 'BTC/USDT');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'ETH/USDT' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('tab', { name: 'ETH/USDT' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'BTC/USDT' })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  await page.locator('body').focus();
  await tabTo(page, 'Start');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await shot(page, 'keyboard');
  await page.locator('body').focus();
  await tabTo(page, 'Stop');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');
  expect(errors).toEqual([]);
});
