/** Shared steps of the UI journeys: open the page, watch for errors, read figures, save screenshots. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { ROOT, TOKEN, type HeadlessServer } from './headless-server.ts';

export const SHOTS = join(ROOT, 'test-results');

/** Console errors and uncaught exceptions (CSP violations land here too). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

export async function openApp(page: Page, server: HeadlessServer): Promise<void> {
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  await expect(page.getByTestId('connection')).toHaveText('connected');
}

export async function number(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).innerText()).replace(/[^0-9.-]/g, ''));
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `ui-${name}.png`);
  await page.screenshot({ path });
  return path;
}

export async function view(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
}

/** Save settings through the Settings view: `fill` sets the fields. */
export async function saveSettings(page: Page, fill: () => Promise<void>): Promise<void> {
  await view(page, 'Settings');
  await fill();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('settings-error')).toBeHidden();
}
