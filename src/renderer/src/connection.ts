/**
 * Which way to main: the preload's `window.botdesk` inside Electron, else the
 * WebSocket of a `botdesk serve` (address and token from the page URL once, then
 * from the tab's session, or typed into the page). Keeps the feed attached and
 * reconnects after a dropped socket.
 */
import { fromBridge } from '../../core/api/bridge.ts';
import type { BotDeskApi } from '../../core/api/client.ts';
import { connectWs } from '../../core/api/ws-client.ts';
import {
  parseStored,
  takeTarget,
  TARGET_KEY,
  targetForToken,
  type WsTarget,
} from './connection-target.ts';
import type { AppStores } from './state/app-stores.ts';
import { describeError } from './state/describe-error.ts';
import { attachFeed, type FeedOptions } from './state/feed.ts';

declare global {
  interface Window {
    botdesk?: BotDeskApi;
  }
}

const RECONNECT_MS = 2000;

export interface Connection {
  api(): BotDeskApi | null;
  /** Whether the page still needs a token to reach a server. */
  needsToken(): boolean;
  /** Connect with a token the user typed; false when it is empty. */
  enterToken(token: string): boolean;
}

export const NO_TOKEN_MESSAGE =
  'No BotDesk server to talk to: enter the access token below, or open the address `botdesk serve --ui` prints, ending in #token=… (add &ws=ws://host:port/ws for another host).';

function initialTarget(): WsTarget | null {
  const { target, clean } = takeTarget(window.location.href);
  if (target) {
    sessionStorage.setItem(TARGET_KEY, JSON.stringify(target));
    window.history.replaceState(null, '', clean);
    return target;
  }
  return parseStored(sessionStorage.getItem(TARGET_KEY));
}

export function connect(stores: AppStores, feed: FeedOptions = {}): Connection {
  const { bot } = stores;
  let current: BotDeskApi | null = null;
  const fail = (message: string) => bot.getState().setConnection('disconnected', message);

  if (window.botdesk) {
    // the preload's API, with failures re-thrown here as BotDeskError (code and details kept)
    const api = fromBridge(window.botdesk);
    current = api;
    attachFeed(api, stores, feed).then(
      () => bot.getState().setConnection('connected'),
      (err: unknown) => fail(`Could not read the bot's state: ${describeError(err)}`),
    );
    return { api: () => current, needsToken: () => false, enterToken: () => false };
  }

  let target = initialTarget();
  // A token put into the address of an open page (same document: no load) is taken the same way.
  window.addEventListener('hashchange', () => {
    const next = takeTarget(window.location.href);
    if (!next.target) return;
    sessionStorage.setItem(TARGET_KEY, JSON.stringify(next.target));
    window.history.replaceState(null, '', next.clean);
    window.location.reload();
  });
  const loop = async (to: WsTarget) => {
    for (;;) {
      bot.getState().setConnection('connecting');
      try {
        const conn = await connectWs(to);
        const detach = await attachFeed(conn.api, stores, feed).catch(async (err: unknown) => {
          await conn.close();
          throw err;
        });
        current = conn.api;
        bot.getState().setConnection('connected');
        const { code } = await conn.closed;
        current = null;
        detach();
        fail(`Connection to ${to.url} closed (code ${code}); reconnecting…`);
      } catch (err) {
        fail(`${describeError(err)} Retrying…`);
      }
      if (target !== to) return; // another token was entered: that loop takes over
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };
  if (target) void loop(target);
  else fail(NO_TOKEN_MESSAGE);
  return {
    api: () => current,
    needsToken: () => target === null,
    enterToken(token) {
      const next = targetForToken(window.location.href, token);
      if (!next) return false;
      sessionStorage.setItem(TARGET_KEY, JSON.stringify(next));
      const first = target === null;
      target = next;
      if (first) void loop(next);
      else window.location.reload();
      return true;
    },
  };
}
