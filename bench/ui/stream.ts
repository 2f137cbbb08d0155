/**
 * The stream the UI figures are taken under: 20 pairs of the simulated market at 6000×
 * on a real headless core, with the dashboard open and the bot running.
 */
import type { Page } from 'playwright-core';
import { connectWs, type WsConnection } from '../../src/core/api/ws-client.ts';
import { WS_PATH } from '../../src/core/api/ws-protocol.ts';
import { TOKEN, type HeadlessServer } from '../../test/e2e/headless-server.ts';

export const PAIRS = 20;
export const SPEED = 6000;

/** The dashboard at `url` connected, and showing the bot running (plus 2 s to settle). */
export async function openDashboard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page
    .getByTestId('connection')
    .filter({ hasText: /^connected$/ })
    .waitFor();
  await page.locator('[data-state="running"]').waitFor({ timeout: 60_000 });
  await new Promise((r) => setTimeout(r, 2000));
}

/** Configure the 20 pairs, open the dashboard on `page`, start the bot; the connection stops it. */
export async function startStream(server: HeadlessServer, page: Page): Promise<WsConnection> {
  const wsUrl = new URL(WS_PATH, server.httpUrl);
  wsUrl.protocol = 'ws:';
  const conn = await connectWs({ url: wsUrl.toString(), token: TOKEN });
  const symbols = Array.from({ length: PAIRS }, (_, i) => `S${String(i).padStart(2, '0')}/USDT`);
  await conn.api.settings.set({
    bot: { symbols, market: { source: 'sim', speed: SPEED, seed: 7 } },
  });
  await page.goto(`${server.httpUrl}#token=${TOKEN}`);
  await page
    .getByTestId('connection')
    .filter({ hasText: /^connected$/ })
    .waitFor();
  await conn.api.bot.start({});
  await page.locator('[data-state="running"]').waitFor({ timeout: 60_000 });
  await new Promise((r) => setTimeout(r, 2000));
  return conn;
}
