/**
 * The desktop's remaining gaps in Chromium against a real headless core: an earlier run's
 * own chart (candles over its time, its fills) and the way back; risk events listed again
 * after a reload; per-pair risk overrides saved, read back, refused when wrong; every view
 * in Swedish without an English catalogue text.
 */
import { expect, test, type Page } from '@playwright/test';
import { en } from '../../src/renderer/src/i18n/en.ts';
import { sv } from '../../src/renderer/src/i18n/sv.ts';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { openApp, saveSettings, shot, view, watchErrors } from './ui-helpers.ts';

let server: HeadlessServer;

test.beforeAll(async () => {
  server = await startHeadlessServer();
});

test.afterAll(async () => {
  await server?.stop();
});

const price = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

async function forceEntry(page: Page, symbol: string): Promise<void> {
  await view(page, 'Positions');
  await page.getByLabel('Force an entry').selectOption(symbol);
  await page.getByRole('button', { name: 'Enter now' }).click();
}

/** A fast simulated clock and a strategy that stays quiet (RSI never below 1 nor above 99): every trade is ours. */
async function quietAndFast(page: Page): Promise<void> {
  await page.getByLabel('Simulation speed (×)').fill('600');
  await page.getByLabel('Strategy', { exact: true }).selectOption('rsi-reversion');
  await page.getByLabel('oversold', { exact: true }).fill('1');
  await page.getByLabel('overbought', { exact: true }).fill('99');
}

async function startBot(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
}

async function stopBot(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'stopped');
}

test('an earlier run shows its own candles and fills, says which run it is, and goes back to the current run', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await saveSettings(page, () => quietAndFast(page));
  await startBot(page);
  await forceEntry(page, 'BTC/USDT');
  const btc = page.getByTestId('positions-table').getByRole('row', { name: /BTC\/USDT/ });
  await expect(btc).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Close BTC/USDT' }).click();
  await expect(btc).toBeHidden({ timeout: 30_000 });
  await stopBot(page);

  await startBot(page);
  await view(page, 'Dashboard');
  const card = page.getByTestId('chart-card');
  const chart = page.getByTestId('candle-chart');
  await expect(card).toHaveAttribute('data-run', 'current');
  await page.getByTestId('run-selector').selectOption({ index: 1 });

  const banner = page.getByTestId('run-view');
  await expect(banner).toContainText('Viewing run #1 · rsi-reversion');
  await expect(banner).toContainText(/ended \d{4}-\d\d-\d\d/);
  const runId = await banner.getAttribute('data-run');
  await expect(card).toHaveAttribute('data-run', runId!);
  // the run's candles (with a lead before its first tick) and its entry and exit
  await expect(chart).toHaveAttribute('data-drawn-fills', '2');
  expect(Number(await chart.getAttribute('data-drawn-candles'))).toBeGreaterThan(60);
  // tables and statistics follow the selector too
  await expect(page.getByTestId('past-run-stats')).toBeVisible();
  await expect(page.getByTestId('orders-table')).toContainText('closed by the user');
  await shot(page, 'earlier-run-chart');
  await view(page, 'Trades');
  await expect(
    page.getByTestId('trades-table').getByRole('row', { name: /BTC\/USDT/ }),
  ).toHaveCount(1);
  await expect(page.getByTestId('run-view')).toBeVisible();

  await page.getByRole('button', { name: 'Back to the current run' }).click();
  await expect(page.getByTestId('run-view')).toBeHidden();
  await view(page, 'Dashboard');
  await expect(card).toHaveAttribute('data-run', 'current');
  await expect(page.getByTestId('orders-table')).toContainText('No orders in this run');
  await stopBot(page);
  expect(errors).toEqual([]);
});

test('a risk block is told by its rule and is still listed after a reload', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await saveSettings(page, async () => {
    await quietAndFast(page);
    await page.getByLabel('Max open positions').fill('1');
  });
  await startBot(page);
  await forceEntry(page, 'BTC/USDT');
  await expect(
    page.getByTestId('positions-table').getByRole('row', { name: /BTC\/USDT/ }),
  ).toBeVisible({ timeout: 30_000 });
  await forceEntry(page, 'ETH/USDT');
  const block = page.getByTestId('risk-block');
  await expect(block).toHaveAttribute('data-rule', 'max-positions', { timeout: 30_000 });
  await expect(block).toContainText('max open positions (1) reached');
  await view(page, 'Logs');
  const refused = page
    .getByTestId('risk-events')
    .locator('[data-rule="max_open_positions"]')
    .filter({ hasText: 'ETH/USDT' });
  await expect(refused.first()).toContainText('Entry refused');
  await expect(refused.first()).toContainText('Max open positions');
  await stopBot(page);

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await view(page, 'Logs');
  await expect(refused.first()).toBeVisible();
  await expect(refused.first()).toContainText('max open positions (1) reached');
  await page.getByTestId('risk-events').scrollIntoViewIfNeeded();
  await shot(page, 'risk-events-after-reload');

  // the BTC position stays for later journeys; room for more entries
  await saveSettings(page, async () => {
    await page.getByLabel('Max open positions').fill('5');
  });
  expect(errors).toEqual([]);
});

