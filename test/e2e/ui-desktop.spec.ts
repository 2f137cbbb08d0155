/**
 * The desktop touches in Chromium against a real headless core: switching to Swedish and
 * to the light theme really changes the page (words, locale formats, computed colours,
 * the chart's colours) and survives a reload; the keyboard shortcuts; and every control
 * has an accessible name (as Chromium's accessibility tree computes it), on every view.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';
import { openApp, shot, view, watchErrors } from './ui-helpers.ts';

let server: HeadlessServer;

test.beforeAll(async () => {
  server = await startHeadlessServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** A computed style of the first element matching `selector` (run in the page). */
const css = (page: Page, selector: string, property: string) =>
  page.evaluate(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
  ) as Promise<string>;

/** Perceived lightness 0..255 of an 'rgb(r, g, b)' colour. */
function lightness(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return 0.299 * r! + 0.587 * g! + 0.114 * b!;
}

/** Controls Chromium's accessibility tree finds without a name, as "role: html". */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: Array<{
      ignored: boolean;
      role?: { value: string };
      name?: { value: string };
      backendDOMNodeId?: number;
    }>;
  };
  const CONTROLS = new Set([
    'button',
    'link',
    'textbox',
    'searchbox',
    'combobox',
    'checkbox',
    'radio',
    'tab',
    'spinbutton',
    'slider',
    'switch',
    'menuitem',
    'listbox',
  ]);
  const missing: string[] = [];
  for (const n of nodes) {
    if (n.ignored || !n.role || !CONTROLS.has(n.role.value)) continue;
    if ((n.name?.value ?? '').trim() !== '') continue;
    const html = n.backendDOMNodeId
      ? await cdp
          .send('DOM.getOuterHTML', { backendNodeId: n.backendDOMNodeId })
          .then((r) => (r as { outerHTML: string }).outerHTML.slice(0, 160))
          .catch(() => '?')
      : '?';
    missing.push(`${n.role.value}: ${html}`);
  }
  await cdp.detach();
  return missing;
}

