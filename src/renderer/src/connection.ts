/**
 * Which way to main: the preload's `window.botdesk` inside Electron, else the
 * WebSocket of a `botdesk serve` (address and token from the page URL). Keeps
 * the feed attached and reconnects after a dropped socket.
 */
import { fromBridge } from '../../core/api/bridge.ts';
import type { BotDeskApi } from '../../core/api/client.ts';
import { connectWs, wsTargetFromLocation } from '../../core/api/ws-client.ts';
import { attachFeed, describeError, type AppStores } from './state/controller.ts';

declare global {
  interface Window {
    botdesk?: BotDeskApi;
  }
}

const RECONNECT_MS = 2000;

export interface Connection {
  api(): BotDeskApi | null;
}

export function connect(stores: AppStores): Connection {
  const { bot } = stores;
  let current: BotDeskApi | null = null;
  const fail = (message: string) => bot.getState().setConnection('disconnected', message);

  if (window.botdesk) {
    // the preload's API, with failures re-thrown here as BotDeskError (code and details kept)
    const api = fromBridge(window.botdesk);
    current = api;
    attachFeed(api, stores).then(
      () => bot.getState().setConnection('connected'),
      (err: unknown) => fail(`Could not read the bot's state: ${describeError(err)}`),
    );
    return { api: () => current };
  }

  // The address (token, server) is read once: a new one typed into the fragment takes a reload.
  window.addEventListener('hashchange', () => window.location.reload());
  const target = wsTargetFromLocation(window.location.href);
  if (!target) {
    fail(
      'No BotDesk server to talk to: open the address `botdesk serve --ui` prints, ending in #token=… (add &ws=ws://host:port/ws for another host).',
    );
    return { api: () => null };
  }
  const loop = async () => {
    for (;;) {
      bot.getState().setConnection('connecting');
      try {
        const conn = await connectWs(target);
        const detach = await attachFeed(conn.api, stores).catch(async (err: unknown) => {
          await conn.close();
          throw err;
        });
        current = conn.api;
        bot.getState().setConnection('connected');
        const { code } = await conn.closed;
        current = null;
        detach();
        fail(`Connection to ${target.url} closed (code ${code}); reconnecting…`);
      } catch (err) {
        fail(`${describeError(err)} Retrying…`);
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };
  void loop();
  return { api: () => current };
}