test('a per-pair risk override is saved, read back after a reload, refused when wrong, and sets the position levels', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  const stop = page.getByLabel('ETH/USDT stop-loss (%)');
  await saveSettings(page, async () => {
    await quietAndFast(page);
    await page.getByLabel('Max open positions').fill('5');
    await page.getByLabel('Pair to override').selectOption('ETH/USDT');
    await page.getByRole('button', { name: 'Add override' }).click();
    await stop.fill('3');
    await page.getByLabel('ETH/USDT take-profit (%)').fill('6');
    await page.getByLabel('ETH/USDT max exposure (% of equity)').fill('40');
  });
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await view(page, 'Settings');
  await expect(stop).toHaveValue('3');
  await expect(page.getByLabel('ETH/USDT take-profit (%)')).toHaveValue('6');
  await expect(page.getByLabel('ETH/USDT max exposure (% of equity)')).toHaveValue('40');

  // a bad value: a clear error on the field, nothing saved
  await stop.fill('150');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-error')).toBeVisible();
  await expect(stop).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('pair-overrides')).toContainText('must be above 0 and below 100%');
  await page.getByTestId('pair-overrides').scrollIntoViewIfNeeded();
  await shot(page, 'pair-risk-form');
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await view(page, 'Settings');
  await expect(stop).toHaveValue('3');

  // the position's stop and target come from the override
  await startBot(page);
  await forceEntry(page, 'ETH/USDT');
  const row = page.getByTestId('positions-table').getByRole('row', { name: /ETH\/USDT/ });
  await expect(row).toBeVisible({ timeout: 30_000 });
  const entry = price(await row.getByRole('cell').nth(2).innerText());
  const stopLevel = price(await page.getByTestId('stop-ETH/USDT').innerText());
  const target = price(await page.getByTestId('target-ETH/USDT').innerText());
  expect(stopLevel / entry).toBeCloseTo(0.97, 3);
  expect(target / entry).toBeCloseTo(1.06, 3);
  await shot(page, 'pair-risk-positions');
  await stopBot(page);
  expect(errors).toEqual([]);
});

/** English catalogue texts that Swedish says differently: none may be left on a Swedish page. */
function englishOnly(): { exact: Set<string>; prefixes: string[] } {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const walk = (e: object, s: object) => {
    for (const [k, v] of Object.entries(e)) {
      const other = (s as Record<string, unknown>)[k];
      if (typeof v !== 'string') walk(v as object, other as object);
      else if (v !== other && /[a-z]{2}/i.test(v)) {
        const head = v.split('{{')[0]!.trim();
        if (!v.includes('{{')) exact.add(v.trim());
        else if (head.length >= 10) prefixes.push(head);
      }
    }
  };
  walk(en, sv);
  return { exact, prefixes };
}

/** Words of English sentences that no Swedish sentence has. */
const ENGLISH_WORDS =
  /\b(the|and|with|from|when|not|must|enter|this|your|are|keys|no|of|to|on|for|or)\b/i;

/** Every text node and accessible attribute on the page (log lines are the core's data). */
async function pageTexts(page: Page): Promise<string[]> {
  // (in the page: this project's Node types have no DOM)
  return (await page.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.log-msg, [data-testid="log-panel"]')) continue;
      const text = n.textContent.trim();
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = (el.getAttribute(a) || '').trim();
        if (v) out.push(v);
      }
    return out;
  })()`)) as string[];
}

test('every view in Swedish: no English catalogue text left, form errors in Swedish', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await view(page, 'Settings');
  await page.getByLabel('Language').selectOption('sv');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  const { exact, prefixes } = englishOnly();
  const left: string[] = [];
  const check = async (where: string) => {
    for (const text of await pageTexts(page)) {
      if (exact.has(text) || prefixes.some((p) => text.startsWith(p)))
        left.push(`${where}: ${text}`);
      // words written into components rather than the catalogue: English function words give them away
      if (ENGLISH_WORDS.test(text)) left.push(`${where} (English words): ${text}`);
    }
  };
  for (const route of ['dashboard', 'positions', 'trades', 'backtest', 'logs', 'settings']) {
    await page.goto(`${server.httpUrl}#/${route}`);
    await expect(page.locator('main')).toHaveClass(new RegExp(`view-${route}`));
    await page.waitForTimeout(300);
    await check(route);
    if (route === 'logs') await shot(page, 'sv-logs');
  }
  // the earlier run, viewed in Swedish
  await page.goto(`${server.httpUrl}#/dashboard`);
  await page.getByTestId('run-selector').selectOption({ index: 1 });
  await expect(page.getByTestId('run-view')).toContainText('Visar körning #');
  await check('earlier run');
  await shot(page, 'sv-earlier-run');
  await page.getByRole('button', { name: 'Tillbaka till aktuell körning' }).click();

  // form errors in Swedish, on the bot's rules and on a pair's override
  await page.goto(`${server.httpUrl}#/settings`);
  await page.getByLabel('Stoppgräns (%)', { exact: true }).fill('två');
  await page.getByLabel('ETH/USDT stoppgräns (%)').fill('150');
  await page.getByLabel('Symboler').fill('BTC/USDT, ETH/USDT, BTC/USDT');
  await page.getByRole('button', { name: 'Spara inställningar' }).click();
  await expect(page.getByTestId('settings-error')).toBeVisible();
  await expect(page.getByText('ange ett tal, eller lämna tomt för av')).toBeVisible();
  await expect(page.getByText('måste vara över 0 och under 100 %')).toBeVisible();
  await expect(page.getByText('angivna två gånger: BTC/USDT')).toBeVisible();
  await expect(page.getByLabel('ETH/USDT stoppgräns (%)')).toHaveAttribute('aria-invalid', 'true');
  await check('settings with errors');
  await page.getByLabel('Stoppgräns (%)', { exact: true }).scrollIntoViewIfNeeded();
  await shot(page, 'sv-settings-invalid');
  expect(left).toEqual([]);

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('ansluten');
  await page.goto(`${server.httpUrl}#/settings`);
  await page.getByLabel('Språk').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(errors).toEqual([]);
});