test('switch to Swedish and to the light theme: words, numbers and colours change, and stay after a reload', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const darkBg = await css(page, 'body', 'background-color');
  const darkText = await css(page, 'body', 'color');
  expect(lightness(darkBg)).toBeLessThan(60);
  expect(lightness(darkText)).toBeGreaterThan(180);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
  await expect(page.getByTestId('candle-chart')).toHaveAttribute('data-chart-theme', 'dark');
  await shot(page, 'desktop-dark-en');

  await view(page, 'Settings');
  await page.getByLabel('Theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByLabel('Language').selectOption('sv');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');

  // the words: headings, labels, navigation and the header's buttons
  await expect(page.getByRole('heading', { name: 'Inställningar' })).toBeVisible();
  await expect(page.getByLabel('Tema')).toHaveValue('light');
  await expect(page.getByLabel('Simuleringshastighet (×)')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Vyer' });
  await expect(nav.getByRole('link', { name: 'Översikt' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Starta', exact: true })).toBeVisible();
  await expect(page.getByTestId('data-label')).toHaveText('SIMULERAD DATA');
  await expect(page.getByTestId('mode-label')).toHaveText('PAPPERSHANDEL');
  // a save in Swedish: a fast simulated clock for the run below
  await page.getByLabel('Simuleringshastighet (×)').fill('600');
  await page.getByRole('button', { name: 'Spara inställningar' }).click();
  await expect(page.getByTestId('settings-saved')).toHaveText('Inställningarna sparades');

  // the colours: a light page with dark text, light panels, the chart recoloured
  await expect
    .poll(async () => lightness(await css(page, 'body', 'background-color')))
    .toBeGreaterThan(200);
  const lightBg = await css(page, 'body', 'background-color');
  const lightText = await css(page, 'body', 'color');
  expect(lightness(lightBg)).toBeGreaterThan(200);
  expect(lightness(lightText)).toBeLessThan(60);
  expect(lightness(await css(page, '.topbar', 'background-color'))).toBeGreaterThan(200);
  await shot(page, 'desktop-light-sv-settings');

  await nav.getByRole('link', { name: 'Översikt' }).click();
  await expect(page.getByTestId('candle-chart')).toHaveAttribute('data-chart-theme', 'light');
  await expect(page.getByRole('heading', { name: 'Kontovärde' })).toBeVisible();
  await expect(page.getByText('Marknadsflöde')).toBeVisible();

  // numbers in the Swedish locale: run briefly and read the equity (space groups, decimal comma)
  await page.getByRole('button', { name: 'Starta', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveText('Körs');
  await expect(page.getByTestId('equity')).toHaveText(/^\d{1,3}(\s\d{3})*,\d\d$/);
  await expect(page.getByTestId('ticks')).not.toHaveText('0');
  await shot(page, 'desktop-light-sv-dashboard');
  await page.getByRole('button', { name: 'Stoppa', exact: true }).click();
  await expect(page.getByTestId('bot-state')).toHaveText('Stoppad');

  // saved in the core's settings: a reload comes back Swedish and light
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('ansluten');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('button', { name: 'Starta', exact: true })).toBeVisible();
  // the stylesheet may apply a frame after the attribute: poll, not read once
  await expect.poll(() => css(page, 'body', 'background-color')).toBe(lightBg);

  // every view speaks Swedish
  const sv = page.getByRole('navigation', { name: 'Vyer' });
  await sv.getByRole('link', { name: 'Positioner' }).click();
  await expect(page.getByRole('heading', { name: 'Öppna positioner' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Köp nu' })).toBeVisible();
  await sv.getByRole('link', { name: 'Affärer' }).click();
  await expect(page.getByRole('heading', { name: 'Stängda affärer' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Exportera CSV' })).toBeVisible();
  await sv.getByRole('link', { name: 'Loggar' }).click();
  await expect(page.getByLabel('Nivå')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Kopiera \d+ rader$/ })).toBeVisible();
  await sv.getByRole('link', { name: 'Backtest' }).click();
  await expect(page.getByRole('button', { name: 'Kör backtest' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tidigare backtester' })).toBeVisible();
  await shot(page, 'desktop-light-sv-backtest');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Kortkommandon' })).toContainText(
    'Gå till Affärer',
  );
  await page.keyboard.press('Escape');

  // and back: English and dark again
  await sv.getByRole('link', { name: 'Inställningar' }).click();
  await page.getByLabel('Språk').selectOption('en');
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect.poll(() => css(page, 'body', 'background-color')).toBe(darkBg);
  expect(errors).toEqual([]);
});

test('keyboard shortcuts: digits open the views, ? lists the keys, Alt+S and Alt+X start and stop; typing in a field is left alone', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, server);
  await page.keyboard.press('2');
  await expect(page).toHaveURL(/#\/positions$/);
  await page.keyboard.press('6');
  await expect(page).toHaveURL(/#\/settings$/);

  // a digit typed in a field stays in the field
  const symbols = page.getByLabel('Symbols');
  await symbols.focus();
  await symbols.press('End');
  await symbols.press('1');
  await expect(symbols).toHaveValue(/1$/);
  await expect(page).toHaveURL(/#\/settings$/);
  await symbols.press('Alt+KeyS');
  await expect(page.getByTestId('bot-state')).not.toHaveAttribute('data-state', 'running');

  // leave the field: a click on the page's heading
  await page.getByRole('heading', { name: 'Settings' }).click();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect(help).toContainText('Alt+S');
  await expect(help).toContainText('Go to Backtest');
  await shot(page, 'desktop-shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();

  await page.keyboard.press('1');
  await expect(page).toHaveURL(/#\/dashboard$/);
  await page.keyboard.press('Alt+KeyS');
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', 'running');
  await page.keyboard.press('Alt+KeyP');
  await expect(page.getByTestId('entries-paused')).toBeVisible();
  await page.keyboard.press('Alt+KeyP');
  await expect(page.getByTestId('entries-paused')).toBeHidden();
  await page.keyboard.press('Alt+KeyX');
  await expect(page.getByTestId('bot-state')).toHaveAttribute('data-state', /stopped|idle/);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toHaveAttribute(
    'title',
    'Start the bot (Alt+S)',
  );
  expect(errors).toEqual([]);
});

test('every button, link, field and tab has an accessible name, on every view', async ({
  page,
}) => {
  await openApp(page, server);
  // the check itself sees a nameless control
  await page.evaluate(
    "document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' }))",
  );
  expect((await unnamedControls(page)).join()).toContain('id="nameless"');
  await page.evaluate("document.getElementById('nameless').remove()");

  const missing: string[] = [];
  for (const name of ['Dashboard', 'Positions', 'Trades', 'Backtest', 'Logs', 'Settings']) {
    await view(page, name);
    await expect(page.getByRole('main', { name })).toBeVisible();
    for (const m of await unnamedControls(page)) missing.push(`${name} → ${m}`);
  }
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toBeVisible();
  for (const m of await unnamedControls(page)) missing.push(`shortcut help → ${m}`);
  expect(missing).toEqual([]);
});
